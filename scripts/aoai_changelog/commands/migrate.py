"""`aoai-changelog migrate`: what a client of FROM must change to use TO, stated once per change."""

from __future__ import annotations

import sys

from .common import context

HELP = "migration guide from one version (or spec file) to another: what a client must change"


def add_arguments(p) -> None:
    p.add_argument("old", metavar="FROM", help="version id, revision id or path to an OpenAPI/Swagger file")
    p.add_argument("new", metavar="TO", help="version id, revision id or path")
    p.add_argument("--operation", metavar="OP", action="append", default=[],
                   help="only this operation (`POST /chat/completions`); repeat for several")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="default: text")


def run(args) -> int:
    from ..answers.migration import migration_guide
    from ..answers.migration_render import render_markdown, render_text
    from ..answers.operations import resolve_operations
    from ..comparing import compare
    from ..jsonout import canonical_json
    from ..snapshots import load_surface

    project, catalog = context(args)
    result = compare(project, catalog, args.old, args.new)
    wanted = None
    if args.operation:
        surfaces = [load_surface(project, catalog, spec) for spec in (args.old, args.new)]
        wanted = resolve_operations(args.operation, surfaces)
    guide = migration_guide(result, wanted)
    render = {"text": render_text, "markdown": render_markdown, "json": canonical_json}[args.format]
    sys.stdout.write(render(guide))
    return 1 if guide["unknown_operations"] else 0
