"""Follow `$ref`s: local (`#/components/schemas/X`) and cross-file (`other.json#/definitions/X`).

The resolver only looks targets up; it never expands a reference in place, so recursive schemas
cost nothing here (the surface walker is the one that marks cycles).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import UserError
from .files import read_structured


def _decode_pointer_token(token: str) -> str:
    return unquote(token).replace("~1", "/").replace("~0", "~")


def lookup_pointer(document: Any, pointer: str, where: str) -> Any:
    """The value at JSON pointer `pointer` (without the leading '#') in `document`."""
    if pointer in ("", "/"):
        return document
    if not pointer.startswith("/"):
        raise UserError(f"{where}: unsupported $ref fragment '#{pointer}' (expected a JSON pointer)")
    node = document
    for raw in pointer[1:].split("/"):
        token = _decode_pointer_token(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise UserError(f"{where}: dangling $ref '#{pointer}': nothing at that JSON pointer")
    return node


@lru_cache(maxsize=4096)
def _resolved_path(path: Path) -> Path:
    return path.resolve()


def _resolved(path: Path | str) -> Path:
    """`Path(path).resolve()`, once per path: it asks the file system, and a document has thousands
    of refs (and a Path that is already one is not made again)."""
    return _resolved_path(path if isinstance(path, Path) else Path(path))


class RefResolver:
    """Resolves references relative to the file they appear in, confined to one directory tree."""

    def __init__(self, root_file: Path, root_document: Any, tree: Path | None = None):
        self.root_file = Path(root_file).resolve()
        self.tree = Path(tree).resolve() if tree else self.root_file.parent
        self._documents: dict[Path, Any] = {self.root_file: root_document}

    def document(self, file: Path) -> Any:
        file = _resolved(file)
        if file not in self._documents:
            if not file.is_relative_to(self.tree):
                raise UserError(f"{self.root_file}: $ref to a file outside the input tree: {file}")
            self._documents[file] = read_structured(file)
        return self._documents[file]

    def split(self, ref: str, base_file: Path | None = None) -> tuple[Path, str]:
        """(absolute file, JSON pointer) that `ref` names, seen from `base_file`."""
        if not isinstance(ref, str):
            raise UserError(f"{base_file or self.root_file}: $ref is not a string: {ref!r}")
        base = _resolved(base_file) if base_file else self.root_file
        file_part, _, pointer = ref.partition("#")
        if "://" in file_part:
            raise UserError(f"{base}: remote $ref not supported (only files inside the input tree): {ref}")
        target = _resolved(base.parent / unquote(file_part)) if file_part else base
        return target, pointer

    def resolve(self, ref: str, base_file: Path | None = None) -> tuple[Any, Path, str]:
        """(target value, the file it lives in, its JSON pointer)."""
        target_file, pointer = self.split(ref, base_file)
        if target_file != self.root_file and not target_file.is_relative_to(self.tree):
            raise UserError(f"{base_file or self.root_file}: $ref to a file outside the input tree: {ref}")
        if target_file != self.root_file and not target_file.exists():
            raise UserError(f"{base_file or self.root_file}: dangling $ref '{ref}': file {target_file} does not exist")
        document = self.document(target_file)
        value = lookup_pointer(document, pointer, str(target_file))
        return value, target_file, pointer

    def resolve_chain(self, node: Any, base_file: Path | None = None, limit: int = 64) -> tuple[Any, Path]:
        """Follow a chain of pure `{$ref: ...}` objects to the first non-reference value."""
        file = _resolved(base_file) if base_file else self.root_file
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            seen += 1
            if seen > limit:
                raise UserError(f"{file}: $ref chain longer than {limit} (circular reference?) at '{node['$ref']}'")
            node, file, _ = self.resolve(node["$ref"], file)
        return node, file
