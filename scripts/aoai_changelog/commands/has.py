"""`aoai-changelog has`: is FEATURE (a key, an operation or a bare name) present, and since when."""

from __future__ import annotations

import sys

from ..errors import UserError
from ..jsonout import canonical_json
from .common import open_index

HELP = "is FEATURE (a key, an operation or a bare name) present, and since when"


def add_arguments(p) -> None:
    p.add_argument("feature", metavar="FEATURE", help="`POST /chat/completions request store`, `POST /batches`, `/batches`, `max_completion_tokens`, `wav`")
    p.add_argument("--version", metavar="V", help="exit 0 when present in V, 1 when absent")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    from ..queries import find, presence, suggestions

    index = open_index(args)
    if args.version and args.version not in index.versions:
        raise UserError(f"unknown version '{args.version}' (known: {', '.join(index.versions)})")
    identities = find(index, args.feature)
    if not identities:
        near = suggestions(index, args.feature)
        payload = {"feature": args.feature, "version": args.version, "present": False, "matches": [], "suggestions": near}
        if args.json:
            sys.stdout.write(canonical_json(payload))
        else:
            print(f"no element matches '{args.feature}'" + (f"; did you mean: {', '.join(near)}?" if near else ""))
        return 1
    matches = [presence(index, identity) for identity in identities]
    if args.version:
        for m in matches:
            m["in_version"] = args.version in m["versions"]
        present = any(m["in_version"] for m in matches)
    else:
        present = True
    if args.json:
        sys.stdout.write(canonical_json({"feature": args.feature, "version": args.version, "present": present,
                                         "matches": matches, "suggestions": []}))
    else:
        if args.version:
            print(f"'{args.feature}' is {'present' if present else 'absent'} in {args.version}")
        for m in matches:
            mark = "" if not args.version else ("[present] " if m["in_version"] else "[absent]  ")
            gaps = f"; absent in {', '.join(m['gaps'])}" if m["gaps"] else ""
            print(f"{mark}{m['key']}\n    first seen {m['first_seen']}, last seen {m['last_seen']}{gaps} "
                  f"({len(m['versions'])} of {len(index.versions)} versions)")
    return 0 if present else 1
