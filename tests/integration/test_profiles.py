"""Image profiles (container_pool.profiles): one warm pool per image, a weighted choice per
session, and every session's container running the image its events name. The second image is
a tag of the minimal image this test creates and removes (same content, its own name), so the
test does not depend on other images being built."""
import json

import pytest

from hermes_itest import docker_cli
from hermes_itest.config import TARGET_IMAGE
from hermes_itest.waiting import wait_until

LOGINS = 24


@pytest.fixture
def alias_image():
    """A second image name for the target image, removed at teardown (by that exact tag)."""
    import secrets
    alias = f"hermes-target-minimal:itest-profile-{secrets.token_hex(4)}"
    docker_cli.docker("tag", TARGET_IMAGE, alias)
    yield alias
    docker_cli.docker("image", "rm", alias, check=False)


def test_sessions_are_spread_over_profiles_by_weight(hermes_server, alias_image):
    profiles = [{"image": TARGET_IMAGE, "weight": 2}, {"image": alias_image, "weight": 1}]
    server = hermes_server(overrides={"container_pool": {"size": 3, "profiles": profiles}})

    # The pool of 3 is split 2 + 1 (one each, the rest by weight), each pool of its own image.
    def warm():
        pool = [c for c in server.containers(running_only=True)
                if c["name"].startswith(server.pool_container_prefix())]
        return sorted(docker_cli.inspect(c["id"])["Config"]["Image"] for c in pool)
    wait_until(lambda: warm() == sorted([TARGET_IMAGE, TARGET_IMAGE, alias_image]), 60,
               "two pool containers of the first profile and one of the second")

    sessions = []
    for n in range(LOGINS):
        known = server.session_ids()
        result = server.exec(f"echo login-{n}")
        assert result.returncode == 0 and result.stdout == f"login-{n}\n".encode(), result.stderr
        sessions.append(server.wait_for_new_session(known))

    chosen = {TARGET_IMAGE: 0, alias_image: 0}
    for session in sessions:
        attached = server.wait_for_event(session, "hermes.container.attached")
        index = [p["image"] for p in profiles].index(attached["image"])
        assert attached["profile"] == index
        assert attached["reused"] is False and "previous_session" not in attached
        # The container really runs the chosen image, and the sidecar says so too.
        assert docker_cli.inspect(attached["container_id"])["Config"]["Image"] == attached["image"]
        server.wait_for_event(session, "hermes.session.closed")
        sidecar = json.loads(server.sidecar_path(session).read_text())
        assert sidecar["image"] == attached["image"]
        chosen[attached["image"]] += 1

    # Expected 16 : 8. The bounds fail by chance less than once in a thousand runs.
    assert 2 <= chosen[alias_image] <= 15, chosen
    assert chosen[TARGET_IMAGE] + chosen[alias_image] == LOGINS


def test_a_missing_profile_image_stops_the_start_with_a_clear_error(hermes_server):
    missing = "hermes-target-nosuch:latest"
    profiles = [{"image": TARGET_IMAGE, "weight": 1}, {"image": missing, "weight": 1}]
    server = hermes_server(overrides={"container_pool": {"size": 2, "profiles": profiles}},
                           wait_listening=False)
    assert server.process.wait(timeout=120) == 1
    log = server.log_tail()
    assert f"target image {missing} does not exist" in log, log
    assert "hermes image build --profile nosuch" in log, log
    # What the first profile's pool had started is removed again.
    wait_until(lambda: not server.containers(), 30, "no container left of this sensor")
