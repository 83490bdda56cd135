"""`aoai-changelog migrate`: what a client of FROM must change to use TO, stated once per change."""

from __future__ import annotations

import sys

from .common import examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "migration guide from one version (or spec file) to another: what a client must change"
EXAMPLES = examples(
    'aoai-changelog migrate 2024-10-21 v1',
    'aoai-changelog migrate 2024-10-21 v1 --operation "POST /chat/completions" --format markdown',
    'aoai-changelog migrate old.yaml new.yaml --format json          # your own spec files',
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("old", metavar="FROM", help="version id, revision id or path to an OpenAPI/Swagger file")
    p.add_argument("new", metavar="TO", help="version id, revision id or path")
    p.add_argument("--operation", metavar="OP", action="append", default=[],
                   help="only this operation (`POST /chat/completions`); repeat for several")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="default: text")


def run(args: Namespace) -> int:
    from ..answers.migration_render import render_markdown, render_text
    from ..api import migrate
    from ..formatters.jsonout import canonical_json
    from ..pipeline.collector import without_collections
    from ..pipeline.parallel import allow_helpers

    allow_helpers()  # a file on the new side is read on the other core

    with without_collections():  # two specs read and diffed: a small build (see collector.py)
        guide = migrate(args.old, args.new, operations=args.operation, root=args.root).to_json()
    render = {"text": render_text, "markdown": render_markdown, "json": canonical_json}[args.format]
    sys.stdout.write(render(guide))
    return 1 if guide["unknown_operations"] else 0
