"""One upstream document -> its facts: converted paths and the component schemas they use."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..load import RefResolver, read_document
from .operations import OperationConverter
from .schemas import SchemaConverter


def _component_name(pointer: str) -> str:
    for home in ("/components/schemas/", "/definitions/"):
        if pointer.startswith(home) and "/" not in pointer[len(home):]:
            return pointer[len(home):].replace("~1", "/").replace("~0", "~")
    # A schema nested somewhere else: name it after its pointer, readably.
    return re.sub(r"[^A-Za-z0-9_.-]+", ".", pointer.strip("/")) or "root"


class _Components:
    """Collects the component schemas of one document, including those pulled in from other files."""

    def __init__(self, resolver: RefResolver, fmt: str):
        self.resolver = resolver
        self.schemas: dict[str, Any] = {}
        self._names: dict[tuple[Path, str], str] = {}
        self._pending: list[tuple[str, Any, Path]] = []
        self.converter = SchemaConverter(fmt == "swagger-2.0", self.map_ref)

    def map_ref(self, ref: str, base_file: Path) -> str:
        """The component name `ref` will have; its target is converted later, from a work list
        (converting it here would recurse once per reference: deep schema graphs overflow the stack)."""
        target_file, pointer = self.resolver.split(ref, base_file)
        key = (target_file, pointer)
        name = self._names.get(key)
        if name is None:
            name = _component_name(pointer)
            if target_file != self.resolver.root_file:
                name = f"{target_file.stem}.{name}"
            while name in self.schemas:  # a different target already uses this name
                name += "_"
            self._names[key] = name
            self.schemas[name] = {}  # placeholder until the work list reaches it
            target, tfile, _ = self.resolver.resolve(ref, base_file)
            self._pending.append((name, target, tfile))
        return f"#/components/schemas/{name}"

    def convert_pending(self) -> None:
        while self._pending:
            name, target, tfile = self._pending.pop()
            self.schemas[name] = self.converter.convert(target, tfile)


def convert_document(path: Path, source: str, tree: Path | None = None) -> dict:
    """Read `path` and return {'format', 'servers', 'paths', 'schemas'} in snapshot spelling.

    `source` names the document ('inference', 'authoring', 'v1', ...) and marks each operation.
    """
    document, fmt = read_document(path)
    resolver = RefResolver(path, document, tree)
    components = _Components(resolver, fmt)
    root = resolver.root_file

    # Every component schema of the document, referenced or not: Swagger-style subtypes are reached
    # only through the base's discriminator, never by a $ref from an operation.
    home = document.get("definitions") if fmt == "swagger-2.0" else (document.get("components") or {}).get("schemas")
    if home is not None and not isinstance(home, dict):
        raise UserError(f"{path}: component schemas are not a mapping")
    prefix = "#/definitions/" if fmt == "swagger-2.0" else "#/components/schemas/"
    for name in (home or {}):
        components.map_ref(prefix + name.replace("~", "~0").replace("/", "~1"), root)

    operations = OperationConverter(document, fmt, root, resolver, components.converter)
    paths = operations.convert_paths(source)
    components.convert_pending()
    return {"format": fmt, "servers": _servers(document, fmt), "paths": paths, "schemas": components.schemas}


def _servers(document: dict, fmt: str) -> list[str]:
    """Base URLs, as templates: they tell where an operation lives (…/openai vs …/openai/v1)."""
    if fmt == "swagger-2.0":
        host = document.get("x-ms-parameterized-host") or {}
        template = host.get("hostTemplate") if isinstance(host, dict) else None
        if template:
            return [str(template) + (document.get("basePath") or "")]
        if document.get("host"):
            return [str(document["host"]) + (document.get("basePath") or "")]
        return []
    return [str(s["url"]) for s in document.get("servers") or [] if isinstance(s, dict) and "url" in s]
