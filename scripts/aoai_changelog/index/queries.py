"""Feature queries over the index: `has` (where is X present) and `history` (how did X change)."""

from __future__ import annotations

from ..diff.attributes import attribute_changes
from ..formatters.presentation import display_value
from ..store.versionids import is_dated
from ..surface.keys import display_path, shape_path, strip_deployment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..index.indexstore import IndexStore


_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


def _operation_parts(feature: str) -> tuple[str | None, str, str | None] | None:
    """(method or None, path, rest or None) when FEATURE starts with an operation, else None.
    `POST /batches`, `/batches`, `POST /chat/completions request store`. (No `re`: `has` starts fast.)"""
    parts = feature.split(None, 1)
    if len(parts) == 2 and parts[0].upper() in _METHODS and parts[1].startswith("/"):
        method, remainder = parts
    elif feature.startswith("/"):
        method, remainder = None, feature
    else:
        return None
    pieces = remainder.split(None, 1)
    return method, pieces[0], (pieces[1] if len(pieces) > 1 else None)


def _identity_prefix(method: str, path: str) -> str:
    stripped, _ = strip_deployment(path)
    return f"{method.upper()} {shape_path(display_path(stripped))}"


def find(store: IndexStore, feature: str) -> list[str]:
    """Identities that FEATURE names: a full key, an operation (`POST /batches`, `/batches`) or a bare name."""
    feature = feature.strip()
    if not feature:
        return []
    if store.entry(feature) is not None:
        return [feature]
    exact = store.by_key(feature)
    if exact:
        return exact
    match = _operation_parts(feature)
    if match:
        method, path, rest = match
        stripped, _ = strip_deployment(path)
        shape = shape_path(display_path(stripped))
        if method:
            identity = f"{method.upper()} {shape}" + (f" {rest}" if rest else "")
            if store.entry(identity) is not None:
                return [identity]
            return _unlabelled_matches(store, identity) if rest else []
        return store.operations_with_shape(shape)
    return store.by_name(feature) or store.by_name(feature, ignore_case=True)


def without_labels(identity: str) -> str:
    """An identity with its `<label>` steps taken out (enum values kept as they are):
    `POST /x request tools[]<function>.function.name` -> `POST /x request tools[].function.name`."""
    head, eq, value = identity.partition("=")
    out, depth = [], 0
    for char in head:
        if char == "<":
            depth += 1
        elif char == ">" and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out) + eq + value


def _unlabelled_matches(store: IndexStore, identity: str) -> list[str]:
    """A field typed without its variant labels names the elements that differ from it only by those
    labels (README "Element keys": a plain object tagged with one value is that value's variant), so
    `tools[].function.name` finds `tools[]<function>.function.name`."""
    from ..surface.keys import element_name

    kind = "enum" if "=" in identity.rsplit(" ", 1)[-1] else "field"
    wanted = without_labels(identity)
    return [i for i in store.by_name(element_name(kind, identity)) if without_labels(i) == wanted]


def present_positions(entry: dict, timeline: str = "versions") -> list[int]:
    """Positions on `timeline` where an index entry is present (its runs expanded)."""
    return [p for first, last in entry["present"].get(timeline, []) for p in range(first, last + 1)]


def suggestions(store: IndexStore, feature: str, limit: int = 5) -> list[str]:
    import difflib

    return difflib.get_close_matches(feature, store.names(), n=limit, cutoff=0.6)


def known_entry(store: IndexStore, identity: str) -> dict:
    """The entry of an identity the index itself listed (find, by_key, with_prefix...): there is
    one, so a missing one is a KeyError that names it rather than a None read further on."""
    entry = store.entry(identity)
    if entry is None:
        raise KeyError(identity)
    return entry


def timelines_of(store: IndexStore, identity: str) -> list[str]:
    """The timelines an element appears on: the main one (`versions`) first, then each version's
    revisions in timeline order."""
    present = known_entry(store, identity)["present"]
    order = {v: i for i, v in enumerate(store.versions)}
    return sorted((t for t in store.timelines if t in present),
                  key=lambda t: (t != "versions", order.get(t, len(order)), t))


