"""A tiny block-style YAML emitter for test configs (Debian's python3-yaml is not a dependency).
Strings are written as JSON strings, which are valid YAML double-quoted scalars, so no value
can change type or break the document."""
import json
from typing import Any


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)) and not value:
        return "[]"
    if isinstance(value, dict) and not value:
        return "{}"
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _is_block(value: Any) -> bool:
    return isinstance(value, (dict, list, tuple)) and len(value) > 0


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("YAML mapping keys must be strings here")
            if _is_block(item):
                out.append(f"{pad}{key}:")
                out.extend(_lines(item, indent + 2))
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, (list, tuple)):
        for item in value:
            if _is_block(item):
                # Render the item one level deeper, then let "- " take the place of the
                # first line's indentation: "- username: x" / "  password: y".
                nested = _lines(item, indent + 2)
                nested[0] = f"{pad}- {nested[0].lstrip()}"
                out.extend(nested)
            else:
                out.append(f"{pad}- {_scalar(item)}")
    else:
        out.append(f"{pad}{_scalar(value)}")
    return out


def to_yaml(document: dict) -> str:
    return "\n".join(_lines(document, 0)) + "\n"
