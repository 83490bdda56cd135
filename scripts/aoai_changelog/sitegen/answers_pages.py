"""Site pages for the answers: migration guides, the v1 support table, the data of "check a body".

- guides/migrations/FROM..TO.md   the guides `build` wrote into changelog/migrations/
- guides/v1-support.md           API area x (GA in v1 / preview in v1 and how to opt in / only in the
                                 preview twin / not in v1), with since-dates from v1's dated revisions:
                                 all from the feature index
- api/check/                     request schemas cut from the snapshots (specs/), one small file per
                                 operation and version, for site/check.md (the only page data not read
                                 from changelog/: the index holds facts, not whole schemas)
"""

from __future__ import annotations

import json
from pathlib import Path

from ..answers.features import gate_candidates, gates, preview_segments
from ..formatters.escaping import md_code, md_text, url_part
from ..index.indexstore import expand_entry
from ..index.queries import presence
from .areas import ORDER, area_of
from .data import SiteData
from .pagetext import PageText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..index.indexstore import IndexStore


GUIDES = "guides"


def migrations_by_version(changelog: Path) -> dict[str, list[dict]]:
    """{FROM: [{to, page}]} for the version pages' links (page relative to versions/)."""
    index = changelog / "migrations" / "index.json"
    if not index.exists():
        return {}
    out: dict[str, list[dict]] = {}
    for m in json.loads(index.read_text())["migrations"]:
        page = PageText(f"../{GUIDES}/migrations/{url_part(m['from'])}..{url_part(m['to'])}.md")
        out.setdefault(m["from"], []).append({"to": m["to"], "page": page})
    return out


def migration_pages(data: SiteData) -> dict[str, str]:
    index = data.root / "migrations" / "index.json"
    if not index.exists():
        return {}
    listing = json.loads(index.read_text())["migrations"]
    pages = {}
    rows = ["# Migration guides", "",
            "What a client of each dated version must change to use v1 (and the newest dated GA): the changes "
            "repeated across operations stated once, then each operation's own, computed from the diff "
            "(`aoai-changelog migrate FROM TO`). Every breaking change of the diff is in its guide.", "",
            "| from | to | breaking changes | stated once | per operation | operations gone |",
            "|---|---|---:|---:|---:|---:|"]
    for m in listing:
        name = f"{m['from']}..{m['to']}.md"
        pages[f"{GUIDES}/migrations/{name}"] = (data.root / m["markdown"]).read_text()
        s = m["summary"]
        rows.append(f"| [{md_text(m['from'])}]({url_part(m['from'])}..{url_part(m['to'])}.md) | {md_text(m['to'])} "
                    f"| {s['breaking']} | {s['groups']} groups ({s['grouped_breaking']} changes) "
                    f"| {s['alone_breaking']} | {s['operations_removed']} |")
    pages[f"{GUIDES}/migrations/index.md"] = "\n".join(rows) + "\n"
    return pages


def _date(store: IndexStore, revision: str) -> str:
    return (store.labels.get(revision) or {}).get("date") or revision


def _lifted_on(store: IndexStore, timeline: str, last: str) -> str:
    """The date of the revision after `last`: when a gate last seen in `last` was taken away."""
    members = store.timelines[timeline]
    position = members.index(last)
    return _date(store, members[position + 1]) if position + 1 < len(members) else _date(store, last)


def support_rows(data: SiteData, stable: str = "v1") -> dict[str, list[dict]]:
    """{area: [{operation, state, how, since}]} for every operation ever seen; state is `ga`,
    `preview` (in `stable` behind a gate), `preview-only` (only in its preview twin) or `absent`."""
    store = data.store
    twin = stable + "-preview"
    versions = data.version_ids
    if stable not in versions:
        return {}
    out: dict[str, list[dict]] = {}
    candidates = gate_candidates(store)
    for identity, raw in sorted(data.index["elements"].items()):
        if raw["kind"] != "operation":
            continue
        entry = expand_entry(identity, raw)
        op = entry["key"]
        main = presence(store, identity) or {"versions": []}
        row = {"operation": op, "how": "", "since": ""}
        if stable in main["versions"]:
            on_timeline = presence(store, identity, stable) if stable in store.timelines else None
            row["since"] = _date(store, on_timeline["first_seen"]) if on_timeline else ""
            header = [g for g in gates(store, op, candidates) if g["timelines"].get(stable, {}).get("now")
                      or (stable not in store.timelines and g["timelines"].get("versions", {}).get("last") == stable)]
            segments = preview_segments(op)
            if header or segments:
                row["state"] = "preview"
                row["how"] = "; ".join([f"send header {md_code(g['header'] + ': ' + g['value'])}" for g in header]
                                       + [f"path segment {md_code('/' + s + '/')}" for s in segments])
            else:
                row["state"] = "ga"
                lifted = [g for g in gates(store, op, candidates) if stable in g["timelines"]
                          and not g["timelines"][stable]["now"]]
                row["how"] = "; ".join(f"preview until {_lifted_on(store, stable, g['timelines'][stable]['last'])} "
                                       f"(header {md_code(g['header'] + ': ' + g['value'])})" for g in lifted)
        elif twin in main["versions"]:
            row["state"] = "preview-only"
            on_twin = presence(store, identity, twin) if twin in store.timelines else None
            row["since"] = _date(store, on_twin["first_seen"]) if on_twin else ""
            row["how"] = f"only in {twin}"
        else:
            row["state"] = "absent"
            row["how"] = f"last in {main['last_seen']}" if main["versions"] else "only in dated revisions"
        out.setdefault(area_of(op), []).append(row)
    return out


