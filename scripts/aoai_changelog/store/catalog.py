"""The catalog: every version, its channel and date, and where each of its documents came from.

`specs/catalog.yaml` is written from the upstream MANIFEST.yaml by `aoai-changelog catalog --from DIR`
and then committed; the importer checks every upstream file against the sha256 recorded here.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UnknownVersion, UserError
from .versionids import is_dated
from .versionids import release_date as release_date_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The versions we track, in timeline order. The API's own list: it does not come from upstream files.
VERSIONS: tuple[tuple[str, str], ...] = (
    ("2024-02-01", "ga"),
    ("2024-03-01-preview", "preview"),
    ("2024-04-01-preview", "preview"),
    ("2024-05-01-preview", "preview"),
    ("2024-06-01", "ga"),
    ("2024-07-01-preview", "preview"),
    ("2024-08-01-preview", "preview"),
    ("2024-09-01-preview", "preview"),
    ("2024-10-01-preview", "preview"),
    ("2024-10-21", "ga"),
    ("2024-12-01-preview", "preview"),
    ("2025-01-01-preview", "preview"),
    ("2025-02-01-preview", "preview"),
    ("2025-03-01-preview", "preview"),
    ("2025-04-01-preview", "preview"),
    ("v1-preview", "preview"),
    ("v1", "ga"),
)
# The documents each kind of version is made of, in merge order.
DATED_DOCUMENTS = ("inference", "authoring")
V1_DOCUMENTS = ("v1",)
VERIFIED = ("verified-identical", "verified-upstream-revision")
_DOC_FIELDS = ("upstream_path", "upstream_commit", "upstream_change", "sha256", "size", "status", "note")


class Document:
    """One upstream document of a version, with its provenance. (Plain classes here, not dataclasses:
    every query loads the catalog, and `dataclasses` costs more start-up time than the query.)"""

    def __init__(self, document: str, file: str | None, upstream_path: str | None, upstream_commit: str | None,
                 upstream_change: str | None, sha256: str | None, size: int | None, status: str, note: str):
        self.document, self.file, self.upstream_path = document, file, upstream_path
        self.upstream_commit, self.upstream_change, self.sha256 = upstream_commit, upstream_change, sha256
        self.size, self.status, self.note = size, status, note

    @property
    def verified(self) -> bool:
        return self.status in VERIFIED


def revision_documents(revision: dict) -> list[Document]:
    """A revision's documents, in the shape the importer checks and converts."""
    return [
        Document(d["document"], d["file"], None, d["commit"], None, d["sha256"], None, d["status"], "")
        for d in revision["documents"]
    ]


class Version:
    def __init__(self, id: str, channel: str, release_date: str | None, documents: list[Document],
                 revisions: list[dict] | None = None, pin: dict | None = None):
        self.id, self.channel, self.release_date = id, channel, release_date
        self.documents = documents
        self.revisions = revisions or []
        # {"revision": id, "reason": why}: the canonical revision when it is not the newest one.
        self.pin = pin

    @property
    def status(self) -> str:
        """'verified' when every document is; otherwise 'incomplete: <why>'."""
        missing = [d for d in self.documents if not d.verified]
        if not missing:
            return "verified"
        return "incomplete: " + "; ".join(f"{d.document} {d.status}" for d in missing)

    def revision_documents(self, revision: dict) -> list[Document]:
        return revision_documents(revision)

    @property
    def is_dated(self) -> bool:
        return is_dated(self.id)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "channel": self.channel,
            "release_date": self.release_date,
            "status": self.status,
            "documents": [vars(d) for d in self.documents],
            "revisions": self.revisions,
            **({"pin": self.pin} if self.pin else {}),
        }


class Catalog:
    def __init__(self, versions: list[Version]):
        self.versions = versions
        self._by_id = {v.id: v for v in versions}

    def ids(self) -> list[str]:
        return [v.id for v in self.versions]

    def get(self, version_id: str) -> Version:
        try:
            return self._by_id[version_id]
        except KeyError:
            raise UnknownVersion(version_id, self.ids()) from None

    def revision(self, revision_id: str) -> tuple[Version, dict]:
        """(version, revision entry) for an id like `v1@2025-11-07`."""
        version_id = revision_id.split("@", 1)[0]
        version = self.get(version_id)
        for revision in version.revisions:
            if revision["id"] == revision_id:
                return version, revision
        raise UnknownVersion(revision_id, [r["id"] for r in version.revisions],
                             hint="; see `aoai-changelog revisions " + version_id + "`")

    def knows(self, spec: str) -> bool:
        """Is `spec` a version id or a revision id of this catalog?"""
        if spec in self._by_id:
            return True
        version = self._by_id.get(spec.split("@", 1)[0]) if "@" in spec else None
        return version is not None and any(r["id"] == spec for r in version.revisions)

    def imported_revisions(self, version_id: str) -> list[dict]:
        return [r for r in self.get(version_id).revisions if r["imported"]]

    def ga_line(self) -> list[str]:
        return [v.id for v in self.versions if v.channel == "ga"]


