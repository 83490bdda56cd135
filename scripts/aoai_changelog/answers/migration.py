"""A migration guide computed from a diff: what a client of FROM must change to use TO.

Nothing here knows about Azure. The guide is the diff's breaking changes, arranged:

1. nested changes ride with their parent (a field that became an array takes its old sub-fields
   with it);
2. a change made the same way on several operations (same rule, location, field path, before and
   after; an operation move with the same base-URL change and dropped path prefix) is stated once,
   with the operations it applies to; the field of a list response (`data[].x`) counts as the same
   field as `x` of the single-object operations when that joins an existing group;
3. groups of one rule on one location over the same operations are merged ("8 response fields became
   nullable on these 3 operations");
4. what is left is listed per operation, with what is gone in TO and what is new.

Every breaking change of the diff is in exactly one group or one operation's list: `coverage()`
lets a script (and the tests) check that nothing was dropped to make the guide short.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..diff.changes import Change, DiffResult
from ..surface.keys import shape_path

# A change repeated on at least this many operations is stated once.
MIN_GROUP = 2
# An addition, only when it is this widespread (two similar operations gaining the same field read
# better under each of them).
MIN_NEW_GROUP = 3


def operation_identity(change: Change) -> str:
    """`POST /batches/{}`: the operation part of an element identity (deployment prefix and
    path-parameter names already erased by the surface)."""
    return " ".join(change.identity.split(" ", 2)[:2])


def relative_path(change: Change) -> str:
    """The element's key without its operation and location: `errors.data`, `accept`, `purpose=batch`."""
    rest = change.key[len(change.operation):].lstrip()
    if change.element == "operation":
        return ""
    if change.location and rest.startswith(change.location):
        rest = rest[len(change.location):].lstrip()
    return rest


def change_ref(change: Change) -> dict:
    """What identifies one change of the diff (the same triple a script reads from `diff --format json`)."""
    return {"key": change.key, "attribute": change.attribute, "rule": change.rule}


def _is_below(path: str, parent: str) -> bool:
    return bool(parent) and path != parent and path.startswith(parent) and path[len(parent)] in ".[{<="


def _moved_signature(change: Change) -> tuple:
    """An operation move reduced to what is common to many operations: the base-URL change and the
    leading path segments dropped (or added), not the operation's own path."""
    before, after = str(change.before), str(change.after)
    server_a, _, path_a = before.rpartition(" ")
    server_b, _, path_b = after.rpartition(" ")
    shape_a, shape_b = shape_path(path_a).strip("/").split("/"), shape_path(path_b).strip("/").split("/")
    dropped = added = ""
    if len(shape_a) > len(shape_b) and shape_a[len(shape_a) - len(shape_b):] == shape_b:
        dropped = "/" + "/".join(path_a.strip("/").split("/")[: len(shape_a) - len(shape_b)])
    elif len(shape_b) > len(shape_a) and shape_b[len(shape_b) - len(shape_a):] == shape_a:
        added = "/" + "/".join(path_b.strip("/").split("/")[: len(shape_b) - len(shape_a)])
    return (change.rule, server_a, server_b, dropped, added)


class Item:
    """One breaking change with the breaking changes nested below it on the same operation."""

    def __init__(self, change: Change):
        self.change = change
        self.nested: list[Change] = []

    @property
    def path(self) -> str:
        return relative_path(self.change)

    def signature(self, path: str | None = None) -> tuple:
        c = self.change
        if c.rule == "operation-moved":
            return _moved_signature(c)
        if c.element == "operation":
            return (c.rule,)
        path = self.path if path is None else path
        below = tuple(sorted((n.rule, n.attribute or "", relative_path(n)[len(self.path):], *_values(n))
                             for n in self.nested))
        return (c.rule, c.attribute or "", c.location, path, *_values(c), below)

    def refs(self) -> list[dict]:
        return [change_ref(self.change)] + [change_ref(n) for n in self.nested]

    def to_json(self) -> dict:
        c = self.change
        out = {"operation": c.operation, "rule": c.rule, "key": c.key, "attribute": c.attribute, "location": c.location,
               "path": self.path, "level": c.level, "before": c.before, "after": c.after, "text": c.text,
               "message": c.message}
        if self.nested:
            out["nested"] = [{**change_ref(n), "text": n.text} for n in self.nested]
        return out


