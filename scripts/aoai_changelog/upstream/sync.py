"""`aoai-changelog sync`: catalog, specs/ and changelog/ brought up to date from the upstream git history.

1. plan:    the path map + `git log` give every revision of every document (upstreamhistory.py); the
            catalog's entries for those versions are remade from them with the manifest's rules
            (revisions.revisions_of): the newest importable revision is canonical unless pinned.
2. import:  new or changed revisions become snapshots, with the same importer and checks as
            `import` (a revision that cannot be loaded stays in the catalog with the reason).
3. render:  changelog/ (with the v1 timeline the feeds are made from) is rendered from a staged
            copy of specs/, so nothing in the project has changed yet.
4. commit:  specs/ files are renamed into place together, then changelog/ is swapped in.

Anything that fails or is interrupted before step 4 leaves specs/ and changelog/ as they were.
Nothing new upstream: nothing is written (idempotent).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from ..errors import UserError
from ..formatters.jsonout import canonical_json
from ..store.atomic import encoded, write_files
from ..store.catalog import Document, catalog_of, catalog_text, revision_documents, validate_catalog
from ..store.project import Project
from ..store.versionids import release_date
from .gitfiles import GitFiles, upstream_path_of
from .pathmap import channel_of, load_path_map
from .revisions import revisions_of
from .upstreamhistory import read_history


class Plan:
    """What a sync finds: the new catalog data, and what differs from the current one."""

    def __init__(self) -> None:
        self.data: dict = {"versions": []}
        self.commits = 0
        self.new_versions: list[str] = []
        self.new_revisions: list[tuple[str, dict]] = []      # (version, revision)
        self.changed_revisions: list[tuple[str, dict, dict]] = []  # (version, old, new)
        self.gone_revisions: list[tuple[str, dict]] = []
        self.canonical_moves: list[tuple[str, str | None, str]] = []
        self.skipped: list[tuple[str, str]] = []            # (version, why it cannot be added yet)
        self.jobs: list[tuple[str, list[Document], str]] = []  # (label, documents, target relative to specs/)
        self.stale_files: list[str] = []                    # revision snapshots no longer listed
        self.updated: list[str] = []  # entries whose other facts changed (a change title now known, ...)

    @property
    def nothing_new(self) -> bool:
        return not (self.new_versions or self.new_revisions or self.changed_revisions or self.gone_revisions
                    or self.canonical_moves or self.jobs or self.stale_files or self.updated)


class Converter:
    """Converts each upstream file once (keyed by its bytes): the loadability check and the import
    share the result. A failure is kept as its one-line reason."""

    def __init__(self, files: GitFiles) -> None:
        self.files = files
        self._done: dict[tuple[str, str], dict | str] = {}

    def __call__(self, path: Path, document: str, tree: Path) -> dict:
        from ..load.files import sha256_of

        key = (sha256_of(path), document)
        if key not in self._done:
            self._done[key] = self._convert(path, document, tree)
        result = self._done[key]
        if isinstance(result, str):
            raise UserError(result)
        return result

    def _convert(self, path: Path, document: str, tree: Path) -> dict | str:
        from ..normalize import convert_document

        try:
            return convert_document(path, document, tree=tree)
        except UserError as exc:
            # Say where in upstream terms: no machine path may end up in the catalog.
            return str(exc).replace(str(tree.resolve()) + os.sep, "").replace(str(tree) + os.sep, "")

    def loadable(self, doc: dict) -> str | None:
        path, tree = self.files.materialize(doc["commit"], upstream_path_of(doc["file"]))
        try:
            self(path, doc["document"], tree)
        except UserError as exc:
            return str(exc)
        return None


def plan_sync(project: Project, old: dict, files: GitFiles, since: str | None, converter: Converter) -> Plan:
    """The catalog as the upstream history says it should be, compared with `old` (nothing written).

    Versions the history names are remade from it (with --since: from the revisions the catalog has
    before DATE, then the history from DATE on); the others are kept as they are."""
    pathmap = load_path_map(project.specs, project.schema_dir)
    old_versions = {v["id"]: v for v in old["versions"]}
    before = {v: _kept_revisions(entry, since) for v, entry in old_versions.items()}
    previous = {}
    for version, kept in before.items():
        for name, doc in _state_after(kept).items():
            previous[(version, name, "json")] = doc["sha256"]
    history = read_history(files.repo, pathmap, since, previous)
    plan = Plan()
    plan.commits = len(history.commits)
    known_loadable = {d["sha256"] for v in old["versions"] for r in v.get("revisions") or [] if r["imported"]
                      for d in r["documents"]}

    def loadable(doc: dict) -> str | None:
        return None if doc["sha256"] in known_loadable else converter.loadable(doc)

    versions = dict(old_versions)
    for version_id, entries in history.entries.items():
        names = pathmap.documents_of(version_id)
        kept = before.get(version_id, [])
        found = revisions_of(version_id, names, entries, {}, loadable, initial_state=_as_entries(_state_after(kept)))
        revisions = [dict(r) for r in kept] + found
        entry = _version_entry(version_id, revisions, old_versions.get(version_id), entries, plan)
        if entry is not None:
            versions[version_id] = entry
    plan.data = {"versions": sorted(versions.values(), key=lambda v: pathmap.timeline_key(v["id"]))}
    _compare(plan, old_versions, project)
    return plan


def _kept_revisions(entry: dict, since: str | None) -> list[dict]:
    """The revisions a sync keeps as they are: those before `since` (all are re-read without it)."""
    return [r for r in entry.get("revisions") or [] if since and r["date"] < since]


def _state_after(revisions: list[dict]) -> dict[str, dict]:
    """{document: revision document} of the newest JSON state in `revisions`."""
    state: dict[str, dict] = {}
    for revision in revisions:
        for doc in revision["documents"]:
            if doc["format"] == "json":
                state[doc["document"]] = doc
    return state


def _as_entries(state: dict[str, dict]) -> dict[str, dict]:
    """Revision documents in the shape of manifest entries (what revisions_of carries forward)."""
    return {name: {"format": d["format"], "file": d["file"], "upstream_commit": d["commit"], "sha256": d["sha256"],
                   "status": d["status"]} for name, d in state.items()}


def _version_entry(version_id: str, revisions: list[dict], old: dict | None, entries: list[tuple[int, dict]],
                   plan: Plan) -> dict | None:
    """The catalog entry of a version: its revisions, the canonical one and its documents."""
    imported = [r for r in revisions if r["imported"]]
    pin = (old or {}).get("pin")
    if pin:
        chosen = [r for r in imported if r["id"] == pin["revision"]]
        if not chosen:
            raise UserError(f"{version_id}: the catalog pins {pin['revision']}, which is not an imported revision "
                            "of the upstream history (remove or change the pin in specs/catalog.yaml)")
        canonical = chosen[0]
    elif imported:
        canonical = imported[-1]
    else:
        if old is not None:
            return _with_failed_revisions(old, revisions)
        plan.skipped.append((version_id, revisions[-1]["reason"] if revisions else "no revision"))
        return None  # nothing importable yet: the version is added once a revision loads
    for revision in revisions:
        revision["canonical"] = revision is canonical
    by_key = {(e["upstream_commit"], e["document"], e["format"]): e for _, e in entries}
    old_docs = {d["document"]: d for d in (old or {}).get("documents", [])}
    documents = []
    for doc in canonical["documents"]:
        source = by_key.get((doc["commit"], doc["document"], doc["format"]))
        previous = old_docs.get(doc["document"])
        if source is not None:
            documents.append({"document": doc["document"], **{k: source[k] for k in (
                "file", "upstream_path", "upstream_commit", "upstream_change", "sha256", "size", "status", "note")}})
        elif previous is not None and previous["sha256"] == doc["sha256"]:
            documents.append(previous)
        else:  # a state from before --since, of which the catalog kept only the revision's facts
            documents.append({"document": doc["document"], "file": doc["file"],
                              "upstream_path": upstream_path_of(doc["file"]), "upstream_commit": doc["commit"],
                              "upstream_change": None, "sha256": doc["sha256"], "size": None,
                              "status": doc["status"], "note": "state before the synced window"})
    entry = {"id": version_id, "channel": channel_of(version_id),
             "release_date": release_date(version_id),
             "documents": documents, "revisions": revisions}
    if pin:
        entry["pin"] = pin
    return entry


def _with_failed_revisions(old: dict, revisions: list[dict]) -> dict:
    """An existing version none of whose upstream revisions loads (its catalogued ones are no longer in
    the history read): it keeps its entry and canonical snapshot, and lists the new revisions with
    the reason each cannot be imported, as the manifest import does."""
    merged = {r["id"]: r for r in old.get("revisions") or []}
    for revision in revisions:
        if revision["id"] not in merged or not merged[revision["id"]]["imported"]:
            merged[revision["id"]] = {**revision, "canonical": False}
    return {**old, "revisions": sorted(merged.values(), key=lambda r: r["date"])}


def _identity(revision: dict) -> tuple:
    return (revision["commit"], revision["imported"],
            tuple((d["document"], d["sha256"]) for d in revision["documents"]))


def _compare(plan: Plan, old_versions: dict[str, dict], project: Project) -> None:
    """What is new or changed, and which snapshots must be (re)imported."""
    for version in plan.data["versions"]:
        old = old_versions.get(version["id"])
        old_revisions = {r["id"]: r for r in (old or {}).get("revisions") or []}
        if old is None:
            plan.new_versions.append(version["id"])
        for revision in version["revisions"]:
            before = old_revisions.pop(revision["id"], None)
            if before is None:
                plan.new_revisions.append((version["id"], revision))
            elif _identity(before) != _identity(revision):
                plan.changed_revisions.append((version["id"], before, revision))
            if revision["imported"] and not revision["canonical"]:
                target = f"revisions/{revision['id']}.json"
                same = before is not None and _identity(before) == _identity(revision) and not before["canonical"]
                if not same or not (project.specs / target).is_file():
                    plan.jobs.append((revision["id"], revision_documents(revision), target))
        plan.gone_revisions += [(version["id"], r) for r in old_revisions.values()]
        old_canonical = next((r["id"] for r in (old or {}).get("revisions") or [] if r["canonical"]), None)
        new_canonical = next(r["id"] for r in version["revisions"] if r["canonical"])
        if old is not None and old_canonical != new_canonical:
            plan.canonical_moves.append((version["id"], old_canonical, new_canonical))
        elif old is not None and old != version:
            plan.updated += _updated_facts(old, version)
        provenance = [(d["document"], d["upstream_commit"], d["sha256"], d["upstream_path"])
                      for d in version["documents"]]
        old_provenance = [(d["document"], d["upstream_commit"], d["sha256"], d["upstream_path"])
                          for d in (old or {}).get("documents", [])]
        if provenance != old_provenance or not project.snapshot_file(version["id"]).is_file():
            plan.jobs.append((version["id"], catalog_of({"versions": [version]}).versions[0].documents,
                              f"{version['id']}.json"))
    expected = {f"{r['id']}.json" for v in plan.data["versions"] for r in v["revisions"]
                if r["imported"] and not r["canonical"]}
    if project.revisions_dir.is_dir():
        plan.stale_files = [f"revisions/{p.name}" for p in sorted(project.revisions_dir.glob("*.json"))
                            if p.name not in expected]


def _updated_facts(old: dict, new: dict) -> list[str]:
    """Revisions (and the version) whose facts changed while their commit and bytes did not."""
    def facts(revision: dict) -> dict:
        return {k: v for k, v in revision.items() if k != "canonical"}

    before = {r["id"]: r for r in old.get("revisions") or []}
    out = [r["id"] for r in new["revisions"] if r["id"] in before
           and _identity(r) == _identity(before[r["id"]]) and facts(r) != facts(before[r["id"]])]
    if old.get("documents") != new["documents"] or old.get("pin") != new.get("pin"):
        out.append(new["id"])
    return out


def read_catalog_data(project: Project) -> dict:
    """The current catalog (empty when the project has none yet: a first sync makes it)."""
    from ..store.catalog import _read_catalog

    if not project.catalog_file.exists():
        return {"versions": []}
    data = _read_catalog(project.catalog_file)
    validate_catalog(data, project.schema_dir, str(project.catalog_file))
    return data


def run_sync(project: Project, repo: Path, since: str | None = None, dry_run: bool = False) -> tuple[Plan, dict]:
    """Plan, import, render and (unless dry_run) write. Returns (plan, facts for the report)."""
    started = time.perf_counter()
    old = read_catalog_data(project)
    files = GitFiles.open(repo)
    facts: dict = {}
    try:
        converter = Converter(files)
        plan = plan_sync(project, old, files, since, converter)
        facts["plan_seconds"] = time.perf_counter() - started
        if plan.nothing_new or dry_run:
            return plan, facts
        validate_catalog(plan.data, project.schema_dir, str(project.catalog_file))
        snapshots = _import(project, plan, files, converter)
    finally:
        files.close()
    facts["import_seconds"] = time.perf_counter() - started - facts["plan_seconds"]
    from ..pipeline.changelog import discard_cache
    from ..pipeline.collector import without_collections

    kept: dict = {}
    try:
        with without_collections():  # rendering is a build's work
            changelog, index = _render(project, plan, snapshots, kept)
        facts["index"] = index
        _commit(project, plan, snapshots, changelog, kept)
    finally:
        discard_cache(kept)
    facts["changelog_files"] = len(changelog)
    facts["seconds"] = time.perf_counter() - started
    return plan, facts


def _import(project: Project, plan: Plan, files: GitFiles, converter: Converter) -> dict[str, str]:
    """{path relative to specs/: snapshot text} for every job, built in memory."""
    from ..progress import progress
    from .importer import build_snapshot, validate_snapshot

    out = {}
    for label, documents, target in progress(plan.jobs, "import", total=len(plan.jobs)):
        snapshot = build_snapshot(files, label, documents, convert=converter)
        validate_snapshot(snapshot, project.schema_dir, label)
        out[target] = canonical_json(snapshot)
    return out


class _StagedProject(Project):
    """The project as it will be: specs/ from a staging folder, caches from the real build/."""

    def __init__(self, root: Path, specs: Path) -> None:
        super().__init__(root)
        self._specs = specs

    @property
    def specs(self) -> Path:
        return self._specs


def _render(project: Project, plan: Plan, snapshots: dict[str, str], kept: dict) -> tuple[dict[str, str], dict]:
    """changelog/ as it will be, rendered from a staged specs/ (unchanged files are hard links, so the
    surface caches of build/cache still apply to them)."""
    import json

    from ..pipeline.changelog import render_changelog

    (project.root / "build").mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sync-", dir=project.root / "build"))
    try:
        specs = staging / "specs"
        stale = set(plan.stale_files)
        for path in sorted(project.specs.rglob("*.json")) if project.specs.is_dir() else []:
            relative = path.relative_to(project.specs).as_posix()
            if relative in snapshots or relative in stale or relative.startswith("."):
                continue
            target = specs / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)
        for relative, text in snapshots.items():
            target = specs / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(encoded(text))
        # The catalog as _commit will write it (build keeps a JSON twin of it, keyed by its digest).
        staged = _StagedProject(project.root, specs)
        staged.catalog_file.parent.mkdir(parents=True, exist_ok=True)
        staged.catalog_file.write_bytes(catalog_text(plan.data).encode("utf-8"))  # as _commit writes it: no CRLF
        changelog = render_changelog(staged, catalog_of(plan.data), kept)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    index = {
        "diffs": json.loads(changelog["index.json"])["diffs"],
        "timelines": {t["version"]: t["revisions"] for t in json.loads(changelog["revisions/index.json"])["timelines"]},
        "versions": {v["id"]: v for v in json.loads(changelog["versions.json"])["versions"]},
    }
    return changelog, index


def _commit(project: Project, plan: Plan, snapshots: dict[str, str], changelog: dict[str, str], kept: dict) -> None:
    """The only step that changes the project: specs/ files together, then changelog/ in one swap."""
    from ..pipeline.changelog import install_changelog

    files = {project.specs / relative: text for relative, text in snapshots.items()}
    files[project.catalog_file] = catalog_text(plan.data)
    write_files(files)
    for relative in plan.stale_files:
        (project.specs / relative).unlink(missing_ok=True)
    install_changelog(project, changelog, kept)
