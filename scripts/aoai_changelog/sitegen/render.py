"""Generate the site's pages into site/ and build it with MkDocs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape

from ..checker.rules import rules_markdown
from ..diff.changes import stored_message
from ..errors import UserError
from ..formatters.escaping import html_text, md_code, url_part
from ..formatters.jsonout import canonical_json
from ..formatters.presentation import location_rank, location_title, subject_and_rest_of
from ..index.feeds import published_feed
from ..index.queries import describe_attribute_change, history
from ..progress import progress
from ..store.atomic import replace_tree, write_text
from ..store.versionids import is_dated
from .answers_pages import answers_pages, check_data, migrations_by_version
from .areas import ORDER, area_of
from .browserdata import browser_files, compact_json
from .charts import stacked_bars
from .data import SiteData, anchor, load_site_data, operation_slug, upstream_url
from .pagetext import PageText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..index.indexstore import IndexStore


TEMPLATES = Path(__file__).resolve().parent / "templates"
GENERATED_DIRS = ("versions", "changes", "operations", "timeline", "api", "feeds", "guides", "data")
GENERATED_FILES = ("index.md", "rules.md", "keys.md")
SCHEMAS = ("catalog.schema.json", "snapshot.schema.json", "diff.schema.json")


def data_script(name: str, value: object) -> str:
    """A data file for the browser, as a script (pages opened from disk may load scripts, not fetch())."""
    return f"aoaiData({json.dumps(name)},{compact_json(value)});\n"


def headline(changes: list[dict]) -> dict[str, int]:
    """The one definition of a release's counts, used on every page (home, changes, change pages):
    `added`/`removed` count elements added or removed on their own; those that came or went with
    their parent are `with_parent` (the command line's added/removed include them); `changed` counts
    attribute changes; `changes` is what the chart shows (added + removed + changed)."""
    out = {"added": 0, "removed": 0, "changed": 0, "with_parent": 0, "breaking": 0, "total": 0}
    for c in changes:
        # A committed diff lists a subtree once: its root carries the count of its members (`nested`).
        members = c.get("nested", 0)
        if c["with_parent"]:
            out["with_parent"] += 1
        else:
            out[c["kind"]] += 1
        out["with_parent"] += members
        out["total"] += 1 + members
        out["breaking"] += bool(c["breaking"])
    out["changes"] = out["added"] + out["removed"] + out["changed"]
    return out


def _env() -> Environment:
    # Escaping by default, for Markdown pages: every value is written as Markdown text unless it is
    # PageText, which the filters below make for their context (see sitegen/pagetext.py).
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, keep_trailing_newline=True,
                      autoescape=True, finalize=PageText.escape, trim_blocks=False, lstrip_blocks=False)
    env.filters["code"] = lambda value: PageText(md_code(value))   # a code span, whatever backticks it holds
    env.filters["html"] = lambda value: PageText(html_text(value))  # inside raw HTML blocks
    env.filters["url"] = lambda value: PageText(url_part(value))    # inside a link target
    env.globals["op_slug"] = operation_slug
    env.globals["strip_html"] = strip_html
    return env


def strip_html(positions: set[int] | list[int], versions: list[dict]) -> PageText:
    """The version strip, labelled: one glyph per version (◆/◇ for GA, ■/□ for previews), and the
    version names in words for hover and screen readers (the same as stripNode() in app.js)."""
    present = set(positions)
    glyphs: list[str] = []
    named_in: list[str] = []
    named_out: list[str] = []
    for i, v in enumerate(versions):
        ga = v["channel"] == "ga"
        glyphs.append(("◆" if ga else "■") if i in present else ("◇" if ga else "□"))
        (named_in if i in present else named_out).append(v["id"] + (" (GA)" if ga else ""))
    label = escape("present in " + (", ".join(named_in) or "none") + "; absent in " + (", ".join(named_out) or "none"))
    glyph_text = "".join(glyphs)
    return PageText(f'<span class="aoai-strip" role="img" title="{label}" aria-label="{label}">{glyph_text}</span>')


# -- pages -----------------------------------------------------------------------------------------

def home_page(env: Environment, data: SiteData, revision_count: int) -> str:
    by_to = {d["to"]: d for d in data.diffs if "timeline" in d["lines"]}
    timeline = []
    for v in data.versions:
        d = by_to.get(v["id"])
        h = headline(d["changes"]) if d else None
        timeline.append({
            "id": v["id"], "channel": v["channel"], "release_date": v["release_date"], "status": v["status"],
            "operations": v["counts"]["operation"], "elements": sum(v["counts"].values()),
            "h": h,
            "diff": f"changes/{d['from']}..{d['to']}.md" if d else None,
        })
    rows, used = [], set()
    for d in data.diffs:
        if "timeline" not in d["lines"]:
            continue
        counts: dict[str, int] = {}
        for c in d["changes"]:
            if not c["with_parent"]:
                area = area_of(c["operation"])
                counts[area] = counts.get(area, 0) + 1
                used.add(area)
        rows.append((f"{d['from']} → {d['to']}", counts))
    series = [a for a in ORDER if a in used]
    chart = PageText(stacked_bars(rows, series, "Changes per release and API area"))  # SVG, escaped by charts.py
    ga_line = [v["id"] for v in data.versions if v["channel"] == "ga"]
    ga_diffs = [{"from": d["from"], "to": d["to"], "link": f"changes/{d['from']}..{d['to']}.md"}
                for d in data.diffs if "ga" in d["lines"]]
    return env.get_template("home.md.j2").render(versions=data.versions, timeline=timeline, chart=chart,
                                                 ga_line=ga_line, ga_diffs=ga_diffs, revision_count=revision_count)


def newest_operation_key(data: SiteData) -> Callable[[str], str]:
    """An operation key as one version spells it -> the newest spelling of the same operation
    (`{batch-id}` and `{batch_id}` are one operation): what its page and its rows are named after."""
    from ..index.queries import _identity_prefix

    newest = {op["identity"]: key for key, op in data.operations().items()}

    def spell(key: str) -> str:
        method, _, path = key.partition(" ")
        return newest.get(_identity_prefix(method, path), key)
    return spell


def page_of_operation(data: SiteData) -> Callable[[str], str]:
    """An operation key as one version spells it -> the slug of its page."""
    spell = newest_operation_key(data)
    return lambda key: operation_slug(spell(key))


def version_pages(env: Environment, data: SiteData) -> dict[str, str]:
    pages = {}
    ids = data.version_ids
    op_page = page_of_operation(data)
    rows = []
    for i, v in enumerate(data.versions):
        docs = [{**d, "url": upstream_url(d["upstream_commit"], d["upstream_path"])} for d in v["documents"]]
        areas: dict[str, list[str]] = {}
        for op in v["operations"]:
            areas.setdefault(area_of(op), []).append(op)
        ordered = [(a, sorted(areas[a], key=lambda o: (o.split(" ", 1)[1], o))) for a in ORDER if a in areas]
        model = {**v, "documents": docs, "total": sum(v["counts"].values()),
                 "imported": sum(1 for r in v["revisions"] if r["imported"])}
        pages[f"versions/{v['id']}.md"] = env.get_template("version.md.j2").render(
            v=model, areas=ordered, op_page=op_page, previous=ids[i - 1] if i else None,
            next=ids[i + 1] if i + 1 < len(ids) else None)
        rows.append(model)
    pages["versions/index.md"] = env.get_template("versions_index.md.j2").render(versions=rows)
    return pages


def change_pages(env: Environment, data: SiteData) -> dict[str, str]:
    pages = {}
    with_pages = {operation_slug(key) for key in data.operations()}
    op_page = page_of_operation(data)
    newest_op_key = newest_operation_key(data)
    for d in data.diffs:
        # Members of an added/removed subtree are counted on their parent's line, not listed.
        nested: dict[str, int] = {}
        keys = {c["key"] for c in d["changes"]}
        for c in d["changes"]:
            if c["with_parent"]:
                parent = _listed_parent(c["key"], keys, d["changes"])
                if parent:
                    nested[parent] = nested.get(parent, 0) + 1
        operations: dict[str, dict] = {}
        for c in d["changes"]:
            if c["with_parent"] and _listed_parent(c["key"], keys, d["changes"]):
                continue
            op = operations.setdefault(c["operation"], {"name": c["operation"], "slug": op_page(c["operation"]),
                                                         "breaking": False, "locations": {}})
            op["breaking"] |= c["breaking"]
            subject, rest = subject_and_rest_of(c["key"], c["operation"], stored_message(c))
            target = c["key"].rsplit("=", 1)[0] if c["element"] == "enum" else c["key"]
            # Rows on the operation page are keyed by the operation's newest spelling.
            target = newest_op_key(c["operation"]) + target[len(c["operation"]):]
            op["locations"].setdefault(c["location"], []).append({
                "level": c["level"], "breaking": c["breaking"], "subject": subject,
                "rest": rest, "rule": c["rule"], "nested": nested.get(c["key"], 0) + c.get("nested", 0),
                "anchor": anchor(target) if c["element"] != "operation" else "",
            })
        ordered = []
        name = f"{d['from']}..{d['to']}"
        for index, op in enumerate(sorted(operations.values(), key=lambda o: (not o["breaking"], o["name"]))):
            locations = []
            count = 0
            for loc in sorted(op["locations"], key=location_rank):
                changes = sorted(op["locations"][loc], key=lambda c: (not c["breaking"], c["subject"]))
                count += len(changes)
                locations.append([location_title(loc), [[c["level"], c["breaking"], c["subject"], c["rest"], c["rule"],
                                                         c["nested"], c["anchor"]] for c in changes]])
            # The lines of each operation are drawn when its fold opens: no page is too heavy.
            pages[f"data/changes/{name}/{index}.js"] = data_script(f"changes/{name}/{index}", locations)
            ordered.append({**op, "index": index, "count": count, "page": op["slug"] in with_pages,
                            "breaking_count": sum(1 for lines in op["locations"].values() for c in lines
                                                  if c["breaking"])})
        pages[f"changes/{name}.md"] = env.get_template("changes.md.j2").render(
            d=d, h=headline(d["changes"]), operations=ordered, name=name)
    listing = [{**d, "page": f"{d['from']}..{d['to']}.md", "h": headline(d["changes"])} for d in data.diffs]
    pages["changes/index.md"] = env.get_template("changes_index.md.j2").render(
        timeline=[d for d in listing if "timeline" in d["lines"]], ga=[d for d in listing if "ga" in d["lines"]])
    return pages


def _listed_parent(key: str, keys: set[str], changes: list[dict]) -> str | None:
    """The nearest enclosing key that is itself listed in the diff (for collapsing subtrees)."""
    candidate = key
    while True:
        if "=" in candidate.rsplit(" ", 1)[-1]:
            candidate = candidate.rsplit("=", 1)[0]
        else:
            cut = max(candidate.rfind("."), candidate.rfind("["), candidate.rfind("<"), candidate.rfind("{"),
                      candidate.rfind(" "))
            if cut <= 0:
                return None
            candidate = candidate[:cut]
        if candidate in keys:
            return candidate


def operation_pages(env: Environment, data: SiteData, folds: dict[str, dict]) -> dict[str, str]:
    """One page per operation: its presence and paths, then its elements folded by top-level field
    (the rows of a fold come from data/ops/SLUG/N.json when it is opened: no page is too heavy)."""
    pages = {}
    store = data.store
    listing: dict[str, list[dict]] = {}
    for key, op in data.operations().items():
        positions = {data.version_ids.index(v) for v in op["versions"]}
        timeline = history(store, op["identity"])
        if timeline is None:
            continue  # in no version: no page (as browser_files decides)
        paths = []
        raw = data.index["elements"][op["identity"]]
        for pos, attrs_index in raw["states"]["versions"]:
            attrs = store.attrs(attrs_index)
            paths.append({"version": data.version_ids[pos], "path": attrs.get("path"),
                          "operation_id": attrs.get("operationId")})
        model = {"key": key, "area": op["area"], "versions": op["versions"], "first": timeline["first_seen"],
                 "last": timeline["last_seen"], "gaps": timeline["gaps"], "positions": positions,
                 "paths": paths, "folds": folds[key]["folds"], "names": folds[key]["names"],
                 "elements": sum(n for _, n in folds[key]["folds"])}
        slug = operation_slug(key)
        page = env.get_template("operation.md.j2").render(op=model, versions=data.versions, slug=slug)
        pages[f"operations/{slug}.md"] = page
        listing.setdefault(op["area"], []).append({"key": key, "slug": slug, "positions": positions,
                                                   "first": model["first"], "last": model["last"]})
    areas = [(a, listing[a]) for a in ORDER if a in listing]
    template = env.get_template("operations_index.md.j2")
    pages["operations/index.md"] = template.render(areas=areas, versions=data.versions)
    return pages


def row_history(data: SiteData) -> Callable[[str], str]:
    return lambda identity: _history_text(history(data.store, identity), data.store, identity)


def _history_text(events: dict | None, store: IndexStore, identity: str) -> str:
    """`since 2024-09-01-preview; v1-preview: nullable (none)→true; removed in …` (enum values included).
    An element in no version (`history` is None) has none."""
    if events is None:
        return ""
    parts = []
    for event in events["events"]:
        if event["event"] == "added":
            parts.append(f"since {event['version']}")
        elif event["event"] == "re-added":
            parts.append(f"back in {event['version']}")
        elif event["event"] == "removed":
            parts.append(f"removed in {event['version']}")
        else:
            changes = [describe_attribute_change(ch, arrow="→") for ch in event["changes"]]
            parts.append(f"{event['version']}: " + ", ".join(changes))
    return "; ".join(parts)


def timeline_pages(env: Environment, data: SiteData, site_url: str) -> dict[str, str]:
    pages = {}
    for entry in data.timelines:
        version = entry["version"]
        notes_file = data.root / "revisions" / version / "README.md"
        if not notes_file.exists():
            continue
        feed = None
        if not is_dated(version):
            feed = f"../feeds/{version}.xml"
            pages[f"feeds/{version}.xml"] = published_feed(data.root, version, entry["revisions"], site_url)
        pages[f"timeline/{version}.md"] = env.get_template("timeline.md.j2").render(
            notes=PageText(notes_file.read_text()), feed=feed, version=version)
    return pages


def api_files(data: SiteData, project_root: Path) -> dict[str, str | Path]:
    """api/: the changelog's data for scripts. Its files copied as they are (as Paths: write_pages
    copies them; 25 MB the build need not hold)."""
    files: dict[str, str | Path] = {
        "api/versions.json": canonical_json({"versions": data.versions}),
        "api/features.json": data.root / "features.json",
        "api/revisions.json": canonical_json({"timelines": data.timelines}),
        "api/index.json": canonical_json({
            "versions": data.version_ids,
            "diffs": [{"from": d["from"], "to": d["to"], "lines": d["lines"], "summary": d["summary"],
                       "json": f"diffs/{d['from']}..{d['to']}.json"} for d in data.diffs],
        }),
    }
    for d in data.diffs:
        files[f"api/diffs/{d['from']}..{d['to']}.json"] = data.root / d["json"]
    for name in SCHEMAS:
        files[f"api/schema/{name}"] = project_root / "schema" / name
    return files


def keys_page(readme: Path) -> str:
    """The key grammar, taken from the README's "Element keys" section (one source for both)."""
    text = readme.read_text()
    start = text.index("## Element keys")
    end = text.find("\n## ", start + 3)
    section = text[start:end if end > 0 else None].strip()
    return "# Element keys" + section[len("## Element keys"):] + "\n"