def _values(change: Change) -> tuple[str, str]:
    """Before and after of an attribute change; an added or removed element is the same change
    wherever its own facts differ (an error body removed is removed, whatever it held)."""
    if change.kind != "changed":
        return ("", "")
    return (_frozen(change.before), _frozen(change.after))


def _frozen(value: Any) -> str:
    from ..formatters.jsonout import canonical_json

    return canonical_json(value) if isinstance(value, (dict, list)) else repr(value)


def _items(breaking: list[Change]) -> list[Item]:
    """Breaking changes as items, each nested change attached to its nearest breaking ancestor."""
    by_place: dict[tuple, list[Change]] = defaultdict(list)
    for change in breaking:
        by_place[(change.operation, change.location)].append(change)
    items = []
    for changes in by_place.values():
        changes.sort(key=lambda c: (len(relative_path(c)), relative_path(c), c.attribute or "", c.rule))
        placed: list[Item] = []
        for change in changes:
            path = relative_path(change)
            parent = next((i for i in reversed(placed) if i.change.element != "operation"
                           and _is_below(path, i.path)), None)
            if parent is not None and change.element not in ("operation", "parameter", "body"):
                parent.nested.append(change)
            else:
                placed.append(Item(change))
        items.extend(placed)
    return items


def _list_wrapper_stripped(path: str) -> str | None:
    """`errors.data` for `data[].errors.data`: the item field of a list response."""
    head, sep, rest = path.partition("[].")
    return rest if sep and head and "." not in head and "<" not in head and rest else None


def _group_items(items: list[Item], moves: dict[str, list[str]]) -> tuple[list[dict], list[Item]]:
    # Removed operations are listed on their own ("gone in TO"), never as a group.
    alone: list[Item] = [item for item in items if item.change.rule == "operation-removed"]
    items = [item for item in items if item.change.rule != "operation-removed"]
    signatures = {id(item): item.signature() for item in items}
    operations: dict[tuple, set[str]] = defaultdict(set)
    for item in items:
        operations[signatures[id(item)]].add(item.change.operation)
    for item in items:  # a list response's `data[].x` joins the group of `x` when there is one
        sig = signatures[id(item)]
        stripped = _list_wrapper_stripped(item.path) if item.change.location.startswith("response") else None
        if stripped is None or len(operations[sig]) >= MIN_GROUP:
            continue
        other = item.signature(stripped)
        if operations.get(other) and item.change.operation not in operations[other]:
            operations[sig].discard(item.change.operation)
            operations[other].add(item.change.operation)
            signatures[id(item)] = other
    grouped: dict[tuple, list[Item]] = defaultdict(list)
    for item in items:
        sig = signatures[id(item)]
        (grouped[sig] if len(operations[sig]) >= MIN_GROUP else alone).append(item)
    # Merge groups of one rule and location that cover the same operations (many fields, one story).
    merged: dict[tuple, list[tuple]] = defaultdict(list)
    for sig, members in grouped.items():
        ops = tuple(sorted({m.change.operation for m in members}))
        first = members[0].change
        if first.rule == "operation-moved":  # one base-URL change, whatever prefix each path lost
            merged[sig[:3] + ("moved",)].append(sig)
        elif first.element == "operation":
            merged[(sig, ops)].append(sig)
        else:
            merged[(first.rule, first.attribute or "", first.location, ops)].append(sig)
    groups = []
    for sigs in merged.values():
        members = [m for sig in sorted(sigs, key=repr) for m in grouped[sig]]
        op_list = sorted({m.change.operation for m in members})
        groups.append(_group_json(members, sorted(sigs, key=repr), op_list, moves))
    groups.sort(key=lambda g: (-len(g["operations"]), g["level"] != "error", g["rule"], g["location"], g["paths"]))
    for number, group in enumerate(groups, 1):
        group["id"] = f"G{number}"
    return groups, alone


