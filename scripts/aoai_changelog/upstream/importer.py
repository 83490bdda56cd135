"""`aoai-changelog import`: upstream files -> one facts-only snapshot per version under specs/."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UserError
from ..formatters.jsonout import canonical_json
from ..load.files import sha256_of
from ..normalize import convert_document, merge_documents
from ..progress import progress
from ..store.atomic import write_files
from ..store.catalog import Catalog, Document
from ..store.project import Project

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from jsonschema.protocols import Validator

    from .gitfiles import GitFiles


class UpstreamTree:
    """The manifest layout (../shared/upstream): each document's `file` is a path inside the folder."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def locate(self, doc: Document) -> tuple[Path, Path]:
        """(the file to read, the folder its relative `$ref`s may reach)."""
        if doc.file is None:
            raise UserError(f"the catalog names no file for the {doc.document} document: "
                            f"it cannot be read from {self.root}")
        return self.root / doc.file, self.root


def as_source(upstream: str | Path | UpstreamTree | GitFiles) -> UpstreamTree | GitFiles:
    """An upstream source from a folder: the manifest layout, or a git clone of the upstream repository
    (bytes from its history, see gitfiles.py); a source object passes through."""
    if not isinstance(upstream, (str, Path)):
        return upstream
    upstream = Path(upstream)
    if (upstream / "MANIFEST.yaml").is_file():
        return UpstreamTree(upstream)
    if (upstream / ".git").exists():
        from .gitfiles import GitFiles

        return GitFiles.open(upstream)
    raise UserError(f"{upstream}: not an upstream tree (no MANIFEST.yaml) nor a git clone of the upstream repository")


def check_source(source: UpstreamTree | GitFiles, version: str, doc: Document) -> tuple[Path, Path]:
    """The upstream file of `doc` and its tree, after checking it exists and matches the catalog's sha256."""
    if doc.file is None or doc.sha256 is None:
        raise UserError(f"{version}: the catalog has no source file for its {doc.document} document "
                        f"(status: {doc.status})")
    path, tree = source.locate(doc)
    if not path.is_file():
        raise UserError(f"{version}: {doc.document} document not found: {path}")
    actual = sha256_of(path)
    if actual != doc.sha256:
        raise UserError(
            f"{version}: sha256 mismatch for {path}: catalog says {doc.sha256[:12]}…, file is {actual[:12]}… "
            "(upstream file changed; review it and update specs/catalog.yaml on purpose)"
        )
    return path, tree


def build_snapshot(upstream: str | Path | UpstreamTree | GitFiles, version: str, documents: list[Document],
                   convert: Callable[[Path, str, Path], dict] | None = None) -> dict:
    """One version's (or revision's) snapshot. `convert(path, document, tree)` defaults to the
    importer's converter; sync passes a memoized one (it has already converted each file once to
    check that it loads)."""
    source = as_source(upstream)
    convert = convert or (lambda path, name, tree: convert_document(path, name, tree=tree))
    parts, provenance = [], []
    for doc in documents:
        path, tree = check_source(source, version, doc)
        part = convert(path, doc.document, tree)
        parts.append((doc.document, part))
        provenance.append({
            "document": doc.document,
            "format": part["format"],
            "sha256": doc.sha256,
            "upstream_path": doc.upstream_path,
            "upstream_commit": doc.upstream_commit,
            "servers": part["servers"],
        })
    return merge_documents(version, parts, provenance)


def validate_snapshot(snapshot: dict, schema_dir: Path, label: str) -> None:
    """Refuse a snapshot that schema/snapshot.schema.json refuses (prose, unknown keywords, ...).

    Its frame is checked whole; its operations and component schemas one by one, each distinct one
    once per process: revisions and neighbouring versions repeat most of them, and checking 47 whole
    snapshots was four fifths of an import."""
    checks = _SnapshotChecks.of(schema_dir)
    pieces: list[tuple] = [((), checks.frame, snapshot)]
    for path, item in sorted((snapshot.get("paths") or {}).items()):
        for method, operation in sorted(item.items()) if isinstance(item, dict) else []:
            pieces.append((("paths", path, method), checks.operation, operation))
    components = snapshot.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for name, schema in sorted(schemas.items()) if isinstance(schemas, dict) else []:
        pieces.append((("components", "schemas", name), checks.schema, schema))
    for where, validator, instance in pieces:
        checks.check(validator, instance, where, label)


