"""`aoai-changelog preview`: what is preview in a version (v1, v1-preview, a dated revision), and how to opt in."""

from __future__ import annotations

import sys

from .common import context

HELP = "what is preview in a version (header gates, preview path segments, preview-only operations) and how to opt in"


def add_arguments(p) -> None:
    p.add_argument("version", metavar="VERSION", help="v1, v1-preview or a revision id such as v1@2025-12-15")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="default: text")


def run(args) -> int:
    from ..answers.gates import preview_report, render_markdown, render_text
    from ..jsonout import canonical_json

    project, catalog = context(args)
    report = preview_report(project, catalog, args.version)
    sys.stdout.write({"text": render_text, "markdown": render_markdown, "json": canonical_json}[args.format](report))
    return 0
