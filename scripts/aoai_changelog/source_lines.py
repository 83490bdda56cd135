"""Where an operation is written in a user's spec file: `POST /chat/completions` -> line 42.

The loaders give data, not positions, so this reads the text once more: the line of each path
entry under `paths`, then the first line after it that opens the method. That locates every
operation of an ordinary JSON or YAML document (what a CI annotation needs: a line near the
change); elements inside an operation are reported at their operation's line.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .surface import Surface

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _opens(line: str, name: str) -> bool:
    """Does this line open the mapping entry `name` (JSON `"name":`, YAML `name:` or quoted)?"""
    stripped = line.strip()
    for spelled in (f'"{name}"', f"'{name}'", name):
        if stripped.startswith(spelled):
            rest = stripped[len(spelled):].lstrip()
            if rest.startswith(":"):
                return True
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def operation_lines(path: str, surface: Surface) -> dict[str, int]:
    """{operation key: 1-based line} for the operations of `surface`, read from the file at `path`
    (the document the surface was made from). Operations whose line is not found are left out."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return {}
    starts: dict[str, int | None] = {}
    found: dict[str, int] = {}
    for operation in surface.operations():
        raw_path = operation.attrs.get("path")
        method = operation.key.split(" ", 1)[0].lower()
        if not isinstance(raw_path, str) or method not in _METHODS:
            continue
        if raw_path not in starts:
            starts[raw_path] = next((i for i, line in enumerate(lines) if _opens(line, raw_path)), None)
        start = starts[raw_path]
        if start is None:
            continue
        depth = _indent(lines[start])
        for i in range(start + 1, len(lines)):
            line = lines[i]
            if line.strip() and _indent(line) <= depth and not line.strip().startswith(("}", "]")):
                break  # past this path's entry
            if _opens(line, method):
                found[operation.key] = i + 1
                break
    return found
