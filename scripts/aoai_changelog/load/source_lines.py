"""Where an operation is written in a user's spec file: `POST /chat/completions` -> line 42.

The loaders give data, not positions, so this reads the text once more: the line of each path
entry under `paths`, then the first line after it that opens the method. That locates every
operation of an ordinary JSON or YAML document (what a CI annotation needs: a line near the
change); elements inside an operation are reported at their operation's line.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..surface import Surface

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


class SourceMap:
    """The lines of one user file, and where each operation's entry starts and ends in it."""

    def __init__(self, lines: list[str], blocks: dict[str, tuple[int, int]]):
        self.lines, self.blocks = lines, blocks  # blocks: operation key -> (first, end) 0-based

    def get(self, operation: str, default: int | None = None) -> int | None:
        """The 1-based line of an operation (its method), like a dict of operation -> line."""
        block = self.blocks.get(operation)
        return block[0] + 1 if block else default

    def __contains__(self, operation: str) -> bool:
        return operation in self.blocks

    def element_line(self, operation: str, kind: str, key: str) -> int | None:
        """The line of an element: its name's entry inside the operation when the schema is written
        there (inline), else the operation's line (the schema is elsewhere, behind a $ref)."""
        block = self.blocks.get(operation)
        if block is None:
            return None
        # A name counts only where the document declares one: under `properties` (fields, enum
        # values' fields), under `headers`, or as a parameter's `name`. (`content`, `type`, ...
        # are also keywords of the document itself.)
        from ..surface.keys import element_name

        parent = {"field": "properties", "enum": "properties", "header": "headers"}.get(kind)
        if kind == "enum" and _is_parameter(key.rsplit("=", 1)[0]):
            kind, key, parent = "parameter", key.rsplit("=", 1)[0], None  # a parameter's value: its own line
        if parent or kind == "parameter":
            name = element_name("field" if kind == "enum" else kind, key.rsplit("=", 1)[0] if kind == "enum" else key)
            for i in range(block[0] + 1, block[1]):
                line = self.lines[i]
                if kind == "parameter" and _names(line, name):
                    return i + 1
                if parent and _opens(line, name) and _opens(self._parent_line(i, block[0]), parent):
                    return i + 1
        return block[0] + 1

    def _parent_line(self, index: int, floor: int) -> str:
        """The line that opens the mapping holding line `index` (the nearest less indented one)."""
        depth = _indent(self.lines[index])
        for i in range(index - 1, floor - 1, -1):
            line = self.lines[i]
            if line.strip() and _indent(line) < depth and not line.strip().startswith(("}", "]")):
                return line
        return ""


_PARAMETER_LOCATIONS = ("path", "query", "querystring", "header", "cookie")


def _is_parameter(key: str) -> bool:
    """Is this element key a parameter itself (`GET /x query kind`), not a field inside one's schema?"""
    parts = key.split(" ")
    return len(parts) == 4 and parts[2] in _PARAMETER_LOCATIONS


def _names(line: str, name: str) -> bool:
    """A parameter written as `name: NAME` / `"name": "NAME"` (parameters are a list, not a map)."""
    stripped = line.strip().lstrip("-").strip()
    return any(stripped.startswith(f"{q}name{q}")
               and stripped.rstrip(",").endswith((f'"{name}"', f"'{name}'", f" {name}"))
               for q in ('"', "'", ""))


class LazySourceMap:
    """operation_lines(path, surface), read on first use: only the formats that print a file and
    line (text, markdown, github) ask, so `--format json` never reads the user's file twice."""

    def __init__(self, path: str, surface: Surface):
        self._path, self._surface = path, surface
        self._map: SourceMap | None = None

    def _made(self) -> SourceMap:
        if self._map is None:
            self._map = operation_lines(self._path, self._surface)
        return self._map

    def get(self, operation: str, default: int | None = None) -> int | None:
        return self._made().get(operation, default)

    def __contains__(self, operation: str) -> bool:
        return operation in self._made()

    def element_line(self, operation: str, kind: str, key: str) -> int | None:
        return self._made().element_line(operation, kind, key)


def operation_lines(path: str, surface: Surface) -> SourceMap:
    """Where each operation of `surface` is written in the file at `path` (the document the surface
    was made from). Operations whose line is not found are left out."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return SourceMap([], {})
    starts: dict[str, int | None] = {}
    blocks: dict[str, tuple[int, int]] = {}
    for operation in surface.operations():
        raw_path = operation.attrs.get("path")
        method = operation.key.split(" ", 1)[0].lower()
        if not isinstance(raw_path, str) or method not in _METHODS:
            continue
        if raw_path not in starts:
            # `raw_path in line` first: a C substring test that every opening line passes.
            starts[raw_path] = next((i for i, line in enumerate(lines) if raw_path in line
                                     and _opens(line, raw_path)), None)
        start = starts[raw_path]
        if start is None:
            continue
        blocks.update(_method_block(lines, start, method, operation.key))
    return SourceMap(lines, blocks)


def _method_block(lines: list[str], start: int, method: str, key: str) -> dict[str, tuple[int, int]]:
    """{key: (line of the method, end of its entry)} within the path entry that opens at `start`."""
    depth = _indent(lines[start])
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() and _indent(line) <= depth and not line.strip().startswith(("}", "]")):
            return {}  # past this path's entry
        if _opens(line, method):
            own = _indent(line)
            end = i + 1
            while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > own
                                        or lines[end].strip().startswith(("}", "]"))):
                end += 1
            return {key: (i, end)}
    return {}