def _schema(schema_dir: Path) -> dict:
    return json.loads((schema_dir / "catalog.schema.json").read_text())


def validate_catalog(data: Any, schema_dir: Path, label: str) -> None:
    import jsonschema  # slow to import: only the commands that write validate

    try:
        jsonschema.Draft202012Validator(_schema(schema_dir)).validate(data)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise UserError(f"{label}: invalid catalog at {where}: {exc.message}") from None


def load_catalog(path: Path, schema_dir: Path, validate: bool = False) -> Catalog:
    """The catalog. `validate` checks it against schema/catalog.schema.json (import and build do;
    queries only need the shape checks below, and start faster without jsonschema)."""
    data = _read_catalog(Path(path))
    if validate:
        validate_catalog(data, schema_dir, str(path))
    elif not _looks_like_catalog(data):
        raise UserError(f"{path}: not a catalog (expected 'versions' with id, channel, documents and revisions; "
                        "run `aoai-changelog build` to check it against schema/catalog.schema.json)")
    return catalog_of(data)


def catalog_of(data: dict) -> Catalog:
    """A Catalog over catalog data (as read from specs/catalog.yaml, or as sync is about to write it)."""
    versions = []
    for entry in data["versions"]:
        documents = [Document(**{k: d.get(k) for k in ("document", "file", *_DOC_FIELDS)}) for d in entry["documents"]]
        versions.append(Version(entry["id"], entry["channel"], entry.get("release_date"), documents,
                                entry.get("revisions") or [], entry.get("pin")))
    return Catalog(versions)


def _looks_like_catalog(data: Any) -> bool:
    """The shape queries rely on, checked without jsonschema (slow to import; build validates fully)."""
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
        return False
    for v in data["versions"]:
        if not (isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("channel"), str)
                and isinstance(v.get("documents"), list) and all(isinstance(d, dict) for d in v["documents"])
                and isinstance(v.get("revisions") or [], list)):
            return False
        for r in v.get("revisions") or []:
            if not (isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("documents"), list)
                    and all(isinstance(d, dict) for d in r["documents"])):
                return False
    return True


def read_structured(path: Path) -> Any:
    """load.read_structured, imported when a file must really be parsed: a query with a current
    cache (or the twin) imports none of the loaders."""
    from ..load import read_structured as read

    return read(path)


# changelog/catalog.json: the catalog's data as JSON, written by `build` with the digest of the
# YAML it was read from. A fresh clone or install answers its first query without importing and
# running a YAML parser (three quarters of that query's time); a twin that does not match the YAML
# (edited since the last build) is ignored.
TWIN = "catalog.json"


def catalog_twin(path: Path) -> str:
    """The text of changelog/catalog.json for the catalog at `path` (read afresh, no cache)."""
    import hashlib

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    # Keys in the YAML's order, not sorted (canonical_json): sync writes the versions it does not
    # touch back as they were read, and catalog_text keeps their order.
    data = {"sha256": digest, "catalog": read_structured(Path(path))}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _committed_twin(path: Path) -> Any:
    """The catalog's data from changelog/catalog.json when it was made from this very file, else None."""
    import hashlib

    try:
        twin = json.loads((path.parent.parent / "changelog" / TWIN).read_bytes())
        if twin.get("sha256") == hashlib.sha256(path.read_bytes()).hexdigest():
            return twin["catalog"]
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    return None


def _read_catalog(path: Path) -> Any:
    """The catalog's data; parsed YAML is cached as JSON in build/cache/ (YAML parsing is most of a
    query's time), keyed by the file's size and modification time, and made from the committed
    twin (changelog/catalog.json) when that matches."""
    from .locate import cache_dir, source_stamp

    try:
        stamp = source_stamp(path, "2")  # 2 = this cache layout (1: maybe made from a key-sorted twin)
    except OSError:
        return read_structured(path)  # the one-line error

    cache = Path(cache_dir(str(path.parent.parent))) / "catalog.json"
    try:
        cached = json.loads(cache.read_bytes())
        if cached.get("stamp") == stamp:
            return cached["data"]
    except (OSError, ValueError, AttributeError):
        pass
    data = _committed_twin(path)
    if data is None:
        data = read_structured(path)
    from .atomic import write_cache  # only on a miss: a query imports no more than it needs

    write_cache(cache, lambda handle: handle.write(json.dumps({"stamp": stamp, "data": data}).encode("utf-8")))
    return data