def _group_json(members: list[Item], sigs: list[tuple], operations: list[str], moves: dict[str, list[str]]) -> dict:
    first = members[0].change
    paths = sorted({m.path for m in members})
    group: dict[str, Any] = {
        "rule": first.rule, "level": first.level, "location": first.location, "attribute": first.attribute,
        "paths": [p for p in paths if p], "operations": operations, "changes": [r for m in members for r in m.refs()],
    }
    if first.rule == "operation-moved":
        _, server_a, server_b, _, _ = sigs[0]
        prefixes: dict[str, dict[str, list[str]]] = {"dropped": defaultdict(list), "added": defaultdict(list)}
        for m in members:
            _, _, _, dropped, added = _moved_signature(m.change)
            if dropped:
                prefixes["dropped"][dropped].append(m.change.operation)
            if added:
                prefixes["added"][added].append(m.change.operation)
        group.update(server_before=server_a, server_after=server_b,
                     prefix_dropped={p: sorted(o) for p, o in sorted(prefixes["dropped"].items())},
                     prefix_added={p: sorted(o) for p, o in sorted(prefixes["added"].items())},
                     moves=[{"operation": m.change.operation, "before": m.change.before, "after": m.change.after}
                            for m in members])
    elif len(sigs) == 1 and first.element != "operation":
        group.update(before=first.before, after=first.after)
        nested = sorted({relative_path(n)[len(members[0].path):] + ": " + n.message for n in members[0].nested})
        if nested:
            group["nested"] = nested
    if first.rule.startswith("response-success-status-removed") and moves:
        group["now"] = {m.change.operation: moves[m.change.operation] for m in members if moves.get(m.change.operation)}
    group["text"] = _group_text(group, first)
    return group


def _group_text(group: dict, first: Change) -> str:
    """One sentence for a group, built from the change's own message (the checker's words)."""
    if first.rule == "operation-moved":
        moved_server = group["server_before"] != group["server_after"]
        text = f"base URL {group['server_before']} -> {group['server_after']}" if moved_server else "path changed"
        for verb in ("dropped", "added"):
            for prefix, ops in group[f"prefix_{verb}"].items():
                text += (f"; path prefix {prefix} {verb} on {len(ops)} of the {len(group['operations'])} operations"
                         f" listed ({', '.join(ops)})")
        return f"operations moved: {text}"
    what = first.message
    if first.element == "operation":
        return f"{what}"
    where = first.location or "operation"
    paths = group["paths"]
    if group.get("now"):
        what += " (now " + "; ".join(f"{op}: {', '.join(st)}" for op, st in group["now"].items()) + ")"
    if not paths:
        return f"{where}: {what}"
    if len(paths) == 1:
        return f"{where} {paths[0]}: {what}"
    return f"{where}: {len(paths)} elements: {what}: {', '.join(paths)}"


def _status_moves(result: DiffResult) -> dict[str, list[str]]:
    """Per operation, the success statuses TO adds (to say 200 -> 201 next to a removed 200)."""
    added: dict[str, list[str]] = defaultdict(list)
    for change in result.changes:
        if change.kind == "added" and change.element == "body" and change.location.startswith("response.2"):
            added[change.operation].append(change.location.split(".", 1)[1])
    return added


def _new_things(changes: list[Change], counted: int = 0) -> dict:
    """Additions of one operation: how many, and the top-level ones (nested ones counted under them).
    `counted`: nested additions the diff counted instead of listing (DiffResult.left_out)."""
    additions = [c for c in changes if c.kind == "added" and not c.breaking]
    top: dict[str, list[str]] = defaultdict(list)
    nested = counted
    for change in additions:
        if change.with_parent:
            nested += 1
        elif change.element != "operation":
            top[change.location or "operation"].append(relative_path(change) or "(new)")
    return {"count": len(additions) + counted, "nested": nested,
            "top": {loc: sorted(names) for loc, names in sorted(top.items())}}


def _new_across(per_operation: list[dict]) -> list[dict]:
    """Top-level additions made on several operations (a new error field on every operation), stated
    once: taken out of each operation's list (its count still includes them)."""
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in per_operation:
        for location, names in entry["new"]["top"].items():
            for name in names:
                where[(location, name)].append(entry["operation"])
    shared = {place: ops for place, ops in where.items() if len(ops) >= MIN_NEW_GROUP}
    for entry in per_operation:
        top = entry["new"]["top"]
        for location in list(top):
            top[location] = [n for n in top[location] if (location, n) not in shared]
            if not top[location]:
                del top[location]
    together: dict[tuple, list[str]] = defaultdict(list)
    for (location, name), ops in shared.items():
        together[(location, tuple(sorted(ops)))].append(name)
    out = [{"location": loc, "paths": sorted(names), "operations": list(ops)} for (loc, ops), names in together.items()]
    return sorted(out, key=lambda g: (-len(g["operations"]), g["location"], g["paths"]))


