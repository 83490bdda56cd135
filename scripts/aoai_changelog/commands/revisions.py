"""`aoai-changelog revisions VERSION`: the dated upstream revisions of a version, with change counts."""

from __future__ import annotations

import json
import sys

from ..errors import UserError
from ..jsonout import canonical_json
from .common import context, table

HELP = "the dated upstream revisions of a version (v1 changes in place): date, title, changes"


def add_arguments(p) -> None:
    p.add_argument("version", metavar="VERSION", help="a version id, e.g. v1")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    project, catalog = context(args)
    version = catalog.get(args.version)
    index_file = project.changelog / "revisions" / "index.json"
    try:
        timelines = json.loads(index_file.read_text())["timelines"]
    except FileNotFoundError:
        raise UserError(f"{index_file}: missing (run `aoai-changelog build`)") from None
    except (json.JSONDecodeError, KeyError):
        raise UserError(f"{index_file}: malformed (run `aoai-changelog build`)") from None
    entry = next((t for t in timelines if t["version"] == version.id), None)
    if entry is None or [r["id"] for r in entry["revisions"]] != [r["id"] for r in version.revisions]:
        raise UserError(f"{index_file}: out of date for {version.id} (run `aoai-changelog build`)")
    if args.json:
        sys.stdout.write(canonical_json({"version": version.id, "revisions": entry["revisions"]}))
        return 0
    rows = []
    for r in entry["revisions"]:
        s = r.get("summary")
        counts = f"+{s['added']} -{s['removed']} ~{s['changed']}" if s else ("(first)" if r["imported"] else "—")
        breaking = str(s["breaking"]) if s else "—"
        state = "canonical" if r["canonical"] else ("imported" if r["imported"] else "not imported")
        rows.append([r["id"], r["commit"][:12], state, counts, breaking, r["title"] or ""])
    print(f"{version.id}: {len(rows)} upstream revisions, oldest first")
    print(table(rows, ["revision", "commit", "state", "changes", "breaking", "upstream change"]))
    skipped = [r for r in entry["revisions"] if not r["imported"]]
    for r in skipped:
        print(f"  {r['id']} not imported: {r['reason']}")
    return 0
