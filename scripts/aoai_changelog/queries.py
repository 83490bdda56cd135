"""Feature queries over the index: `has` (where is X present) and `history` (how did X change)."""

from __future__ import annotations

import re

from .keys import display_path, shape_path, strip_deployment

_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_OPERATION = re.compile(r"^(?:(%s)\s+)?(/\S*)(?:\s+(.*))?$" % "|".join(_METHODS), re.IGNORECASE)


def _identity_prefix(method: str, path: str) -> str:
    stripped, _ = strip_deployment(path)
    return f"{method.upper()} {shape_path(display_path(stripped))}"


def find(store, feature: str) -> list[str]:
    """Identities that FEATURE names: a full key, an operation (`POST /batches`, `/batches`) or a bare name."""
    feature = feature.strip()
    if not feature:
        return []
    if store.entry(feature) is not None:
        return [feature]
    exact = store.by_key(feature)
    if exact:
        return exact
    match = _OPERATION.match(feature)
    if match:
        method, path, rest = match.groups()
        stripped, _ = strip_deployment(path)
        shape = shape_path(display_path(stripped))
        if method:
            identity = f"{method.upper()} {shape}" + (f" {rest}" if rest else "")
            return [identity] if store.entry(identity) is not None else []
        return store.operations_with_shape(shape)
    return store.by_name(feature) or store.by_name(feature, ignore_case=True)


def present_positions(entry: dict) -> list[int]:
    """Version positions where an index entry is present (its runs expanded)."""
    return [p for first, last in entry["present"] for p in range(first, last + 1)]


def suggestions(store, feature: str, limit: int = 5) -> list[str]:
    import difflib

    return difflib.get_close_matches(feature, store.names(), n=limit, cutoff=0.6)


def presence(store, identity: str) -> dict:
    """Where an element is present: versions, first and last seen, and the gaps between them."""
    versions = store.versions
    entry = store.entry(identity)
    positions = present_positions(entry)
    first, last = positions[0], positions[-1]
    present = set(positions)
    gaps = [versions[p] for p in range(first, last + 1) if p not in present]
    return {
        "key": entry["key"], "kind": entry["kind"], "operation": entry["operation"], "location": entry["location"],
        "versions": [versions[p] for p in positions],
        "first_seen": versions[first], "last_seen": versions[last], "gaps": gaps,
    }


def history(store, identity: str) -> dict:
    """The timeline of one element: added, attribute changes, removed (and re-added)."""
    versions = store.versions
    entry = store.entry(identity)
    positions = set(present_positions(entry))
    states = {pos: attrs for pos, attrs in entry["states"]}
    events = []
    previous_attrs = None
    was_present = False
    for pos, version in enumerate(versions):
        present = pos in positions
        if present and not was_present:
            attrs = states.get(pos, previous_attrs)
            events.append({"version": version, "event": "added" if previous_attrs is None else "re-added", "attrs": attrs})
            previous_attrs = attrs
        elif present and pos in states:
            changes = _attribute_changes(previous_attrs or {}, states[pos])
            if changes:
                events.append({"version": version, "event": "changed", "changes": changes})
            previous_attrs = states[pos]
        elif not present and was_present:
            events.append({"version": version, "event": "removed"})
        was_present = present
    return {**presence(store, identity), "events": events}


def _attribute_changes(before: dict, after: dict) -> list[dict]:
    out = []
    for attribute in sorted(set(before) | set(after)):
        if before.get(attribute) != after.get(attribute):
            change = {"attribute": attribute, "before": before.get(attribute), "after": after.get(attribute)}
            if attribute == "enum":
                old, new = set(map(str, before.get("enum") or [])), set(map(str, after.get("enum") or []))
                change = {"attribute": "enum", "added": sorted(new - old), "removed": sorted(old - new)}
            out.append(change)
    return out