# Fields every MANIFEST.yaml entry needs, with their type (the catalog and the importer read them).
_MANIFEST_FIELDS = {"version": str, "document": str, "format": str, "file": str, "sha256": str, "status": str}


def check_manifest(manifest: Any, manifest_file: Path, upstream: Path) -> None:
    """Refuse, in one line, a manifest the catalog cannot be made from: no files (which would mark
    every document missing), an entry without its fields, or a file outside the upstream folder."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise UserError(f"{manifest_file}: expected a mapping with a 'files' list")
    if not manifest["files"]:
        raise UserError(f"{manifest_file}: 'files' is empty: refusing to write a catalog with every document missing")
    root = Path(upstream).resolve()
    for index, entry in enumerate(manifest["files"]):
        where = f"{manifest_file}: /files/{index}"
        if not isinstance(entry, dict):
            raise UserError(f"{where}: expected a mapping")
        for field, kind in _MANIFEST_FIELDS.items():
            if not isinstance(entry.get(field), kind):
                found = "missing" if field not in entry else f"not a string ({entry[field]!r})"
                raise UserError(f"{where}: '{field}' is {found}")
        target = (root / entry["file"]).resolve()
        if Path(entry["file"]).is_absolute() or not target.is_relative_to(root):
            raise UserError(f"{where}: file '{entry['file']}' is outside the upstream folder {root}: refused")


def catalog_from_manifest(upstream: Path) -> dict:
    """Build catalog data from an upstream MANIFEST.yaml: one entry per tracked version, in order."""
    manifest_file = upstream / "MANIFEST.yaml"
    manifest = read_structured(manifest_file)
    check_manifest(manifest, manifest_file, upstream)
    from ..upstream.revisions import make_loadable_check, revisions_of

    canonical: dict[tuple[str, str], dict] = {}
    by_version: dict[str, list[tuple[int, dict]]] = {}
    for position, entry in enumerate(manifest["files"]):
        by_version.setdefault(str(entry["version"]), []).append((position, entry))
        # The canonical file of a document is its JSON one; YAML twins and revisions are not.
        if entry.get("format") == "json" and entry.get("status") in VERIFIED:
            canonical[(str(entry["version"]), str(entry["document"]))] = entry
    loadable = make_loadable_check(upstream)
    versions = []
    for version_id, channel in VERSIONS:
        names = V1_DOCUMENTS if version_id.startswith("v1") else DATED_DOCUMENTS
        documents = []
        for name in names:
            entry = canonical.get((version_id, name))
            if entry is None:
                documents.append({
                    "document": name, "file": None, "upstream_path": None, "upstream_commit": None,
                    "upstream_change": None, "sha256": None, "size": None, "status": "missing",
                    "note": f"no verified JSON file for this document in {manifest_file.name}",
                })
                continue
            documents.append({"document": name, "file": entry["file"], **{k: entry.get(k) for k in _DOC_FIELDS}})
        # Dated versions are named after their release date; v1 has none (it changes in place).
        release_date = release_date_of(version_id)
        canonical_sha = {d["document"]: d["sha256"] for d in documents}
        revisions = revisions_of(version_id, names, by_version.get(version_id, []), canonical_sha, loadable)
        entry = {"id": version_id, "channel": channel, "release_date": release_date, "documents": documents,
                 "revisions": revisions}
        pin = _pin_for(revisions)
        if pin:
            entry["pin"] = pin
        versions.append(entry)
    return {"versions": versions}


def _pin_for(revisions: list[dict]) -> dict | None:
    """Sync makes a version's newest revision its canonical one unless the catalog pins another: the
    manifest's canonical files are the ones verified against published copies, so pin those."""
    imported = [r for r in revisions if r["imported"]]
    canonical = [r for r in imported if r["canonical"]]
    if canonical and imported and canonical[0] is not imported[-1]:
        return {"revision": canonical[0]["id"],
                "reason": "the canonical files of this version in MANIFEST.yaml; "
                          f"later upstream amendments are listed as revisions ({imported[-1]['id']} is the newest)"}
    return None


def catalog_text(data: dict) -> str:
    import yaml

    header = (
        "# The Azure OpenAI versions tracked by aoai-changelog, in timeline order, with the provenance of\n"
        "# every upstream document. Written by `aoai-changelog catalog --from DIR` (from MANIFEST.yaml) or\n"
        "# `aoai-changelog sync --repo CLONE` (from the upstream git history); checked by the importer.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_catalog(path: Path, data: dict, schema_dir: Path) -> None:
    from .atomic import write_text

    validate_catalog(data, schema_dir, str(path))
    write_text(path, catalog_text(data))
