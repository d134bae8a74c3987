"""The Engine API endpoints docs/security.md promises Hermes calls (its "Docker API endpoints"
table), and matching of real request lines (as EngineProxy records them) against that list."""
import re
from pathlib import Path
from typing import Iterable

SECTION = "## Docker API endpoints"
_ROW = re.compile(r"^\|\s*(GET|POST|PUT|DELETE|HEAD)\s*\|\s*`([^`]+)`\s*\|")
_VERSION_PREFIX = re.compile(r"^/v\d+\.\d+(?=/)")
# {id}: one path segment (container/exec id or name); {name}: an image reference, may hold '/'.
_PLACEHOLDERS = {"{id}": r"[^/]+", "{name}": r".+"}


def documented_endpoints(security_md: Path) -> list[tuple[str, str]]:
    """(method, path pattern) rows of the table in the Docker API endpoints section."""
    text = security_md.read_text(encoding="utf-8")
    assert SECTION in text, f"{security_md} has no '{SECTION}' section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [m.groups() for m in map(_ROW.match, section.splitlines()) if m]
    assert rows, f"no endpoint rows found under '{SECTION}' in {security_md}"
    return rows


def _pattern_regex(pattern: str) -> re.Pattern:
    parts = re.split(r"(\{id\}|\{name\})", pattern)
    body = "".join(_PLACEHOLDERS.get(part, re.escape(part)) for part in parts)
    return re.compile(f"^{body}$")


def unversioned_path(target: str) -> str:
    """'/v1.41/containers/x/json?size=1' -> '/containers/x/json'."""
    return _VERSION_PREFIX.sub("", target.split("?", 1)[0])


def undocumented(requests: Iterable[tuple[str, str]],
                 documented: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The requests whose (method, path) matches no documented row."""
    compiled = [(method, _pattern_regex(pattern)) for method, pattern in documented]
    return [(method, target) for method, target in requests
            if not any(method == m and regex.match(unversioned_path(target))
                       for m, regex in compiled)]


def matching_row(method: str, target: str,
                 documented: list[tuple[str, str]]) -> tuple[str, str] | None:
    for row_method, pattern in documented:
        if method == row_method and _pattern_regex(pattern).match(unversioned_path(target)):
            return row_method, pattern
    return None
