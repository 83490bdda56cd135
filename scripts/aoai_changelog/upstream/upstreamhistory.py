"""The revisions of every tracked upstream document, from the git history of the upstream repository.

The output has the shape of MANIFEST.yaml entries (version, document, format, file, upstream_path,
upstream_commit, upstream_change, sha256, size, status, note), so that the catalog is made from git
by the same code, with the same rules, as it is made from the manifest (revisions.revisions_of).

A revision of a document is a commit after which its bytes differ from what they were before:
a commit that moves a file without changing it, or a merge that brings nothing new onto the
branch, is not one. A file that moves to another path matched by the path map stays the same
document; a move to a new location is one new line of the path map.
"""

from __future__ import annotations

import hashlib

from .pathmap import PathMap
from .upstreamgit import Commit, GitRepo

COMMIT_CHARS = 12  # the catalog's commit ids, as in MANIFEST.yaml
STATUS = "verified-upstream-revision"
NOTE = "read from the git history of the upstream repository by `aoai-changelog sync`"


class History:
    """{version: [(position, entry)]} in upstream order, and how many commits were read."""

    def __init__(self, entries: dict[str, list[tuple[int, dict]]], commits: list[Commit]) -> None:
        self.entries, self.commits = entries, commits


def read_history(repo: GitRepo, pathmap: PathMap, since: str | None,
                 previous: dict[tuple[str, str, str], str] | None = None) -> History:
    """Every revision of every document the path map matches, since `since` (a date) when given.

    `previous` ({(version, document, format): sha256}) is each document's state before `since`
    (from the catalog): a first commit in the window that left those bytes unchanged is no revision.
    """
    commits = [c for c in repo.history(pathmap.prefixes(), since) if not since or c.date >= since]
    streams: dict[tuple[str, str, str], dict] = {}
    entries: dict[str, list[tuple[int, dict]]] = {}
    for position, commit in enumerate(commits):
        written: dict[tuple[str, str, str], str] = {}
        for path, blob in commit.files.items():
            match = pathmap.match(path)
            if match is None:
                continue
            stream = streams.setdefault(match, {"files": {}, "path": None, "blob": None, "sha256": None})
            if blob is None:
                stream["files"].pop(path, None)
            else:
                stream["files"][path] = blob
                written[match] = path
            written.setdefault(match, "")
        for key, path in written.items():
            stream = streams[key]
            path = path or (stream["path"] if stream["path"] in stream["files"] else min(stream["files"], default=""))
            blob = stream["files"].get(path)
            stream["path"] = path or None
            if blob is None or blob == stream["blob"]:
                stream["blob"] = blob
                continue  # deleted, or the same bytes under another name
            stream["blob"] = blob
            version, document, fmt = key
            entry = {
                "version": version, "document": document, "format": fmt, "file": path, "upstream_path": path,
                "upstream_commit": commit.sha[:COMMIT_CHARS],
                "upstream_change": f"{commit.date} {commit.title}".strip(),
                "sha256": None, "size": None, "status": STATUS, "note": NOTE, "blob": blob,
            }
            entries.setdefault(version, []).append((position, entry))
    _read_facts(repo, entries, previous or {})
    return History(entries, commits)


def _read_facts(repo: GitRepo, entries: dict[str, list[tuple[int, dict]]], previous: dict) -> None:
    """sha256 and size of the entries the catalog will show: every JSON file, and a YAML file only at
    a commit where its JSON twin did not change (the catalog lists such a revision, unimported).
    An entry whose bytes equal the document's state before the window is dropped."""
    for version, items in entries.items():
        json_at = {(e["upstream_commit"], e["document"]) for _, e in items if e["format"] == "json"}
        kept = []
        for position, entry in items:
            if entry["format"] == "yaml" and (entry["upstream_commit"], entry["document"]) in json_at:
                kept.append((position, entry))
                continue
            data = repo.read_blob(entry["blob"])
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
            key = (version, entry["document"], entry["format"])
            if previous.get(key) == entry["sha256"]:
                continue
            previous[key] = entry["sha256"]
            kept.append((position, entry))
        items[:] = kept
