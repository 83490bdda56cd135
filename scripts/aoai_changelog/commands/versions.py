"""`aoai-changelog versions`: the catalog: every version with channel, date, status and counts."""

from __future__ import annotations

import sys

from ..jsonout import canonical_json
from .common import context, table

HELP = "the catalog: every version with channel, date, status and counts"


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    from ..snapshots import load_surface

    project, catalog = context(args)
    entries = []
    for version in catalog.versions:
        surface = load_surface(project, catalog, version.id) if project.snapshot_file(version.id).exists() else None
        entry = version.to_json()
        entry["operations"] = len(surface.operations()) if surface else None
        entry["elements"] = len(surface) if surface else None
        entries.append(entry)
    if args.json:
        sys.stdout.write(canonical_json({"versions": entries}))
        return 0
    rows = []
    for e in entries:
        docs = ", ".join(f"{d['document']} {d['status']}" for d in e["documents"])
        rows.append([e["id"], e["channel"], e["release_date"] or "-", e["status"], docs,
                     e["operations"] if e["operations"] is not None else "-", e["elements"] if e["elements"] is not None else "-"])
    print(table(rows, ["version", "channel", "date", "status", "documents", "operations", "elements"]))
    return 0
