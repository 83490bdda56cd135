"""The feature index, split for the browser: each page fetches only the part it needs.

changelog/features.json (18 MB) answers every question, but no page should download it. From it
this module writes, under `data/` in the site:

    meta.json          versions, timelines, revision labels, operations, element kinds and locations,
                       rule levels/verdicts (for compare): small, fetched by lookup and compare
    find/NN.json       lookup shards: every element whose lower-cased name hashes to NN
    ops/SLUG.json      one operation's elements: key suffix, kind, anchor, presence, history text
                       (the operation page's rows, and the keys compare shows when a group opens)
    attrs.json         every distinct attribute set (compare)
    v/ID.json          one version (or dated revision): which elements it has and their attributes,
                       kind/location and parent (in that version), and the keys of the path
                       parameters it spells otherwise than the newest version (compare fetches
                       exactly the two it compares)

Elements are numbered once, sorted by operation then identity, so an operation's elements are one
contiguous run of numbers. Arrays are columnar and delta-encoded to keep files small.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Callable
from functools import cache

from ..checker.rules import RULES
from ..index.indexstore import MemoryStore, expand_entry
from ..surface.keys import display_path, strip_deployment
from .data import anchor, operation_slug

SHARDS = 256


def compact_json(data: object) -> str:
    """Deterministic and small: sorted keys, no spaces (these files are for scripts, not for people)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def shard_of(name: str) -> int:
    """The lookup shard of a bare element name (the same hash as shardOf() in site/assets/app.js)."""
    h = 0
    for ch in name.lower():
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h % SHARDS


def parent_identity(identity: str, kind: str, known: set[str] | frozenset[str],
                    present: set[str] | frozenset[str] = frozenset()) -> str:
    """The identity of the element that encloses this one (as the surface walker nests them).
    `present`: the elements of the version at hand. An enum value `include[]=x` belongs to a
    parameter `include[]` in one version and to the items of a parameter `include` in another:
    the parent is the one that version has."""
    parts = identity.split(" ", 3)
    operation = " ".join(parts[:2])
    if kind == "operation":
        return ""
    if kind == "enum":
        # A value belongs to its field, or (for a parameter's array items) to the parameter itself.
        for i, ch in enumerate(identity):
            if ch == "=":
                if identity[:i] in present:
                    return identity[:i]
                if identity[:i].endswith("[]") and identity[:i - 2] in present:
                    return identity[:i - 2]
                if identity[:i] in known:
                    return identity[:i]
                if identity[:i].endswith("[]") and identity[:i - 2] in known:
                    return identity[:i - 2]
        return ""
    if kind in ("body", "parameter"):
        # A parameter's items are no element of their own (their enum values belong to the
        # parameter): a parameter `include[]` is one named so, and belongs to its operation.
        return operation
    if kind == "header":
        return f"{operation} {parts[2][:-len('.header')]}"
    path = parts[3] if len(parts) > 3 else ""
    body = f"{operation} {parts[2]}"
    cut = _last_step(path)
    return f"{body} {path[:cut]}" if cut > 0 else body


def _last_step(path: str) -> int:
    """Where the last step of a field path starts (0 when the path is one property name)."""
    if path.endswith(("[]", "{}")):
        return len(path) - 2
    depth = 0
    for i in range(len(path) - 1, -1, -1):
        ch = path[i]
        if ch == ">":
            depth += 1
        elif ch == "<":
            depth -= 1
            if depth == 0 and path.endswith(">"):
                return i
        elif ch == "." and depth == 0:
            return i
    return 0


DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def packed(values: list[int]) -> str:
    """Each number as base-32 digits, most significant first, written with DIGITS: a digit of the
    second half (32-63) says "more digits follow". Small numbers, the common case here, take one
    character (a fraction of a JSON array's bytes; unpacked by unpack() in app.js)."""
    return "".join(map(_packed_number, values))


@cache  # the same small numbers, over and over (a few thousand distinct in 1.2 million)
def _packed_number(value: int) -> str:
    digits = [value & 31]
    value >>= 5
    while value:
        digits.append(32 + (value & 31))
        value >>= 5
    return "".join(DIGITS[d] for d in reversed(digits))


