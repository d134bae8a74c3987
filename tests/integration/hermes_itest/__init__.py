"""Helpers for Hermes integration tests: a config writer, the server process, its event log,
SSH clients and the docker CLI. conftest.py turns them into fixtures."""
