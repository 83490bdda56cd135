"""`aoai-changelog has`: is FEATURE (a key, an operation or a bare name) present, and since when."""

from __future__ import annotations

import sys

from ..errors import UserError
from .common import open_index


def canonical_json(data) -> str:
    from ..jsonout import canonical_json as dump  # `--json` only: the text path never imports json

    return dump(data)

HELP = "is FEATURE (a key, an operation or a bare name) present, and since when; several FEATUREs: all of them, per operation"


def add_arguments(p) -> None:
    p.add_argument("features", metavar="FEATURE", nargs="+",
                   help="`POST /chat/completions request store`, `POST /batches`, `/batches`, `max_completion_tokens`, "
                        "`stream_options.include_usage`, `wav`")
    p.add_argument("--oldest", action="store_true",
                   help="the oldest version (and oldest GA) with all FEATUREs, v1's since-date, and what holds each other version back")
    p.add_argument("--channel", choices=("ga", "preview"), help="only versions of this channel")
    p.add_argument("--version", metavar="V", help="a version or revision id (v1@2025-11-07): exit 0 when present in V, 1 when absent")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _timeline_of(index, version: str) -> str:
    """The timeline that holds `version`: the main one, or a version's revision timeline."""
    if version in index.versions:
        return "versions"
    timeline = version.split("@", 1)[0]
    if "@" in version and version in index.timelines.get(timeline, []):
        return timeline
    known = ", ".join(index.versions)
    raise UserError(f"unknown version '{version}' (known: {known}, or a revision id such as v1@2025-11-07; see `revisions`)")


def describe_match(index, identity: str) -> dict:
    from ..queries import is_notable, presence, timelines_of

    entry = index.entry(identity)
    match = {"key": entry["key"], "kind": entry["kind"], "operation": entry["operation"], "location": entry["location"]}
    main = presence(index, identity)
    if main:
        match.update({k: main[k] for k in ("versions", "first_seen", "last_seen", "gaps")})
    else:
        match.update(versions=[], first_seen=None, last_seen=None, gaps=[])
    match["revisions"] = {}
    for timeline in timelines_of(index, identity):
        if timeline != "versions":
            seen = presence(index, identity, timeline)
            if not is_notable(index, timeline, seen):
                continue
            for field in ("first_seen", "last_seen"):
                label = index.labels.get(seen[field]) or {}
                seen[field.replace("seen", "date")] = label.get("date")
                seen[field.replace("seen", "title")] = label.get("title")
            match["revisions"][timeline] = {k: v for k, v in seen.items() if k not in ("key", "kind", "operation", "location")}
    return match


def _run_several(args, index) -> int:
    """Several features, --oldest or --channel: all of them together, per operation."""
    from ..answers.features import answer, render_text
    from .common import context

    if args.version and args.version not in index.versions:
        raise UserError(f"with several features, --version takes a version id ({', '.join(index.versions)})")
    _, catalog = context(args)
    channels = {v.id: v.channel for v in catalog.versions}
    result = answer(index, args.features, channels, args.channel)
    top = result["operations"][0] if result["operations"] else None
    present = bool(top) and (not args.version or args.version in top["present_in"])
    if args.json:
        sys.stdout.write(canonical_json({**result, "version": args.version, "present": present}))
    else:
        sys.stdout.write(render_text(result, args.oldest, args.version, index))
    return 0 if present else 1


def run(args) -> int:
    from ..answers.features import find_feature
    from ..queries import suggestions

    index = open_index(args)
    if len(args.features) > 1 or getattr(args, "oldest", False) or getattr(args, "channel", None):
        return _run_several(args, index)
    args.feature = args.features[0]
    timeline = _timeline_of(index, args.version) if args.version else None
    identities = find_feature(index, args.feature)
    if not identities:
        near = suggestions(index, args.feature)
        payload = {"feature": args.feature, "version": args.version, "present": False, "matches": [], "suggestions": near}
        if args.json:
            sys.stdout.write(canonical_json(payload))
        else:
            print(f"no element matches '{args.feature}'" + (f"; did you mean: {', '.join(near)}?" if near else ""))
        return 1
    matches = [describe_match(index, identity) for identity in identities]
    present = True
    if args.version:
        for m in matches:
            members = m["versions"] if timeline == "versions" else m["revisions"].get(timeline, {}).get("versions", [])
            m["in_version"] = args.version in members
        present = any(m["in_version"] for m in matches)
    if args.json:
        sys.stdout.write(canonical_json({"feature": args.feature, "version": args.version, "present": present,
                                         "matches": matches, "suggestions": []}))
        return 0 if present else 1
    if args.version:
        print(f"'{args.feature}' is {'present' if present else 'absent'} in {args.version}")
    if len({m["operation"] for m in matches}) > 1 and not args.version and not args.feature.startswith("/"):
        from ..answers.features import render_grouped
        from .common import context

        _, catalog = context(args)
        sys.stdout.write(render_grouped(index, args.feature, matches, {v.id: v.channel for v in catalog.versions}))
        return 0
    from ..answers.features import gate_lines

    gated = {op: gate_lines(index, op) for op in {m["operation"] for m in matches}}
    for m in matches:
        mark = "" if not args.version else ("[present] " if m["in_version"] else "[absent]  ")
        print(f"{mark}{m['key']}")
        if m["versions"]:
            gaps = f"; absent in {', '.join(m['gaps'])}" if m["gaps"] else ""
            print(f"    first seen {m['first_seen']}, last seen {m['last_seen']}{gaps} "
                  f"({len(m['versions'])} of {len(index.versions)} versions)")
        for name, seen in m["revisions"].items():
            total = len(index.timelines[name])
            line = f"    {name}: since {seen['first_date']} ({seen['first_title'] or 'upstream revision'})"
            if seen["last_seen"] != index.timelines[name][-1]:
                line += f", last seen {seen['last_date']}"
            if seen["gaps"]:
                line += f", absent in {', '.join(seen['gaps'])}"
            print(line + f" [{len(seen['versions'])} of {total} revisions]")
        for line in gated[m["operation"]]:
            print(f"    {line}")
    return 0 if present else 1
