"""`aoai-changelog import`: upstream files -> one facts-only snapshot per version under specs/."""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import write_files
from .catalog import Catalog, Document
from .errors import UserError
from .jsonout import canonical_json
from .load.files import sha256_of
from .normalize import convert_document, merge_documents
from .progress import progress
from .project import Project


class UpstreamTree:
    """The manifest layout (../shared/upstream): each document's `file` is a path inside the folder."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def locate(self, doc: Document) -> tuple[Path, Path]:
        """(the file to read, the folder its relative `$ref`s may reach)."""
        return self.root / doc.file, self.root


def as_source(upstream):
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


def check_source(source, version: str, doc: Document) -> tuple[Path, Path]:
    """The upstream file of `doc` and its tree, after checking it exists and matches the catalog's sha256."""
    if doc.file is None or doc.sha256 is None:
        raise UserError(f"{version}: the catalog has no source file for its {doc.document} document (status: {doc.status})")
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


def build_snapshot(upstream, version: str, documents: list[Document], convert=None) -> dict:
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
    import jsonschema  # slow to import: only when a snapshot is written
    schema = json.loads((schema_dir / "snapshot.schema.json").read_text())
    try:
        jsonschema.Draft202012Validator(schema).validate(snapshot)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise UserError(f"{label}: snapshot fails schema/snapshot.schema.json at {where}: {exc.message}") from None


def import_versions(project: Project, catalog: Catalog, upstream: Path, versions: list[str] | None) -> list[tuple[str, bool]]:
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
                jobs.append((revision["id"], version.revision_documents(revision), project.revision_file(revision["id"])))
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
