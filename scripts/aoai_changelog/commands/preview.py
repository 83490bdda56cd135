"""`aoai-changelog preview`: what is preview in a version (v1, v1-preview, a dated revision), and how to opt in."""

from __future__ import annotations

import sys

from .common import examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "what is preview in a version (header gates, preview path segments, preview-only operations) and how to opt in"
EXAMPLES = examples(
    'aoai-changelog preview v1-preview',
    'aoai-changelog preview v1@2025-12-15 --format markdown',
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("version", metavar="VERSION", help="v1, v1-preview or a revision id such as v1@2025-12-15")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="default: text")


def run(args: Namespace) -> int:
    from ..answers.gates import render_markdown, render_text
    from ..api import preview
    from ..formatters.jsonout import canonical_json

    report = preview(args.version, root=args.root).to_json()
    sys.stdout.write({"text": render_text, "markdown": render_markdown, "json": canonical_json}[args.format](report))
    return 0
