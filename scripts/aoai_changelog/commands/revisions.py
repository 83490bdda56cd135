"""`aoai-changelog revisions VERSION`: the dated upstream revisions of a version, with change counts."""

from __future__ import annotations

import sys

from .common import add_format_option, examples, markdown_table, output_format, table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "the dated upstream revisions of a version (v1 changes in place): date, title, changes"
EXAMPLES = examples(
    "aoai-changelog revisions v1",
    "aoai-changelog revisions 2024-05-01-preview --format markdown",
    "aoai-changelog diff v1@2025-09-10 v1@2025-11-07    # then: what one revision changed",
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("version", metavar="VERSION", help="a version id, e.g. v1")
    add_format_option(p)


def run(args: Namespace) -> int:
    from ..api import revisions

    result = revisions(args.version, root=args.root)
    fmt = output_format(args)
    if fmt == "json":
        from ..formatters.jsonout import canonical_json

        sys.stdout.write(canonical_json(result.to_json()))
        return 0
    rows = []
    for r in result.revisions:
        s = r.get("summary")
        counts = f"+{s['added']} -{s['removed']} ~{s['changed']}" if s else ("(first)" if r["imported"] else "—")
        breaking = str(s["breaking"]) if s else "—"
        state = "canonical" if r["canonical"] else ("imported" if r["imported"] else "not imported")
        rows.append([r["id"], r["commit"][:12], state, counts, breaking, r["title"] or ""])
    header = ["revision", "commit", "state", "changes", "breaking", "upstream change"]
    md = fmt == "markdown"
    print(f"{'# ' if md else ''}{result.version}: {len(rows)} upstream revisions, oldest first" + ("\n" if md else ""))
    print(markdown_table(rows, header) if md else table(rows, header))
    skipped = [r for r in result.revisions if not r["imported"]]
    if skipped and md:
        print()
    for r in skipped:
        print(("- " if md else "  ") + f"{r['id']} not imported: {r['reason']}")
    return 0