def _exact(value: object) -> object:
    """Integers JavaScript cannot hold exactly (|n| > 2**53) as {"bigint": "digits"}: two limits
    that differ must still differ in the browser (an int64 `seed` maximum, for one)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > 2**53:
        return {"bigint": str(value)}
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value


def _key_in_version(op_identity: str, attrs: dict) -> str:
    """An operation's key as the walker spells it in a version, from its attributes there."""
    path = attrs.get("path") or ""
    stripped = strip_deployment(path)[0] if attrs.get("deployment_prefix") else path
    return f"{op_identity.split(' ', 1)[0]} {display_path(stripped)}"


def _operation_keys(rows: list[tuple[str, int]], entries: dict, attr_sets: list[dict],
                    op_number: dict[str, int], operations: list[list]) -> list[list]:
    """[[operation number, key]] of the operations this version spells otherwise than the newest
    one (`GET /models/{model_id}`): compare writes every key as `aoai-changelog diff` does, in the
    spelling of the versions compared."""
    out: list[list] = []
    for identity, attrs_index in rows:
        if entries[identity]["kind"] == "operation":
            key = _key_in_version(identity, attr_sets[attrs_index])
            op = op_number[identity]
            if key != operations[op][0]:
                out.append([op, key])
    return out


def _path_parameter_keys(rows: list[tuple[str, int]], entries: dict, attr_sets: list[dict],
                         number: dict[str, int]) -> list[list]:
    """[[element number, key]] of the path parameters this version spells otherwise than the feature
    index (which keeps the newest key): `GET /models/{model_id} path model_id` where v1 says
    `{model}`. The key is the walker's (surface/walker.py: operation, then `path NAME`), rebuilt from
    the operation's attributes in this version; compare reports a renamed path parameter from it,
    as `aoai-changelog diff` does (rule request-parameter-renamed)."""
    op_attrs = {identity: attr_sets[a] for identity, a in rows if entries[identity]["kind"] == "operation"}
    out: list[list] = []
    for identity, _ in rows:
        e = entries[identity]
        if e["kind"] != "parameter" or e["location"] != "path":
            continue
        op_identity, _, position = identity.rpartition(" path #")
        attrs = op_attrs.get(op_identity)
        if attrs is None or not position.isdigit():
            continue
        names = attrs.get("path_parameters") or []
        if int(position) >= len(names):
            continue
        key = f"{_key_in_version(op_identity, attrs)} path {names[int(position)].replace('-', '_')}"
        if key != e["key"]:
            out.append([number[identity], key])
    return out


def _depth(key: str) -> int:
    """How deep a field is: `POST /x request a` 1, `... a.b` 2, `... a[].b` 2."""
    path = key.split(" ", 3)[3] if key.count(" ") >= 3 else ""
    return 1 + path.count(".") + path.count("<")


_LOCATION_RANK = {"path": 0, "query": 1, "header": 2, "request": 3, "response": 4}


def _group(subject: str) -> str:
    """The fold of an operation-page row: its location and top-level field (`request messages`)."""
    location, _, path = subject.partition(" ")
    top = path
    for i, ch in enumerate(path):
        if ch in ".[<{=":
            top = path[:i]
            break
    return f"{location} {top}".strip()


def _implicit(identity: str, raw: dict) -> dict[str, str]:
    """key, kind, operation, location and bare name of an index entry (operation and location are
    shared by many elements: interned, stored once)."""
    entry = expand_entry(identity, {"kind": raw["kind"], "key": raw.get("key", identity)})
    entry["operation"], entry["location"] = sys.intern(entry["operation"]), sys.intern(entry["location"])
    return entry