# -- the whole site --------------------------------------------------------------------------------

def generate_pages(project_root: Path, changelog: Path, site_url: str) -> dict[str, str | Path]:
    env = _env()
    # The check page's schemas first: they read the snapshots, one version at a time, before the
    # feature index is loaded (the two never share the build's memory).
    files: dict[str, str | Path] = {**check_data(project_root)}
    data = load_site_data(changelog)
    migrations = migrations_by_version(changelog)
    env.globals["migrations_of"] = lambda version: migrations.get(version, [])
    revision_count = sum(len(t["revisions"]) for t in data.timelines)
    files.update({"index.md": home_page(env, data, revision_count), "rules.md": rules_markdown(),
                  "keys.md": keys_page(project_root / "README.md")})
    browser, folds = browser_files(data.index, data.versions, row_history(data))
    # Scripts, not JSON: a page opened from disk (file://) may load a script but not fetch() a file.
    # (Each text leaves `browser` as its script joins `files`: 40 MB are never held twice.)
    for name in sorted(browser):
        files[f"data/{name[:-5]}.js"] = f"aoaiData({json.dumps(name[:-5])},{browser.pop(name)});\n"
    steps: list[tuple[str, Callable[[], Mapping[str, str | Path]]]] = [
        ("versions", lambda: version_pages(env, data)), ("changes", lambda: change_pages(env, data)),
        ("operations", lambda: operation_pages(env, data, folds)),
        ("timelines", lambda: timeline_pages(env, data, site_url)),
        ("api", lambda: api_files(data, project_root)), ("answers", lambda: answers_pages(data))]
    for _name, step in progress(steps, "site pages", total=len(steps)):
        files.update(step())
    return files


