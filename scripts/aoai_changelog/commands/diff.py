"""`aoai-changelog diff`: what changed from one version (or spec file) to another."""

from __future__ import annotations

import sys

from .common import context

HELP = "what changed from one version (or spec file) to another"


def add_arguments(p) -> None:
    p.add_argument("old", metavar="FROM", help="version id or path to an OpenAPI/Swagger file (JSON or YAML)")
    p.add_argument("new", metavar="TO", help="version id or path; an older TO answers 'what would I lose'")
    p.add_argument("--format", choices=("text", "json", "markdown"), help="default: text on a terminal, JSON otherwise")
    p.add_argument("--breaking-only", action="store_true", help="only breaking changes")
    p.add_argument("--scope", metavar="TEXT", help="only elements whose key contains TEXT")
    p.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a breaking change is found (for CI)")


def run(args) -> int:
    from ..comparing import compare
    from ..formatters import FORMATS

    project, catalog = context(args)
    result = compare(project, catalog, args.old, args.new).filtered(args.breaking_only, args.scope)
    fmt = args.format or ("text" if sys.stdout.isatty() else "json")
    sys.stdout.write(FORMATS[fmt](result))
    if args.fail_on_breaking and any(c.breaking for c in result.changes):
        return 1
    return 0
