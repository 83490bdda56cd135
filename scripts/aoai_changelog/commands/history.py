"""`aoai-changelog history`: the timeline of one element or operation: added, changed, removed."""

from __future__ import annotations

import sys

from .common import add_format_option, examples, format_attrs, output_format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "the timeline of one element or operation: added, changed, removed (v1 in dates)"
EXAMPLES = examples(
    'aoai-changelog history "POST /chat/completions request response_format.type"',
    'aoai-changelog history "POST /batches"          # an operation',
    "aoai-changelog history max_completion_tokens --format json",
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("feature", metavar="FEATURE",
                   help="a key (`POST /chat/completions request store`), an operation (`POST /batches`, `/batches`) "
                        "or a bare name (`max_completion_tokens`, `wav`); exit 1 when nothing matches")
    add_format_option(p)


def run(args: Namespace) -> int:
    from ..api import history

    result = history(args.feature, root=args.root)
    fmt = output_format(args)
    if not result.matches:
        near = result.suggestions
        print(f"no element matches '{args.feature}'" + (f"; did you mean: {', '.join(near)}?" if near else ""),
              file=sys.stderr)
        if fmt == "json":
            from ..formatters.jsonout import canonical_json

            sys.stdout.write(canonical_json(result.to_json()))
        return 1
    if fmt == "json":
        from ..formatters.jsonout import canonical_json

        sys.stdout.write(canonical_json(result.to_json()))
        return 0
    md = fmt == "markdown"
    from ..formatters.escaping import md_code, terminal_text

    for match in result.matches:
        print(f"## {md_code(match.key)}\n" if md else terminal_text(match.key))
        for name, timeline in match.timelines.items():
            if name != "versions":
                print(f"\n**in {name} (dated revisions):**\n" if md else f"  in {name} (dated revisions):")
            for event in timeline["events"]:
                if md:
                    print("- " + _event_line(event))
                else:
                    print("  " + ("  " if name != "versions" else "") + _event_line(event))
        print()
    return 0


def _event_line(event: dict) -> str:
    where = event["version"]
    if event.get("date"):
        where = f"{event['date']} ({event.get('title') or 'upstream revision'})"
    if event["event"] in ("added", "re-added"):
        attrs = format_attrs(event.get("attrs") or {})
        return f"{where}: {event['event']}" + (f" [{attrs}]" if attrs else "")
    if event["event"] == "removed":
        return f"{where}: removed"
    from ..index.queries import describe_attribute_change

    return f"{where}: " + "; ".join(describe_attribute_change(change) for change in event["changes"])
