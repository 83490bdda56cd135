"""`aoai-changelog build`: regenerate changelog/ (diffs, feature index) from specs/."""

from __future__ import annotations

import sys

from .common import context

HELP = "regenerate changelog/ (diffs, feature index) from specs/"


def add_arguments(p) -> None:
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if changelog/ is stale")


def run(args) -> int:
    import time

    from ..build import build_changelog

    project, catalog = context(args, validate=True)
    started = time.perf_counter()
    stale = build_changelog(project, catalog, check=args.check)
    elapsed = time.perf_counter() - started
    if args.check:
        if stale:
            print(f"changelog/ is stale ({len(stale)} files differ, e.g. {stale[0]}); run `aoai-changelog build`", file=sys.stderr)
            return 1
        print(f"changelog/ is up to date ({elapsed:.1f} s)")
        return 0
    print(f"built changelog/ ({len(stale)} files) in {elapsed:.1f} s")
    return 0
