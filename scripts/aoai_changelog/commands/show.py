"""`aoai-changelog show`: the elements of one version (or of an OpenAPI/Swagger file)."""

from __future__ import annotations

import sys

from ..jsonout import canonical_json
from ..comparing import describe
from .common import context, format_attrs

HELP = "the elements of one version (or of an OpenAPI/Swagger file)"


def add_arguments(p) -> None:
    p.add_argument("spec", metavar="VERSION", help="a version id (see `versions`) or a path to a spec file")
    p.add_argument("--operation", metavar="TEXT", help="only elements of operations whose key contains TEXT")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    from ..snapshots import load_surface

    project, catalog = context(args)
    surface = load_surface(project, catalog, args.spec)
    elements = list(surface.elements.values())
    if args.operation:
        needle = args.operation.lower()
        elements = [e for e in elements if needle in e.operation.lower()]
    elements.sort(key=lambda e: e.key)
    if catalog.knows(args.spec) and "@" not in args.spec:
        version = catalog.get(args.spec).to_json()
    else:
        version = describe(catalog, args.spec)
    if args.json:
        sys.stdout.write(canonical_json({
            "version": version,
            "counts": surface.counts(),
            "elements": [e.to_json() for e in elements],
        }))
        return 0
    print(f"{version['id']}: {len(surface.operations())} operations, {len(surface)} elements"
          + (f" ({len(elements)} shown for operation ~ '{args.operation}')" if args.operation else ""))
    if "date" in version:
        print(f"revision of {version['date']}: {version['title'] or '(no upstream change title)'}")
    if "status" in version:
        print(f"status: {version['status']}")
        for doc in version["documents"]:
            where = doc.get("upstream_path") or ""
            print(f"  {doc['document']}: {doc['status']}, upstream commit {doc['upstream_commit'] or '?'}, "
                  f"sha256 {(doc['sha256'] or '?')[:16]}…" + (f", {where}" if where else ""))
    for element in elements:
        attrs = format_attrs(element.attrs)
        print(f"{element.key}" + (f"  [{attrs}]" if attrs else ""))
    return 0
