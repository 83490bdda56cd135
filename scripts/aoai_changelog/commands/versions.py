"""`aoai-changelog versions`: the catalog: every version with channel, date, status and counts."""

from __future__ import annotations

import sys

from .common import add_format_option, examples, markdown_table, output_format, table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "the catalog: every version with channel, date, status and counts"
EXAMPLES = examples(
    "aoai-changelog versions",
    "aoai-changelog versions --format markdown > versions.md",
    "aoai-changelog versions --format json | jq -r '.versions[].id'",
)


def add_arguments(p: ArgumentParser) -> None:
    add_format_option(p)


def run(args: Namespace) -> int:
    from ..api import versions
    from ..formatters.jsonout import canonical_json

    entries = [v.to_json() for v in versions(root=args.root)]
    fmt = output_format(args)
    if fmt == "json":
        sys.stdout.write(canonical_json({"versions": entries}))
        return 0
    rows = []
    for e in entries:
        docs = ", ".join(f"{d['document']} {d['status']}" for d in e["documents"])
        rows.append([e["id"], e["channel"], e["release_date"] or "-", e["status"], docs,
                     e["operations"] if e["operations"] is not None else "-",
                     e["elements"] if e["elements"] is not None else "-"])
    header = ["version", "channel", "date", "status", "documents", "operations", "elements"]
    print(markdown_table(rows, header) if fmt == "markdown" else table(rows, header))
    return 0