def _remembering_schema_refs(jsonschema: Any) -> Any:
    """Draft 2020-12 whose `$ref` to `#/$defs/schema` skips a sub-schema already found valid.

    A component that changed in one property is checked again whole, yet most of its property
    schemas were checked in the previous version: remembering them (by their JSON text, shared by
    the three validators, whose `$defs` are the same) halves an import. Exact, because the snapshot
    schema's `$defs/schema` depends on nothing but the instance (no `$dynamicRef`, no `unevaluated*`)."""
    follow = jsonschema.Draft202012Validator.VALIDATORS["$ref"]
    found_valid: set[str] = set()

    def ref(validator: Any, target: str, instance: Any, schema: Any) -> Any:
        if target != "#/$defs/schema":
            yield from follow(validator, target, instance, schema)
            return
        key = json.dumps(instance, sort_keys=True)
        if key in found_valid:
            return
        errors = list(follow(validator, target, instance, schema))
        if not errors:
            found_valid.add(key)
        yield from errors

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"$ref": ref})


class _SnapshotChecks:
    """Validators for the parts of a snapshot, and the parts already found valid."""

    _by_file: dict[str, _SnapshotChecks] = {}

    @classmethod
    def of(cls, schema_dir: Path) -> _SnapshotChecks:
        path = str(Path(schema_dir) / "snapshot.schema.json")
        if path not in cls._by_file:
            cls._by_file[path] = cls(json.loads(Path(path).read_text()))
        return cls._by_file[path]

    def __init__(self, schema: dict):
        import copy

        import jsonschema  # slow to import: only when a snapshot is written

        self.error = jsonschema.ValidationError
        frame = copy.deepcopy(schema)  # operations and component schemas are checked on their own
        frame["properties"]["paths"]["additionalProperties"]["additionalProperties"] = True
        frame["properties"]["components"]["properties"]["schemas"]["additionalProperties"] = True
        checker = _remembering_schema_refs(jsonschema)
        self.frame = checker(frame)
        part = {key: schema[key] for key in ("$schema", "$defs") if key in schema}
        self.operation = checker({**part, "$ref": "#/$defs/operation"})
        self.schema = checker({**part, "$ref": "#/$defs/schema"})
        self.valid: set[tuple[int, str]] = set()

    def check(self, validator: Validator, instance: Any, where: tuple, label: str) -> None:
        key = (id(validator), json.dumps(instance, sort_keys=True))
        if key in self.valid:
            return
        try:
            validator.validate(instance)
        except self.error as exc:
            at = "/".join(str(p) for p in (*where, *exc.absolute_path)) or "(top)"
            raise UserError(f"{label}: snapshot fails schema/snapshot.schema.json at {at}: {exc.message}") from None
        self.valid.add(key)


def import_versions(project: Project, catalog: Catalog, upstream: Path,
                    versions: list[str] | None) -> list[tuple[str, bool]]:
    """Import each version (all by default) and its dated revisions. Returns [(id, changed on disk)].

    The canonical revision of a version is its specs/<version>.json; every other imported revision
    gets specs/revisions/<revision id>.json.
    """
    source = as_source(upstream)
    wanted = [catalog.get(v).id for v in versions] if versions else catalog.ids()
    jobs: list[tuple[str, list[Document], Path]] = []
    for version_id in wanted:
        version = catalog.get(version_id)
        jobs.append((version_id, version.documents, project.snapshot_file(version_id)))
        for revision in version.revisions:
            if revision["imported"] and not revision["canonical"]:
                jobs.append((revision["id"], version.revision_documents(revision),
                             project.revision_file(revision["id"])))
    # Every source is checked (present, sha256) before any is converted: a bad catalog or upstream
    # tree fails in a second, not after minutes of conversion.
    for label, documents, _ in jobs:
        for doc in documents:
            check_source(source, label, doc)
    # Build everything first, write after: a failure half-way leaves specs/ as it was.
    built = []
    for label, documents, target in progress(jobs, "import", total=len(jobs)):
        snapshot = build_snapshot(source, label, documents)
        validate_snapshot(snapshot, project.schema_dir, label)
        built.append((label, target, snapshot))
    changed = set(write_files({target: canonical_json(snapshot) for _, target, snapshot in built}))
    _remove_stale_revisions(project, catalog)
    return [(label, target in changed) for label, target, _ in built]


def _remove_stale_revisions(project: Project, catalog: Catalog) -> None:
    """Revision snapshots the catalog no longer lists (or no longer imports) go away."""
    expected = {r["id"] for v in catalog.versions for r in v.revisions if r["imported"] and not r["canonical"]}
    for path in sorted(project.revisions_dir.glob("*.json")) if project.revisions_dir.is_dir() else []:
        if path.stem not in expected:
            path.unlink()