def write_pages(site_dir: Path, files: dict[str, str | Path]) -> None:
    """Each generated folder is swapped in whole; hand-written pages are never touched."""
    for folder in GENERATED_DIRS:
        subset = {rel[len(folder) + 1:]: text for rel, text in files.items() if rel.startswith(folder + "/")}
        replace_tree(site_dir / folder, subset)
    for name in GENERATED_FILES:
        text = files[name]
        write_text(site_dir / name, text.read_text() if isinstance(text, Path) else text)


def mkdocs_build(project_root: Path, output: Path, source_date_epoch: int, site_url: str | None = None) -> None:
    """`mkdocs build --strict` into a temporary folder, then swapped in whole. `site_url` (where the
    site is published) roots the 404 page's links: GitHub Pages serves that page for a missing
    address at any depth, so its links are root-absolute, and under a project's sub-path
    (https://OWNER.github.io/REPO/) the root is /REPO/, known only from the site's address."""
    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable)) or shutil.which("mkdocs")
    if mkdocs is None:
        from ..errors import MissingExtra

        raise MissingExtra("site", "build", "mkdocs-material")
    staging = output.with_name(f".{output.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    # mkdocs.yml plus our hooks (sitegen/mkdocs_hooks.py), found wherever this package is installed:
    # MkDocs only takes hooks as file paths, so a small config inherits the project's and adds them.
    config = output.with_name(f".{output.name}.mkdocs.yml")
    config.write_text(json.dumps({"INHERIT": str((project_root / "mkdocs.yml").resolve()),
                                  "docs_dir": str((project_root / "site").resolve()),
                                  "hooks": [str(Path(__file__).resolve().with_name("mkdocs_hooks.py"))],
                                  **({"site_url": site_url} if site_url else {})}))
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch))
    # Not --quiet: with it, mkdocs does not count warnings and --strict lets a broken link pass.
    proc = subprocess.run([mkdocs, "build", "--strict", "-f", str(config), "-d", str(staging)],
                          cwd=project_root, env=env, capture_output=True, text=True)
    config.unlink(missing_ok=True)
    logged = [line.strip() for line in (proc.stderr + "\n" + proc.stdout).splitlines() if line.strip()]
    warnings = [line for line in logged if line.startswith(("WARNING", "ERROR"))]
    if proc.returncode != 0 or warnings:
        shutil.rmtree(staging, ignore_errors=True)
        first = warnings[0] if warnings else (logged[-1] if logged else f"exit code {proc.returncode}")
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        raise UserError(f"mkdocs build failed: {' '.join(first.split())}{more}")
    backup = output.with_name(f".{output.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    if output.exists():
        os.replace(output, backup)
    os.replace(staging, output)
    shutil.rmtree(backup, ignore_errors=True)
