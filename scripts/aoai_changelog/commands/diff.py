"""`aoai-changelog diff`: what changed from one version (or spec file) to another."""

from __future__ import annotations

import sys

from .common import examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "what changed from one version (or spec file) to another"
EXAMPLES = examples(
    "aoai-changelog diff 2024-10-21 v1 --breaking-only --format markdown",
    'aoai-changelog diff 2025-04-01-preview v1 --scope "POST /chat/completions" --scope /embeddings',
    "aoai-changelog diff old.yaml new.yaml --fail-on warning --ignore waivers.yaml --format github   # in CI",
)
LEVELS = ("error", "warning", "info")


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("old", metavar="FROM",
                   help="version or revision id, or path to an OpenAPI/Swagger file (JSON or YAML)")
    p.add_argument("new", metavar="TO", help="version id or path; an older TO answers 'what would I lose'")
    p.add_argument("--format", choices=("text", "json", "markdown", "github"), default=None,
                   help="output format (default: text, on a terminal or not); github: GitHub Actions annotations")
    p.add_argument("--json", action="store_true", help="short for --format json")
    p.add_argument("--breaking-only", action="store_true", help="only breaking changes")
    p.add_argument("--scope", metavar="TEXT", action="append", default=[],
                   help="only changes whose key contains TEXT; repeat for any of several. Enum values "
                        "(purpose=assistants) count only when TEXT holds '='")
    p.add_argument("--scope-regex", metavar="REGEX", action="append", default=[],
                   help="only changes whose key matches REGEX (Python syntax); repeatable")
    p.add_argument("--fail-on", choices=LEVELS, metavar="LEVEL",
                   help="exit 1 when a change of LEVEL or more severe is found: error, warning or info (for CI)")
    p.add_argument("--fail-on-breaking", action="store_true", help="exit 1 when a breaking change is found (for CI)")
    p.add_argument("--ignore", metavar="FILE",
                   help="waivers (YAML/JSON): a list of {rule and/or key, reason}; those changes are left out")


def run(args: Namespace) -> int:
    from ..api import diff
    from ..formatters import CHUNKS, FORMATS
    from ..pipeline.collector import without_collections
    from ..pipeline.parallel import allow_helpers
    from .common import output_format

    allow_helpers()  # a file on the new side is read on the other core

    with without_collections():  # two documents read and walked: a small build (see collector.py)
        result = diff(args.old, args.new, breaking_only=args.breaking_only, scope=args.scope,
                      scope_regex=args.scope_regex, ignore=args.ignore, root=args.root)
    fmt = output_format(args)
    if fmt in CHUNKS:  # written piece by piece: a large diff is never held as one text
        sys.stdout.writelines(CHUNKS[fmt](result))
    else:
        sys.stdout.write(FORMATS[fmt](result))
    if result.waived:
        print(f"aoai-changelog: {len(result.waived)} changes waived by {args.ignore}", file=sys.stderr)
    failed = ((args.fail_on_breaking and bool(result.breaking))
              or (args.fail_on and bool(result.at_or_above(args.fail_on))))
    return 1 if failed else 0
