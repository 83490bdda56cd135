"""Dated revisions of a version: every upstream commit that touched one of its documents.

v1 has no dated api-versions: it changes in place, and the history of its specification is the
only record of when a feature appeared. Dated versions were amended after their release too.
A revision is the state of ALL the version's documents right after one upstream commit: the
document that commit changed, and the latest earlier state of the others.

Only JSON files make the timeline. Where a commit left only a YAML file, the revision is listed
but not imported: the YAML twins of these documents are maintained separately and differ from the
JSON of the same commit (other components, other nullability), so mixing them would invent changes.
A revision whose JSON cannot be loaded (upstream shipped a dangling $ref) is listed with the reason.

Revision ids: `<version>@<YYYY-MM-DD>`, plus `.<commit prefix>` when two revisions share a date.
The manifest gives dates, not times: revisions of one day keep the manifest's order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UserError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


COMMIT_PREFIX = 7


def _date_and_title(change: str | None) -> tuple[str | None, str | None]:
    if not change:
        return None, None
    date, _, title = change.partition(" ")
    return (date if len(date) == 10 and date[4] == "-" else None), (title.strip() or None)


def revisions_of(version_id: str, names: tuple[str, ...], entries: list[tuple[int, dict]], canonical_sha: dict,
                 loadable: Callable[[dict], str | None], initial_state: dict[str, dict] | None = None) -> list[dict]:
    """The revision list of one version from its manifest entries [(manifest position, entry)].

    `loadable(document entry) -> str | None` returns why a JSON file cannot be imported (None when it
    can). `initial_state` ({document: entry}) is the version's state before the first of `entries`
    (sync --since continues a history). `canonical_sha` ({document: sha256}) marks the canonical
    revision; sync passes {} and decides itself (newest, unless pinned).
    """
    # One point per upstream commit, in upstream order (date, then manifest order within a date).
    points: dict[str, dict[str, Any]] = {}
    for position, entry in entries:
        date, title = _date_and_title(entry.get("upstream_change"))
        commit = entry.get("upstream_commit")
        if not date or not commit:
            continue
        point = points.setdefault(commit,
                                  {"commit": commit, "date": date, "title": None, "position": position, "files": {}})
        point["title"] = point["title"] or title
        point["position"] = min(point["position"], position)
        files = point["files"].setdefault(entry["document"], {})
        files.setdefault(entry["format"], entry)
    ordered = sorted(points.values(), key=lambda p: (p["date"], p["position"]))
    same_date: dict[str, int] = {}
    for point in ordered:
        same_date[point["date"]] = same_date.get(point["date"], 0) + 1

    state: dict[str, dict] = dict(initial_state or {})  # document -> latest JSON entry
    revisions = []
    for point in ordered:
        changed_json = {doc: f["json"] for doc, f in point["files"].items() if "json" in f}
        yaml_only = sorted(doc for doc, f in point["files"].items() if "json" not in f)
        state.update(changed_json)
        rid = f"{version_id}@{point['date']}"
        if same_date[point["date"]] > 1:
            rid += "." + point["commit"][:COMMIT_PREFIX]
        documents = []
        for name in names:
            if name in yaml_only and name not in changed_json:
                entry = point["files"][name]["yaml"]
                documents.append(_document(name, entry, changed=True))
            elif name in state:
                documents.append(_document(name, state[name], changed=name in changed_json))
        reason = None
        if yaml_only and not changed_json:
            reason = ("only the YAML file changed at this commit; YAML twins differ from the JSON files they sit "
                      "beside, so the JSON timeline is used and this revision is not imported")
        elif len(documents) < len(names) or any(d["format"] != "json" for d in documents):
            missing = [n for n in names if n not in state]
            undated = [n for n in missing if not any(n in p["files"] for p in ordered) and not initial_state]
            if undated:
                reason = (f"no dated upstream revision of the {', '.join(undated)} document is known (the manifest "
                          "gives no upstream commit for it), so the version's state at this commit is incomplete")
            else:
                reason = f"the {', '.join(missing)} document has no JSON revision yet at this commit"
        else:
            for doc in documents:
                why = loadable(doc)
                if why:
                    reason = (f"the {doc['document']} document at {doc['commit'][:COMMIT_PREFIX]} "
                              f"cannot be loaded: {why}")
                    break
        canonical = reason is None and bool(canonical_sha) and all(
            canonical_sha.get(d["document"]) == d["sha256"] for d in documents)
        revisions.append({
            "id": rid, "date": point["date"], "commit": point["commit"], "title": point["title"],
            "canonical": canonical, "imported": reason is None, "reason": reason, "documents": documents,
        })
    return revisions


def _document(name: str, entry: dict, changed: bool) -> dict:
    return {
        "document": name, "format": entry["format"], "file": entry["file"], "commit": entry["upstream_commit"],
        "sha256": entry["sha256"], "status": entry["status"], "changed": changed,
    }


def make_loadable_check(upstream: Path) -> Callable[[dict], str | None]:
    """A memoized `loadable(path)`: converts the file once and keeps the one-line reason on failure."""
    from ..normalize import convert_document

    seen: dict[Path, str | None] = {}

    def loadable(doc: dict) -> str | None:
        path = upstream / doc["file"]
        if path not in seen:
            try:
                convert_document(path, "check", tree=upstream)
                seen[path] = None
            except UserError as exc:
                # Say where in upstream terms: no machine path may end up in the catalog.
                relative = path.resolve().relative_to(upstream.resolve()).as_posix()
                seen[path] = str(exc).replace(str(path.resolve()), relative).replace(str(path), relative)
        return seen[path]

    return loadable
