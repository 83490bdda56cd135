"""Query sub-commands: versions, show (and, registered from their own modules, diff/has/history/build)."""

from __future__ import annotations

import json
import sys

from .atomic import canonical_json


def _context(args):
    from .catalog import load_catalog
    from .project import find_project

    project = find_project(args.root)
    return project, load_catalog(project.catalog_file, project.schema_dir)


def format_attrs(attrs: dict) -> str:
    """`type=string, required, default=1` — the compact attribute list of text output."""
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if value is True:
            parts.append(key)
        elif value is False or value is None:
            continue
        elif isinstance(value, list):
            parts.append(f"{key}=" + "|".join(str(v) for v in value))
        else:
            parts.append(f"{key}={json.dumps(value) if not isinstance(value, str) else value}")
    return ", ".join(parts)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def cmd_versions(args) -> int:
    from .snapshots import load_surface

    project, catalog = _context(args)
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


def cmd_show(args) -> int:
    from .snapshots import load_surface

    project, catalog = _context(args)
    surface = load_surface(project, catalog, args.spec)
    elements = list(surface.elements.values())
    if args.operation:
        needle = args.operation.lower()
        elements = [e for e in elements if needle in e.operation.lower()]
    elements.sort(key=lambda e: e.key)
    version = catalog.get(args.spec).to_json() if not _is_path(args.spec) else {"id": args.spec}
    if args.json:
        sys.stdout.write(canonical_json({
            "version": version,
            "counts": surface.counts(),
            "elements": [e.to_json() for e in elements],
        }))
        return 0
    print(f"{version['id']}: {len(surface.operations())} operations, {len(surface)} elements"
          + (f" ({len(elements)} shown for operation ~ '{args.operation}')" if args.operation else ""))
    if "status" in version:
        print(f"status: {version['status']}")
        for doc in version["documents"]:
            print(f"  {doc['document']}: {doc['status']}, upstream commit {doc['upstream_commit'] or '?'}, "
                  f"sha256 {(doc['sha256'] or '?')[:16]}…, {doc['upstream_path'] or 'no source'}")
    for element in elements:
        attrs = format_attrs(element.attrs)
        print(f"{element.key}" + (f"  [{attrs}]" if attrs else ""))
    return 0


def _is_path(spec: str) -> bool:
    from .snapshots import looks_like_path

    return looks_like_path(spec)


def register(sub) -> None:
    p = sub.add_parser("versions", help="the catalog: every version with channel, date, status and counts")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser("show", help="the elements of one version (or of an OpenAPI/Swagger file)")
    p.add_argument("spec", metavar="VERSION", help="a version id (see `versions`) or a path to a spec file")
    p.add_argument("--operation", metavar="TEXT", help="only elements of operations whose key contains TEXT")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_show)
