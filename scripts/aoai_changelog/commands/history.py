"""`aoai-changelog history`: the timeline of one element or operation: added, changed, removed."""

from __future__ import annotations

import sys

from ..jsonout import canonical_json
from .common import format_attrs, open_index

HELP = "the timeline of one element or operation: added, changed, removed (v1 in dates)"


def add_arguments(p) -> None:
    p.add_argument("feature", metavar="FEATURE")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    from ..queries import find, history, is_notable, suggestions, timelines_of

    index = open_index(args)
    identities = find(index, args.feature)
    if not identities:
        near = suggestions(index, args.feature)
        print(f"no element matches '{args.feature}'" + (f"; did you mean: {', '.join(near)}?" if near else ""), file=sys.stderr)
        return 1
    matches = []
    for identity in identities:
        timelines = {}
        for timeline in timelines_of(index, identity):
            events = history(index, identity, timeline)
            if is_notable(index, timeline, events):
                timelines[timeline] = events
        entry = index.entry(identity)
        matches.append({"key": entry["key"], "kind": entry["kind"], "timelines": timelines})
    if args.json:
        sys.stdout.write(canonical_json({"feature": args.feature, "matches": matches}))
        return 0
    for match in matches:
        print(match["key"])
        for name, timeline in match["timelines"].items():
            if name != "versions":
                print(f"  in {name} (dated revisions):")
            for event in timeline["events"]:
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
    from ..queries import describe_attribute_change

    return f"{where}: " + "; ".join(describe_attribute_change(change) for change in event["changes"])