def browser_files(index: dict, versions: list[dict],
                  history_text: Callable[[str], str]) -> tuple[dict[str, str], dict[str, dict]]:
    """Every file under data/, as {relative path: text}, and for each operation page its folds
    ([[name, rows]]) and the names the search finds it by. `history_text(identity)`: a row's history."""
    store = MemoryStore(index)
    elements = index["elements"]
    known = frozenset(elements)
    # What the index leaves implicit (key, operation, location, name), five keys per element: the
    # presence stays in `elements` (a copy of every entry would be 28 MB of the site build's peak).
    entries = {identity: _implicit(identity, raw) for identity, raw in elements.items()}
    order = sorted(entries, key=lambda i: (" ".join(i.split(" ", 2)[:2]), i))
    number = {identity: n for n, identity in enumerate(order)}
    files: dict[str, str] = {}

    operations: list[list] = []  # [key, page slug, first element number, element count(, keys slug)]
    page_groups: dict[str, dict] = {}
    op_number: dict[str, int] = {}
    by_operation: dict[str, list[str]] = {}
    for identity in order:
        by_operation.setdefault(" ".join(identity.split(" ", 2)[:2]), []).append(identity)
    for op_identity, members in by_operation.items():
        op_entry = entries.get(op_identity)
        op_key = op_entry["key"] if op_entry else entries[members[0]]["operation"]
        slug = operation_slug(op_key)
        has_page = bool(op_entry and "versions" in elements[op_identity]["present"])
        op_number[op_identity] = len(operations)
        # An operation only some revisions have gets no page, but its keys file all the same (5th item).
        operations.append([op_key, slug if has_page else "", number[members[0]], len(members)]
                          + ([] if has_page else [slug]))
        keys: list = []
        groups: dict[str, list[list]] = {}
        for identity in members:
            e = entries[identity]
            suffix = (e["key"][len(op_key) + 1:] if e["key"].startswith(op_key + " ")
                      else ("" if e["kind"] == "operation" else e["key"]))
            # A key spelled with another operation path than the operation's newest one: kept whole.
            # (with the length of its operation part: compare re-spells keys as the compared versions do).
            keys.append(suffix if e["key"].startswith(op_key + " ") or e["kind"] == "operation"
                        else [e["key"], len(e["operation"])])
            present = elements[identity]["present"]
            if has_page and e["kind"] not in ("operation", "enum") and "versions" in present:
                groups.setdefault(_group(suffix), []).append(
                    [suffix, e["kind"], anchor(e["key"]), present["versions"], history_text(identity)])
        if has_page:
            folds_order = sorted(groups, key=lambda g: (_LOCATION_RANK.get(g.split(" ", 1)[0].split(".", 1)[0], 9), g))
            for g, name in enumerate(folds_order):
                files[f"ops/{slug}/{g}.json"] = compact_json(sorted(groups[name]))
            files[f"ops/{slug}.json"] = compact_json({
                "operation": op_key, "groups": [[name, len(groups[name])] for name in folds_order],
                # anchor -> fold: each fold's anchors, 10 hex digits each, concatenated
                "anchors": ["".join(row[2][2:] for row in sorted(groups[name])) for name in folds_order]})
        files[f"ops/{slug}.keys.json"] = compact_json(keys)
        if has_page:
            # The names the site search finds the page by: parameters, headers and top-level fields.
            names = {entries[i]["name"] for i in members if entries[i]["kind"] in ("parameter", "field", "header")
                     and _depth(entries[i]["key"]) <= 1}
            page_groups[op_key] = {"folds": [[name, len(groups[name])] for name in folds_order], "names": sorted(names)}

    shards: dict[int, dict[str, list]] = {}
    # Lookup rows: [operation (index in meta.operations), key after the operation's (or [whole key]
    # when spelled with another path), kind, anchor of its row, runs on versions, runs on v1,
    # element number, identity when it differs from the key].
    for identity in order:
        e = entries[identity]
        op = op_number[" ".join(identity.split(" ", 2)[:2])]
        op_key, page = operations[op][0], operations[op][1]
        spelled: str | list[str] = ""
        if e["kind"] != "operation":
            spelled = e["key"][len(op_key) + 1:] if e["key"].startswith(op_key + " ") else [e["key"]]
        target = e["key"].rsplit("=", 1)[0] if e["kind"] == "enum" else e["key"]
        row = [op, spelled, e["kind"], anchor(target) if page and e["kind"] != "operation" else "",
               elements[identity]["present"].get("versions", []), elements[identity]["present"].get("v1", []),
               number[identity]]
        if identity != e["key"]:
            row.append(identity)
        shards.setdefault(shard_of(e["name"]), {}).setdefault(e["name"].lower(), []).append(row)
    for shard, table in shards.items():
        files[f"find/{shard:03d}.json"] = compact_json(table)

    timelines = index["timelines"]
    # (timeline, position) -> (element numbers, their attribute set indexes), ascending: two arrays
    # of machine ints, not 600,000 tuples (the biggest thing the site build would hold).
    members_of: dict[tuple[str, int], tuple[array, array]] = {}
    for n, identity in enumerate(order):
        raw = elements[identity]
        for timeline, spans in raw["present"].items():
            changes = raw["states"][timeline]  # [[position, attrs index]], ascending, the first at the first presence
            k = 0
            for first, last in spans:
                for position in range(first, last + 1):
                    while k + 1 < len(changes) and changes[k + 1][0] <= position:
                        k += 1
                    numbers, attrs = members_of.setdefault((timeline, position), (array("l"), array("l")))
                    numbers.append(n)
                    attrs.append(changes[k][1])
    # Each element of a version is one "state": its attribute set and its kind and location. The
    # frequent states get the short numbers: the per-version files are mostly these numbers.
    state_count: dict[tuple[int, str, str], int] = {}
    for numbers, attrs in members_of.values():
        for n, attrs_index in zip(numbers, attrs):
            e = entries[order[n]]
            state = (attrs_index, e["kind"], e["location"])
            state_count[state] = state_count.get(state, 0) + 1
    states = sorted(state_count, key=lambda st: (-state_count[st], st))
    state_number = {st: i for i, st in enumerate(states)}
    kinds = sorted({(kind, location) for _, kind, location in states})
    kind_number = {kl: i for i, kl in enumerate(kinds)}
    attr_sets = index["attrs"]
    empty = (array("l"), array("l"))
    parent_of: dict[str, str] = {}
    for timeline, members in timelines.items():
        for position, member in enumerate(members):
            runs: list[int] = []  # element numbers as [gap from the previous run, run length] pairs
            column, parents = [], []
            previous = -1
            numbers, attrs = members_of.pop((timeline, position), empty)
            rows = [(order[n], attrs_index) for n, attrs_index in zip(numbers, attrs)]
            present = {identity for identity, _ in rows}
            renamed = _path_parameter_keys(rows, entries, attr_sets, number)
            op_spelled = _operation_keys(rows, entries, attr_sets, op_number, operations)
            for identity, attrs_index in rows:
                e = entries[identity]
                n = number[identity]
                if runs and n == previous + 1:
                    runs[-1] += 1
                else:
                    runs += [n - previous - 1, 1]
                previous = n
                column.append(state_number[(attrs_index, e["kind"], e["location"])])
                if e["kind"] == "enum":  # the only kind whose parent depends on the version
                    parent = parent_identity(identity, "enum", known, present)
                elif identity in parent_of:
                    parent = parent_of[identity]
                else:
                    parent = parent_of[identity] = parent_identity(identity, e["kind"], known)
                parents.append(n - number[parent] if parent in number else 0)
            files[f"v/{member}.json"] = compact_json({"id": member, "n": runs, "s": packed(column),
                                                      "p": packed(parents), "k": renamed, "o": op_spelled})

    # attrs.json: [attribute sets, states as [attribute set, kind and location]]
    files["attrs.json"] = compact_json({"attrs": [_exact(a) for a in index["attrs"]],
                                        "states": [[a, kind_number[(k, loc)]] for a, k, loc in states]})
    labels = {k: {"date": v["date"], "title": v.get("title") or ""} for k, v in store.labels.items()}
    files["meta.json"] = compact_json({
        "versions": [{"id": v["id"], "channel": v["channel"], "release_date": v.get("release_date")} for v in versions],
        "timelines": timelines, "labels": labels, "operations": operations, "shards": SHARDS,
        "kinds": [list(k) for k in kinds],
        "rules": {rule_id: [rule.level, rule.breaking] for rule_id, rule in sorted(RULES.items())},
    })
    return files, page_groups
