"""Load a snapshot by version id (from specs/) or by file path (any OpenAPI/Swagger document)."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputFileError, UserError
from ..surface import Surface, surface_of
from ..surface.model import Group
from .catalog import Catalog
from .project import Project
from .resolving import ResolvedSpec, is_file_spec, looks_like_path, resolve_spec

__all__ = ["is_file_spec", "load_snapshot", "load_surface", "looks_like_path", "snapshot_from_file", "snapshot_path"]


def snapshot_path(project: Project, catalog: Catalog, spec: str | ResolvedSpec) -> Path:
    """Where the snapshot of a version id or a revision id lives."""
    return resolve_spec(project, catalog, spec).snapshot


def load_snapshot(project: Project, catalog: Catalog, spec: str | ResolvedSpec) -> dict:
    return _checked_snapshot(resolve_spec(project, catalog, spec))[0]


# Digests of the component schemas and of the operations this process has checked: a snapshot's
# schema or operation equal to one of them passes without a second look (revisions share most of
# theirs: 2,100 distinct schemas of 16,000, 1,000 distinct operations of 3,700).
_CHECKED_SCHEMAS: set[bytes] = set()
_CHECKED_OPERATIONS: set[bytes] = set()
_Texts = dict[str, tuple[str, bytes]]


def _checked_snapshot(resolved: ResolvedSpec) -> tuple[dict, _Texts, dict[int, tuple[str, bytes]]]:
    """A snapshot, parsed and checked, with its component_texts and operation_texts (surface/memo.py)."""
    version, path = resolved.id, resolved.snapshot
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise UserError(f"{version}: no snapshot at {path} (run `aoai-changelog import --from DIR`)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" at line {exc.lineno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else ": not UTF-8 text"
        raise InputFileError(path, f"malformed snapshot JSON{where}") from None
    except ValueError as exc:  # an integer past Python's digit limit
        raise InputFileError(path, f"malformed snapshot JSON: {str(exc).splitlines()[0]}") from None
    # A hand-edited or corrupted snapshot gets the same structural check as an upstream document.
    from ..load.structure import check_structure
    from ..surface.memo import component_texts, operation_texts

    if not isinstance(data, dict):
        raise InputFileError(path, "not a snapshot (expected a mapping)")
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        schemas = {}  # (not a mapping: the check says so)
    texts = component_texts(schemas)
    operations = operation_texts(data)
    known = {id(schemas[name]) for name, (_, digest) in texts.items() if digest in _CHECKED_SCHEMAS}
    known.update(key for key, (_, digest) in operations.items() if digest in _CHECKED_OPERATIONS)
    check_structure(data, f"{path} (a corrupted snapshot?)", known)
    _CHECKED_SCHEMAS.update(digest for _, digest in texts.values())
    _CHECKED_OPERATIONS.update(digest for _, digest in operations.values())
    return data, texts, operations


def snapshot_from_file(path: Path) -> dict:
    """Any OpenAPI 3.x / Swagger 2.0 file, normalized the same way the importer does it."""
    from ..normalize import convert_document, merge_documents

    part = convert_document(Path(path), "file", tree=Path(path).resolve().parent)
    label = Path(path).name
    provenance = {"document": "file", "format": part["format"], "sha256": "0" * 64, "servers": part["servers"]}
    return merge_documents(label, [("file", part)], [provenance])


def load_surface(project: Project | None, catalog: Catalog | None, spec: str | ResolvedSpec,
                 shared: bool = True) -> Surface:
    """The surface of a version or revision id, or of a document at a path (which needs no project
    or catalog); `spec` as the user wrote it or already resolved (resolving.py).

    `shared`: keep its rows in this process's pool, so that the next surface loaded shares the
    equal ones (see _shared). A caller that holds one surface at a time passes False: the pool
    would keep every row it ever saw. (Without sharing, the groups of the surface loaded last are
    still kept, for the next load, until release_shared_rows.)"""
    resolved = resolve_spec(project, catalog, spec)
    if resolved.file is not None:
        path = resolved.file
        if not path.exists():
            raise InputFileError(resolved.spec, "no such file" + (" (and not a known version)" if catalog else ""))
        return surface_of(snapshot_from_file(path), path.name)
    if project is None or catalog is None:
        raise UserError(f"'{resolved.spec}' is not a file, and no catalog of versions is available to look it up")
    return _cached_surface(project, catalog, resolved, shared)


_STAMP: list[str] = []


def _code_stamp() -> str:
    """A digest of the code that makes and stores surfaces: a cache made by other code is never
    used. Hashed once per process (a build loads 56 surfaces; the code does not change in between)."""
    if _STAMP:
        return _STAMP[0]
    import hashlib

    here = Path(__file__).resolve().parent.parent  # the package (this module is in store/)
    digest = hashlib.sha256()
    # The surface code (keys.py included) and this module, which sets the cache's layout.
    for path in [*sorted((here / "surface").glob("*.py")), Path(__file__).resolve()]:
        digest.update(path.read_bytes())
    _STAMP.append(digest.hexdigest()[:16])
    return _STAMP[0]


# Rows and groups seen in this process, each kept once: a build holds 56 surfaces whose rows are
# mostly equal (revisions of one version, neighbouring versions); sharing them keeps its memory
# near one surface's. A group is shared whole (by digest): then a diff sees the two are one.
_ROWS: dict[tuple, tuple] = {}
_GROUPS: dict[bytes, Group] = {}
# The groups of the surface loaded last without sharing, and the pickled groups of the surface
# cached last: the next surface (a build reads and makes them in order) has most of the same,
# which then need not be unpickled (or pickled) again. Memory holds one surface's worth.
_RECENT: dict[bytes, Group] = {}
_PICKLED: dict[bytes, bytes] = {}


def release_shared_rows() -> None:
    """Forget the pools of shared rows and groups (and the recent ones): the surfaces still held
    keep theirs, the rest is freed."""
    _ROWS.clear()
    _GROUPS.clear()
    _RECENT.clear()
    _PICKLED.clear()


def _shared(rows: dict[str, tuple]) -> dict[str, tuple]:
    out = {}
    for identity, row in rows.items():
        row = _ROWS.setdefault(row, row)
        out[row[0] if row[0] == identity else identity] = row  # the key string doubles as the identity
    return out


def _loaded_groups(stored: list[tuple[str, bytes, bytes]], shared: bool) -> list[Group]:
    """The groups of a cached surface: [(operation, digest, pickled rows)]. A group this process
    already holds (in the shared pool, the surface loaded before, or the memo of the groups it
    walked) is not unpickled again."""
    import pickle

    from ..surface.memo import memoised_group

    global _RECENT
    pool = _GROUPS if shared else _RECENT
    found: dict[bytes, Group] = {}
    for operation, digest, pickled in stored:
        if digest not in found:
            group = pool.get(digest) or memoised_group(digest)
            if group is None:
                rows = pickle.loads(pickled)
                group = Group(operation, digest, _shared(rows) if shared else rows)
            found[digest] = group
    if shared:
        _GROUPS.update(found)
    else:
        _RECENT = found
    return [found[digest] for _, digest, _ in stored]


def _pickled_groups(groups: list[Group]) -> list[tuple[str, bytes, bytes]]:
    """What _loaded_groups reads; a group pickled for the surface cached before is not pickled again."""
    import pickle

    global _PICKLED
    pickled = {group.digest: _PICKLED.get(group.digest) or pickle.dumps(group.rows, protocol=pickle.HIGHEST_PROTOCOL)
               for group in groups}
    _PICKLED = pickled
    return [(group.operation, group.digest, pickled[group.digest]) for group in groups]


def _cached_surface(project: Project, catalog: Catalog, resolved: ResolvedSpec, shared: bool = True) -> Surface:
    """The surface of a version, from build/cache/surfaces/ when the snapshot and code are unchanged:
    its rows, or for a memoised surface its groups (surface/memo.py).

    Computing the v1 surface takes about half a second; unpickling it a few hundredths.
    """
    import pickle

    from .locate import source_stamp

    version, snapshot_file = resolved.id, resolved.snapshot
    try:
        stamp = source_stamp(snapshot_file, _code_stamp())
    except FileNotFoundError:
        raise UserError(f"{version}: no snapshot at {snapshot_file} (run `aoai-changelog import --from DIR`)") from None
    # Named after the snapshot file, not the id: a version and its latest revision share one file,
    # so they share one entry (a cold build makes 47 surfaces for its 56 ids).
    try:
        name = "--".join(snapshot_file.resolve().relative_to(project.specs.resolve()).with_suffix("").parts)
    except ValueError:
        name = version
    cache = project.cache / "surfaces" / f"{name}.pickle"
    try:
        with open(cache, "rb") as handle:
            cached_stamp, stored = pickle.load(handle)
        if cached_stamp == stamp and isinstance(stored, dict):  # rows (a surface walked whole)
            return Surface(version, rows=_shared(stored) if shared else stored)
        if cached_stamp == stamp and isinstance(stored, list):  # groups
            return Surface(version, groups=_loaded_groups(stored, shared))
    except Exception:  # noqa: BLE001 - any unreadable cache (missing, truncated, older format) is a miss
        pass
    from ..surface.memo import memoised_surface_of

    snapshot, texts, operations = _checked_snapshot(resolved)
    surface = memoised_surface_of(snapshot, version, texts, operations)
    from .atomic import write_cache

    # A read-only checkout or a full disk still answers, just slower (and leaves no temporary file).
    stored = _pickled_groups(surface.groups) if surface.groups is not None else surface.rows
    write_cache(cache, lambda handle: pickle.dump((stamp, stored), handle, protocol=pickle.HIGHEST_PROTOCOL))
    return surface
