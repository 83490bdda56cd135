"""Features a user names, grouped by operation: `has A B C`, `--oldest`, and preview gates.

A feature is whatever `has` accepts (a key, an operation, a bare name) or a field path's tail
(`stream_options.include_usage`, `response_format.type=json_schema`). Several features are asked
about one operation at a time ("everything my request uses"): an operation answers when each
feature matches one of its elements, and a feature is present in a version when one of those
elements is. Operations are ranked by relevance: features matched in the request (what a client
sends) first, then the operations present in the most versions.

Runs on the feature index only (no snapshots): this is the `has` path.
"""

from __future__ import annotations

from ..index.queries import find, known_entry, present_positions, without_labels
from ..store.versionids import is_dated

TYPE_CHECKING = False  # `has` starts without importing typing
if TYPE_CHECKING:
    from typing import Any

    from ..index.indexstore import IndexStore


PREVIEW_WORDS = ("preview", "alpha", "beta", "experimental")


def find_feature(index: IndexStore, feature: str) -> list[str]:
    """Identities a feature names; a dotted tail matches keys that end with it."""
    found = find(index, feature)
    if found or not any(sep in feature for sep in ".=[<{"):
        return found
    last = feature
    for sep in ("=", ".", "]", ">", "}"):
        last = last.rsplit(sep, 1)[-1]
    if not last:
        return []
    # Typed without variant labels, a tail names the labelled elements too, as a full key does
    # (README "Element keys"): `tools[].function.name` finds `tools[]<function>.function.name`.
    unlabelled = "<" not in feature.partition("=")[0]
    out = []
    for identity in index.by_name(last):
        key = known_entry(index, identity)["key"]
        if _ends_with_steps(key, feature) or (unlabelled and _ends_with_steps(without_labels(key), feature)):
            out.append(identity)
    return sorted(out)


def _ends_with_steps(key: str, tail: str) -> bool:
    """Does `key` end with `tail` at a step boundary (not inside a property name)?"""
    at = len(key) - len(tail)
    return key.endswith(tail) and at > 0 and key[at - 1] in " .]>}"


