"""Request-body schemas cut out of the snapshots, one small self-contained document per operation
and version, for the site's "check a body" page (the browser fetches only the one it needs).

A bundle is `{"request": <the request schema>, "components": {...only what it reaches...},
"known": [...field paths...], "open": [...]}`: the `$ref`s keep their `#/components/...` form and
resolve inside the bundle; `known`/`open` let the page warn about fields the version does not know,
as `check` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from ..formatters.jsonout import canonical_json
from ..surface import Surface
from .bodycheck import find_request, known_request_paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


def _pointer_get(document: dict, pointer: str) -> Any:
    node: Any = document
    for part in pointer.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part] if isinstance(node, dict) else node[int(part)]
    return node


def _pointer_set(document: dict, pointer: str, value: Any) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]
    node = document
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$ref",) and isinstance(value, str):
                yield value
            elif key == "mapping" and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str))
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def bundle(snapshot: dict, identity: str, surface: Surface) -> dict | None:
    """The request schema of one operation with everything it reaches, or None (no JSON body)."""
    request = find_request(snapshot, identity)
    if request is None or request["pointer"] is None:
        return None
    root = _pointer_get(snapshot, request["pointer"])
    out: dict = {"request": root}
    seen: set[str] = set()
    todo = list(_refs(root))
    while todo:
        ref = todo.pop()
        if not ref.startswith("#/") or ref in seen:
            continue
        seen.add(ref)
        try:
            target = _pointer_get(snapshot, ref[1:])
        except (KeyError, IndexError, ValueError):
            continue  # a dangling reference: the page reports what jsonschema would
        _pointer_set(out, ref[1:], target)
        todo.extend(_refs(target))
    operation_key = next((row[0] for i, row in surface.rows.items() if row[1] == "operation" and i == identity), "")
    known, open_below = known_request_paths(surface.rows, operation_key)
    out["known"], out["open"] = sorted(known), sorted(open_below)
    out["operation"] = f"{request['method'].upper()} {request['path']}"
    return out


def check_files(sides: Iterable[tuple[str, dict, Surface]]) -> dict[str, str]:
    """api/check/index.json ({operation: {version: bundle id}}) and api/check/schemas/<id>.json,
    identical bundles stored once. `sides`: (version, snapshot, surface) in order, each used once
    (the site build passes a generator: one version's snapshot in memory at a time)."""
    files: dict[str, str] = {}
    index: dict[str, dict[str, str]] = {}
    versions = []
    for version, snapshot, surface in sides:
        versions.append(version)
        for element in surface.operations():
            data = bundle(snapshot, element.identity, surface)
            if data is None:
                continue
            text = canonical_json(data)
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            files[f"api/check/schemas/{digest}.json"] = text
            index.setdefault(element.key, {})[version] = digest
    files["api/check/index.json"] = canonical_json({"versions": versions, "operations": dict(sorted(index.items()))})
    return files