def is_notable(store: IndexStore, timeline: str, seen: dict) -> bool:
    """Is an element's presence on a revision timeline worth showing? Always for versions that change
    in place (v1, v1-preview: no dated api-version); for a dated version only when an amendment added
    or removed the element (it is not simply present in every revision)."""
    if timeline == "versions":
        return True
    if not is_dated(timeline):
        return True
    return seen["versions"] != store.timelines[timeline]


def presence(store: IndexStore, identity: str, timeline: str = "versions") -> dict | None:
    """Where an element is present on one timeline: members, first and last seen, and the gaps."""
    entry = known_entry(store, identity)
    positions = present_positions(entry, timeline)
    if not positions:
        return None
    return _presence(entry, store.timelines[timeline], positions, timeline)


def _presence(entry: dict, members: list[str], positions: list[int], timeline: str) -> dict:
    """`presence` of an element present somewhere on the timeline (`positions` not empty)."""
    first, last = positions[0], positions[-1]
    present = set(positions)
    gaps = [members[p] for p in range(first, last + 1) if p not in present]
    return {
        "key": entry["key"], "kind": entry["kind"], "operation": entry["operation"], "location": entry["location"],
        "timeline": timeline, "versions": [members[p] for p in positions],
        "first_seen": members[first], "last_seen": members[last], "gaps": gaps,
    }


def history(store: IndexStore, identity: str, timeline: str = "versions") -> dict | None:
    """The timeline of one element: added, attribute changes, removed (and re-added).

    On a revision timeline each event also carries the upstream date and change title."""
    members = store.timelines[timeline]
    entry = known_entry(store, identity)
    present_at = present_positions(entry, timeline)
    if not present_at:
        return None
    positions = set(present_at)
    states = {pos: store.attrs(i) for pos, i in store.states(identity).get(timeline, [])}
    events = []
    previous_attrs = None
    was_present = False
    for pos, member in enumerate(members):
        present = pos in positions
        event: dict | None = None
        if present and not was_present:
            attrs = states.get(pos, previous_attrs)
            event = {"version": member, "event": "added" if previous_attrs is None else "re-added", "attrs": attrs}
            previous_attrs = attrs
        elif present and pos in states:
            changes = _attribute_changes(entry["kind"], previous_attrs or {}, states[pos])
            if changes:
                event = {"version": member, "event": "changed", "changes": changes}
            previous_attrs = states[pos]
        elif not present and was_present:
            event = {"version": member, "event": "removed"}
        if event is not None:
            label = store.labels.get(member)
            if label:
                event.update(date=label["date"], title=label["title"])
            events.append(event)
        was_present = present
    return {**_presence(entry, members, present_at, timeline), "events": events}


def _attribute_changes(kind: str, before: dict, after: dict) -> list[dict]:
    """The attribute changes `diff` reports (diff/attributes.py: one definition for both), plus, for a
    value with an enum, which values came and went (in `diff` those are enum elements of their own)."""
    out = [{"attribute": attribute, "before": old, "after": new}
           for attribute, old, new in attribute_changes(kind, before, after)]
    if before.get("enum") != after.get("enum"):
        old, new = set(map(str, before.get("enum") or [])), set(map(str, after.get("enum") or []))
        if old != new:
            out.append({"attribute": "enum", "added": sorted(new - old), "removed": sorted(old - new)})
            out.sort(key=lambda change: change["attribute"])
    return out


def describe_attribute_change(change: dict, arrow: str = " -> ") -> str:
    """`enum +minimal -none` or `nullable (none) -> true`, for one entry of a history event."""
    if change["attribute"] == "enum":
        return "enum " + " ".join([f"+{v}" for v in change["added"]] + [f"-{v}" for v in change["removed"]])
    return f"{change['attribute']} {display_value(change['before'])}{arrow}{display_value(change['after'])}"