def by_operation(index: IndexStore, identities: list[str]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for identity in identities:
        entry = known_entry(index, identity)
        groups.setdefault(entry["operation"], []).append({**entry, "identity": identity})
    return groups


def _positions(entries: list[dict], timeline: str) -> set[int]:
    return {p for e in entries for p in present_positions(e, timeline)}


def _relevance(entries_by_feature: list[list[dict]], versions: list[str], operation: str,
               channels: dict | None) -> tuple:
    """Sort key, most relevant first: matched in what a client sends, present in more GA versions,
    then in more versions, then the shallowest match."""
    in_request = sum(any(e["location"] in ("request", "query", "header", "path") for e in entries)
                     for entries in entries_by_feature)
    depth = min((e["key"].count(".") + e["key"].count("[]") for entries in entries_by_feature
                 for e in entries), default=0)
    ga = sum(1 for v in versions if (channels or {}).get(v) == "ga")
    return (-in_request, -ga, -len(versions), depth, operation)


def rank_operations(matches: list[dict], channels: dict | None) -> list[str]:
    """The operations one feature's matches (Match.to_json() rows) fall in, most relevant first: the
    one ranking of `has NAME`, `has NAME --in V` and the site's lookup (app.js rankOperations)."""
    groups: dict[str, list[dict]] = {}
    for m in matches:
        groups.setdefault(m["operation"], []).append(m)

    def rank(op: str) -> tuple:
        ms = groups[op]
        versions = sorted({v for m in ms for v in m["versions"]})
        return _relevance([ms], versions, op, channels)

    return sorted(groups, key=rank)


def is_preview_word(text: str) -> bool:
    """`preview`, `Preview`, `2025-04-01-preview`, `alpha`: a word of the text is a preview word."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    return any(word in PREVIEW_WORDS for word in words)


def gate_candidates(index: IndexStore) -> list[str]:
    """Identities of the header enum values that are preview words, all operations (look up once
    when asking about many operations)."""
    out = []
    for name in [n for n in index.names() if is_preview_word(n)]:
        for identity in index.by_name(name):
            entry = known_entry(index, identity)
            if entry["kind"] == "enum" and entry["location"] == "header":
                out.append(identity)
    return out


def gates(index: IndexStore, operation: str, candidates: list[str] | None = None) -> list[dict]:
    """Request headers of `operation` whose allowed value is a preview word, with where they apply.
    Without `candidates` (from gate_candidates), the operation's own header elements are read by
    identity prefix: a few index rows, whatever the store."""
    from ..index.queries import presence
    from ..surface.keys import shape_path

    if candidates is None:
        method, _, path = operation.partition(" ")
        prefix = f"{method} {shape_path(path)} header "
        candidates = [i for i in index.with_prefix(prefix) if "=" in i[len(prefix):]
                      and is_preview_word(i.rpartition("=")[2])]
    found = []
    for identity in candidates:
        entry = known_entry(index, identity)
        if entry["operation"] != operation or entry["kind"] != "enum" or entry["location"] != "header":
            continue
        header, _, value = entry["key"][len(operation) + len(" header "):].rpartition("=")
        spans = {}
        for timeline in [t for t in index.timelines if t in entry["present"]]:
            seen = presence(index, identity, timeline)
            if seen is None:
                continue  # listed with no run of versions: not present on that timeline
            members = index.timelines[timeline]
            spans[timeline] = {"first": seen["first_seen"], "last": seen["last_seen"],
                               "now": seen["last_seen"] == members[-1]}
        found.append({"header": header, "value": value, "timelines": spans})
    return found


def preview_segments(operation: str) -> list[str]:
    path = operation.split(" ", 1)[-1]
    return [s for s in path.split("/") if s and not s.startswith("{") and is_preview_word(s)]


def gate_lines(index: IndexStore, operation: str) -> list[str]:
    """`preview: send header aoai-evals: preview (v1: 2025-08-01 until 2026-01-22; …)` for text output:
    on the timelines of versions that change in place, from the revision that brought the gate to
    the one that took it away."""
    lines = []
    for gate in gates(index, operation):
        spans, now = [], False
        for timeline, span in gate["timelines"].items():
            if timeline == "versions" or is_dated(timeline):
                continue  # the main timeline and dated amendments: the revision timelines say when
            members = index.timelines[timeline]
            first = (index.labels.get(span["first"]) or {}).get("date") or span["first"]
            if span["now"]:
                now = True
                spans.append(f"{timeline}: since {first}")
            else:
                gone = members[members.index(span["last"]) + 1]
                spans.append(f"{timeline}: {first} until {(index.labels.get(gone) or {}).get('date') or gone}")
        if not spans:
            versions = gate["timelines"].get("versions")
            now = bool(versions and versions["now"])
            spans = [f"{versions['first']} … {versions['last']}"] if versions else []
        lead = "preview" if now else "was preview"
        lines.append(f"{lead}: send header {gate['header']}: {gate['value']} ({'; '.join(spans)})")
    for segment in preview_segments(operation):
        lines.append(f"preview: the path has the segment /{segment}/")
    return lines


def answer(index: IndexStore, features: list[str], channels: dict[str, str] | None = None,
           channel: str | None = None) -> dict:
    """Per operation where every feature matches: presence of all of them per version, the oldest
    version (and oldest GA) with all, v1's since-date, and what each other version lacks."""
    matches = {f: find_feature(index, f) for f in features}
    missing = [f for f, ids in matches.items() if not ids]
    per_feature = {f: by_operation(index, ids) for f, ids in matches.items()}
    common = set.intersection(*(set(g) for g in per_feature.values())) if per_feature and not missing else set()
    versions = index.versions
    considered = [v for v in versions if channel is None or (channels or {}).get(v) == channel]
    operations = []
    for op in common:
        entries_by_feature = [per_feature[f][op] for f in features]
        main = [_positions(entries, "versions") for entries in entries_by_feature]
        rows: list[dict[str, Any]] = []
        for pos, version in enumerate(versions):
            if version not in considered:
                continue
            lacks = [f for f, present in zip(features, main) if pos not in present]
            rows.append({"version": version, "all": not lacks, "lacks": lacks})
        with_all = [r["version"] for r in rows if r["all"]]
        ga = [v for v in with_all if (channels or {}).get(v) == "ga"]
        op_answer: dict[str, Any] = {
            "operation": op, "versions": rows, "present_in": with_all,
            "oldest": with_all[0] if with_all else None, "oldest_ga": ga[0] if channels is not None and ga else None,
            "elements": {f: sorted(e["key"] for e in per_feature[f][op]) for f in features},
            # --channel holds for the versions that change in place too (v1-preview is a preview).
            "revisions": {t: since for t, since in _revision_since(index, entries_by_feature, features).items()
                          if channel is None or (channels or {}).get(t) == channel},
        }
        if not with_all and not op_answer["revisions"]:
            continue  # each feature is there, never all at once
        op_answer["_rank"] = _relevance(entries_by_feature, with_all, op, channels)
        operations.append(op_answer)
    operations.sort(key=lambda a: a["_rank"])
    for a in operations:
        del a["_rank"]
    # Operations where only some features match, so that a miss can be explained.
    partial: dict = {}
    for f, groups in per_feature.items():
        for op in groups:
            if op not in common:
                partial.setdefault(op, []).append(f)
    return {"features": features, "channel": channel, "unmatched": missing, "operations": operations,
            "partial": {op: fs for op, fs in sorted(partial.items(), key=lambda kv: (-len(kv[1]), kv[0]))}}


def _revision_since(index: IndexStore, entries_by_feature: list[list[dict]], features: list[str]) -> dict:
    """For versions that change in place (v1, v1-preview): the first dated revision with all the
    features, and what the revision before it lacked."""
    out = {}
    for timeline, members in index.timelines.items():
        if timeline == "versions" or is_dated(timeline):
            continue
        present = [_positions(entries, timeline) for entries in entries_by_feature]
        first = next((p for p in range(len(members)) if all(p in s for s in present)), None)
        if first is None:
            continue
        label = index.labels.get(members[first]) or {}
        since = {"revision": members[first], "date": label.get("date"), "title": label.get("title"),
                 "in_latest": all(len(members) - 1 in s for s in present)}
        if first > 0:
            since["before_lacks"] = [f for f, s in zip(features, present) if first - 1 not in s]
        out[timeline] = since
    return out


def render_text(result: dict, oldest: bool, version: str | None, index: IndexStore) -> str:
    from ..formatters.escaping import terminal_text  # here, not at the top: `has` starts without `re`

    features = result["features"]
    lines = [f"all of: {', '.join(features)}" + (f" (channel {result['channel']})" if result["channel"] else "")]
    for f in result["unmatched"]:
        lines.append(f"  no element matches '{f}'")
    if not result["operations"]:
        if not result["unmatched"]:
            lines.append("  no operation has all of them; where each one is:")
            for op, fs in list(result["partial"].items())[:10]:
                lines.append(f"    {op}: {', '.join(fs)}")
        return "\n".join(terminal_text(line) for line in lines) + "\n"
    for number, op in enumerate(result["operations"]):
        if number and not oldest and number >= 5:
            rest = result["operations"][number:]
            lines.append(f"(and {len(rest)} more operations with all of them: "
                         f"{', '.join(o['operation'] for o in rest)})")
            break
        lines.append("")
        lines.append(f"{op['operation']}: all present in {len(op['present_in'])} of {len(op['versions'])} versions")
        summary = [f"oldest: {op['oldest'] or 'none'}"]
        if op["oldest_ga"] is not None or result["channel"] != "preview":
            summary.append(f"oldest GA: {op['oldest_ga'] or 'none'}")
        for timeline, since in op["revisions"].items():
            text = f"{timeline}: since {since['date'] or since['revision']}"
            if since.get("before_lacks"):
                text += f" (before: lacks {', '.join(since['before_lacks'])})"
            if not since["in_latest"]:
                text += " (not all in the latest revision)"
            summary.append(text)
        lines.append("  " + "; ".join(summary))
        lines += [f"  {line}" for line in gate_lines(index, op["operation"])]
        width = max(len(r["version"]) for r in op["versions"]) if op["versions"] else 0
        for row in op["versions"]:
            if oldest and row["all"]:
                continue  # --oldest: only what holds a version back
            if version and row["version"] != version:
                continue
            lines.append(f"  {row['version'].ljust(width)}  "
                         + ("all present" if row["all"] else f"lacks {', '.join(row['lacks'])}"))
        if oldest and number == 0 and len(result["operations"]) > 1:
            lines.append("")
            lines.append(f"(also with all of them: {', '.join(o['operation'] for o in result['operations'][1:])})")
            break
    return "\n".join(terminal_text(line) for line in lines) + "\n"


def render_grouped(index: IndexStore, feature: str, matches: list[dict], channels: dict | None = None,
                   limit: int = 15) -> str:
    """One bare name over many operations: one block per operation, most relevant first."""
    from ..formatters.escaping import terminal_text

    groups: dict[str, list[dict]] = {}
    for m in matches:
        groups.setdefault(m["operation"], []).append(m)

    ordered = rank_operations(matches, channels)
    lines = [f"'{feature}' matches {len(matches)} elements in {len(groups)} operations (most relevant first)"]
    for op in ordered[:limit]:
        ms = groups[op]
        versions = [v for v in index.versions if any(v in m["versions"] for m in ms)]
        span = (f"{versions[0]} … {versions[-1]} ({len(versions)} of {len(index.versions)} versions)" if versions
                else "in revisions only")
        lines.append(f"{op}: {span}")
        for m in sorted(ms, key=lambda m: m["key"]):
            rest = m["key"][len(op):].strip()
            seen = f"{m['first_seen']} … {m['last_seen']}" if m["versions"] else ""
            v1 = "; ".join(f"{t}: since {s['first_date']}" for t, s in m["revisions"].items() if not is_dated(t))
            lines.append(f"    {rest}  {seen}" + (f"  [{v1}]" if v1 else ""))
        lines += [f"    {line}" for line in gate_lines(index, op)]
    if len(ordered) > limit:
        lines.append(f"(and {len(ordered) - limit} more operations: {', '.join(ordered[limit:])})")
    return "\n".join(terminal_text(line) for line in lines) + "\n"