def support_page(data: SiteData, stable: str = "v1") -> str:
    areas = support_rows(data, stable)
    lines = [f"# {stable} API support", "",
             f"Every operation the project has seen, by API area: generally available in {stable}, in {stable} "
             f"behind a preview gate (a request header whose value is a preview word, or a preview path segment; "
             f"the gate says how to opt in), only in {stable}-preview, or not in {stable}. Since-dates come from "
             f"{stable}'s dated upstream revisions ([timeline](../timeline/{stable}.md)). Computed from the feature "
             f"index; `aoai-changelog preview {stable}` prints the gates.", "",
             f"| area | GA in {stable} | preview in {stable} (how to opt in) "
             f"| only in {stable}-preview | not in {stable} |",
             "|---|---:|---|---:|---:|"]
    for area in [a for a in ORDER if a in areas]:
        rows = areas[area]
        count = {s: [r for r in rows if r["state"] == s] for s in ("ga", "preview", "preview-only", "absent")}
        hows = sorted({r["how"] for r in count["preview"]})
        preview = f"{len(count['preview'])} ({'; '.join(hows)})" if count["preview"] else "0"
        lines.append(f"| [{area}](#{area.replace(' ', '-')}) | {len(count['ga'])} | {preview} | "
                     f"{len(count['preview-only'])} | {len(count['absent'])} |")
    labels = {"ga": f"GA in {stable}", "preview": f"preview in {stable}", "preview-only": f"only in {stable}-preview",
              "absent": f"not in {stable}"}
    for area in [a for a in ORDER if a in areas]:
        lines += ["", f"## {area}", "", "| operation | state | since | how / where |", "|---|---|---|---|"]
        for r in sorted(areas[area],
                        key=lambda r: (list(labels).index(r["state"]), r["operation"].split(" ", 1)[1],
                                       r["operation"])):
            lines.append(f"| {md_code(r['operation'])} | {labels[r['state']]} | {md_text(r['since'] or '—')} | "
                         f"{r['how'] or '—'} |")
    return "\n".join(lines) + "\n"


def check_data(project_root: Path) -> dict[str, str]:
    """api/check/: the request schemas of every operation and version, each stored once, as JSON and
    as a script (pages opened from disk cannot fetch())."""
    from ..answers.schema_bundles import check_files
    from ..store.catalog import load_catalog
    from ..store.project import Project
    from ..store.snapshots import load_snapshot, load_surface, release_shared_rows

    project = Project(project_root)
    catalog = load_catalog(project.catalog_file, project.schema_dir)
    files = check_files((v, load_snapshot(project, catalog, v), load_surface(project, catalog, v, shared=False))
                        for v in catalog.ids())
    release_shared_rows()  # the last surface's groups, kept for the next load: none comes

    scripts = {}
    for name, text in files.items():
        stem = name[len("api/check/"):-len(".json")]
        ident = stem.rsplit("/", 1)[-1]
        scripts[f"api/check/{stem}.js"] = f"AOAI_CHECK_LOADED({json.dumps(ident)}, {text.rstrip()});\n"
    return {**files, **scripts}


def answers_pages(data: SiteData) -> dict[str, str]:
    """The migration guides and the v1 support page (the check page's data is check_data())."""
    pages = migration_pages(data)
    pages[f"{GUIDES}/v1-support.md"] = support_page(data)
    return pages
