"""`aoai-changelog history`: the timeline of one element or operation: added, changed, removed."""

from __future__ import annotations

import sys

from ..jsonout import canonical_json
from .common import open_index, format_attrs, show_value

HELP = "the timeline of one element or operation: added, changed, removed"


def add_arguments(p) -> None:
    p.add_argument("feature", metavar="FEATURE")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    from ..queries import find, history, suggestions

    index = open_index(args)
    identities = find(index, args.feature)
    if not identities:
        near = suggestions(index, args.feature)
        print(f"no element matches '{args.feature}'" + (f"; did you mean: {', '.join(near)}?" if near else ""), file=sys.stderr)
        return 1
    timelines = [history(index, identity) for identity in identities]
    if args.json:
        sys.stdout.write(canonical_json({"feature": args.feature, "matches": timelines}))
        return 0
    for t in timelines:
        print(t["key"])
        for event in t["events"]:
            if event["event"] in ("added", "re-added"):
                attrs = format_attrs(event.get("attrs") or {})
                print(f"  {event['version']}: {event['event']}" + (f" [{attrs}]" if attrs else ""))
            elif event["event"] == "removed":
                print(f"  {event['version']}: removed")
            else:
                for change in event["changes"]:
                    if change["attribute"] == "enum":
                        parts = [f"+{v}" for v in change["added"]] + [f"-{v}" for v in change["removed"]]
                        print(f"  {event['version']}: enum {' '.join(parts)}")
                    else:
                        print(f"  {event['version']}: {change['attribute']} {show_value(change['before'])} -> {show_value(change['after'])}")
        print()
    return 0
