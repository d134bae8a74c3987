"""Reading the analyst event stream (<logging.output_dir>/events.jsonl) while the server writes it."""
import json
from pathlib import Path
from typing import Iterable, Optional


class MalformedEventLog(AssertionError):
    pass


def read_events(path: Path) -> list[dict]:
    """Every complete line as a dict. A last line without its newline is still being written and
    is left for the next read; any other line that is not a JSON object is a server bug."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = text.split("\n")
    complete = lines[:-1]  # the piece after the last "\n" is empty or partial
    events = []
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as error:
            raise MalformedEventLog(f"{path}:{number}: not JSON ({error}): {line[:200]!r}")
        if not isinstance(event, dict):
            raise MalformedEventLog(f"{path}:{number}: not a JSON object: {line[:200]!r}")
        events.append(event)
    return events


def of_session(events: Iterable[dict], session: str) -> list[dict]:
    return [e for e in events if e.get("session") == session]


def with_id(events: Iterable[dict], eventid: str) -> list[dict]:
    return [e for e in events if e.get("eventid") == eventid]


def session_ids(events: Iterable[dict]) -> list[str]:
    """Sessions in the order they connected."""
    return [e["session"] for e in with_id(events, "hermes.session.connect")]


def session_for_client(events: list[dict], src_port: Optional[int] = None) -> Optional[str]:
    """The session whose connect event has this client port, or the last one to connect."""
    connects = with_id(events, "hermes.session.connect")
    if src_port is not None:
        connects = [e for e in connects if e.get("src_port") == src_port]
    return connects[-1]["session"] if connects else None


def assert_in_order(events: list[dict], stages: list) -> None:
    """Each stage is an eventid, or a set of eventids whose order among themselves is free.
    Every eventid occurs, and the first occurrences of a stage all come after those of the
    stage before it."""
    seen = [e.get("eventid") for e in events]
    groups = [stage if isinstance(stage, (set, frozenset)) else {stage} for stage in stages]
    missing = [i for group in groups for i in sorted(group) if i not in seen]
    assert not missing, f"events missing: {missing}; got {seen}"
    spans = [(min(seen.index(i) for i in g), max(seen.index(i) for i in g)) for g in groups]
    for (_, earlier_end), (later_start, _) in zip(spans, spans[1:]):
        assert earlier_end < later_start, f"events out of order: expected {stages}, got {seen}"
