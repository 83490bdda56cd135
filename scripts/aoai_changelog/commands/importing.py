"""`aoai-changelog import --from DIR [--version V ...]`: upstream files -> specs/<version>.json."""

from __future__ import annotations

import time
from pathlib import Path

from .common import context, examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "import upstream files into facts-only snapshots (specs/<version>.json)"
EXAMPLES = examples(
    "aoai-changelog import --from ../shared/upstream                # every version and revision",
    "aoai-changelog import --from ../shared/upstream --in v1 --in v1-preview",
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("--from", dest="source", required=True, metavar="DIR", help="upstream tree (with MANIFEST.yaml)")
    p.add_argument("--in", "--version", dest="version", action="append", metavar="V",
                   help="only this version (repeatable; --version is the older spelling)")


def run(args: Namespace) -> int:
    from ..upstream.importer import import_versions

    project, catalog = context(args, validate=True)
    started = time.perf_counter()
    results = import_versions(project, catalog, Path(args.source), args.version)
    elapsed = time.perf_counter() - started
    changed = [v for v, did in results if did]
    print(f"imported {len(results)} snapshot(s) (versions and their dated revisions) in {elapsed:.2f} s; "
          f"{len(changed)} changed"
          + (f": {', '.join(changed)}" if changed else ""))
    return 0