def _counted_members(result: DiffResult, changes: list[Change]) -> dict[tuple[str, str], int]:
    """{(operation, kind): members} the diff counted on roots among `changes` instead of listing
    them (a diff made with list_members=False): nested additions and removals, never breaking."""
    roots = {(c.kind, c.identity): c.operation for c in changes if not c.with_parent}
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for (kind, root), count in result.left_out.items():
        if (kind, root) in roots:
            counted[(roots[(kind, root)], kind)] += count
    return counted


def _area(operation: str) -> str:
    path = operation.split(" ", 1)[1]
    return "/" + path.strip("/").split("/", 1)[0]


def migration_guide(result: DiffResult, operations: dict[str, str | None] | None = None) -> dict:
    """The guide as JSON-ready data.

    `operations` limits the guide to the operations a client uses: {identity (`POST /batches/{}`):
    its key when FROM or TO has it, None when neither does (said plainly in the guide)}.
    """
    changes = result.changes
    wanted = set(operations) if operations else None
    if wanted is not None:
        changes = [c for c in changes if operation_identity(c) in wanted]
    breaking = [c for c in changes if c.breaking]
    counted = _counted_members(result, changes)
    items = _items(breaking)
    moves = _status_moves(result)
    groups, alone = _group_items(items, moves)
    in_group = {op: [g["id"] for g in groups if op in g["operations"]] for op in {c.operation for c in breaking}}

    removed_ops = sorted(c.operation for c in changes if c.element == "operation" and c.kind == "removed")
    added_ops = sorted(c.operation for c in changes if c.element == "operation" and c.kind == "added")
    by_operation: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_operation[change.operation].append(change)
    alone_by_op: dict[str, list[Item]] = defaultdict(list)
    for item in alone:
        alone_by_op[item.change.operation].append(item)

    per_operation = []
    for op in sorted(by_operation):
        if op in added_ops:
            continue
        entry: dict[str, Any] = {"operation": op, "status": "removed" if op in removed_ops else "changed"}
        entry["must_change"] = []
        for item in sorted(alone_by_op.get(op, []),
                           key=lambda i: (i.change.level != "error", i.change.location, i.path,
                                          i.change.attribute or "")):
            data = item.to_json()
            if item.change.rule.startswith("response-success-status-removed") and moves.get(op):
                data["now"] = moves[op]
            entry["must_change"].append(data)
        entry["groups"] = in_group.get(op, [])
        entry["new"] = _new_things(by_operation[op], counted.get((op, "added"), 0))
        entry["other_changes"] = (sum(1 for c in by_operation[op] if not c.breaking and c.kind != "added")
                                  + counted.get((op, "removed"), 0))
        per_operation.append(entry)
    for _identity, key in sorted((operations or {}).items()):
        if key is not None and key not in by_operation:
            per_operation.append({"operation": key, "status": "unchanged", "must_change": [], "groups": [],
                                  "new": _new_things([]), "other_changes": 0})
    per_operation.sort(key=lambda e: (e["status"] == "removed", e["operation"]))
    new_across = _new_across([e for e in per_operation if e["status"] == "changed"])
    absent = sorted(identity for identity, key in (operations or {}).items() if key is None)
    added_by_area: dict[str, list[str]] = defaultdict(list)
    for op in added_ops:
        added_by_area[_area(op)].append(op)
    guide = {
        "from": result.source, "to": result.target,
        "operations_filter": sorted(wanted) if wanted is not None else None,
        "summary": {
            "breaking": len(breaking), "groups": len(groups),
            "grouped_breaking": sum(len(g["changes"]) for g in groups),
            "alone_breaking": sum(len(i.refs()) for i in alone),
            "operations_removed": len(removed_ops), "operations_added": len(added_ops),
        },
        "groups": groups,
        "operations": per_operation,
        "new_across": new_across,
        "removed_operations": removed_ops,
        "added_operations": {area: ops for area, ops in sorted(added_by_area.items())},
        "unknown_operations": absent,
    }
    return guide


def coverage(guide: dict) -> list[dict]:
    """Every change the guide accounts for, as {key, attribute, rule}: groups then operations."""
    refs = [r for g in guide["groups"] for r in g["changes"]]
    for entry in guide["operations"]:
        for item in entry["must_change"]:
            refs.append({"key": item["key"], "attribute": item["attribute"], "rule": item["rule"]})
            refs.extend({"key": n["key"], "attribute": n["attribute"], "rule": n["rule"]}
                        for n in item.get("nested", []))
    return refs
