"""`aoai-changelog build`: regenerate changelog/ (diffs, feature index, index) from specs/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..answers.migration_files import migration_files
from ..checker.rules import rules_markdown
from ..diff.engine import remembering_pairs
from ..errors import UserError
from ..formatters import json_format, markdown
from ..formatters.jsonout import canonical_json
from ..index.featureindex import build_index, dump_index
from ..index.indexstore import PreparedCache, element_names
from ..index.timelines import revision_files, revision_ids, revision_labels, revision_timelines
from ..progress import progress
from ..store.atomic import replace_tree, tree_differences
from ..store.catalog import TWIN, Catalog, catalog_twin
from ..store.project import Project
from ..store.snapshots import load_surface, release_shared_rows
from ..store.versionids import is_dated
from ..store.warm import warm_surfaces
from ..surface import Surface
from ..surface.memo import forget_memo
from .compare import describe, diff_surfaces
from .parallel import beside


@dataclass
class Pair:
    line: str        # "timeline" (every consecutive version) or "ga" (the GA line)
    old: str
    new: str

    @property
    def name(self) -> str:
        return f"{self.old}..{self.new}"

    def __str__(self) -> str:  # what the progress counter shows
        return self.name


def pairs(catalog: Catalog) -> list[Pair]:
    ids = catalog.ids()
    out = [Pair("timeline", a, b) for a, b in zip(ids, ids[1:])]
    ga = catalog.ga_line()
    out += [Pair("ga", a, b) for a, b in zip(ga, ga[1:]) if (a, b) not in {(p.old, p.new) for p in out}]
    return out


def render_changelog(project: Project, catalog: Catalog, keep: dict | None = None) -> dict[str, str]:
    """Every file of changelog/, as {relative path: text}; nothing is written to changelog/ here.
    `keep` receives the name table of the feature index (key "cache", a temporary file in
    build/cache: install_changelog installs it, the caller discards it if it never gets there).
    Without `keep`, nothing is written but surface caches.

    Every surface is made first (into the cache, on both cores). Then a forked child makes every
    file that compares versions (the diffs, migration guides and release notes, from the versions'
    surfaces loaded once, their equal rows shared) while this process makes the feature index, one
    surface at a time, and writes it; the index's names go to the child, which then makes their
    table. Neither process ever holds every surface and the index at once."""
    names = _Names()

    def compare_and_tabulate() -> tuple[dict[str, str], PreparedCache | None]:
        files = version_files(project, catalog)
        received = names.receive() if keep is not None else None
        return files, PreparedCache(None, str(project.cache), received, names.owner) if received else None

    try:
        warm_surfaces(project, catalog)
        # The child and the index take the groups walked here from the memo (surface/memo.py).
        with beside(compare_and_tabulate) as compared:
            index = build_index(_index_timelines(project, catalog), revision_labels(catalog))
            forget_memo()  # every surface is in the cache now
            sent = element_names(index) if keep is not None else None
            if sent is not None:
                names.send(sent)
            files = {"features.json": dump_index(index)}
            del index  # freed before waiting for the child: when it is still at work, the wait hides the time
            made, table = compared()
            files.update(made)
            if keep is not None and sent is not None:
                # install_changelog puts it in place (or discards it).
                keep["cache"] = table or PreparedCache(None, str(project.cache), sent)
    finally:
        names.close()
        forget_memo()
    release_shared_rows()  # made here (no fork, or the child failed): every row is still in the pool
    return files


class _Names:
    """The index's names (element_names), from this process to the child forked before the index
    was made: a temporary file (gone when closed) and a pipe that says when they are in it. Made
    before the fork, so both have them; without a fork, this process reads what it wrote."""

    def __init__(self) -> None:
        import tempfile

        self.owner = os.getpid()
        self.file: IO[bytes] | None = None
        self.ready = self.written = -1
        try:
            self.file = tempfile.TemporaryFile()
            self.ready, self.written = os.pipe()
        except OSError:  # (no room for a temporary file): the names stay here, and so does their table
            self.close()

    def send(self, names: tuple) -> None:
        import pickle

        if self.written < 0 or self.file is None:
            return
        try:
            pickle.dump(names, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.file.flush()
            sent = b"1"
        except OSError:  # (a full disk): the child makes no table; this process does, after
            sent = b"0"
        # Two readers at most, one byte each: the child, and this process if the child failed
        # (beside then does its work here), whether or not the child read first.
        os.write(self.written, sent * 2)

    def receive(self) -> tuple | None:
        """The names once sent; None if there are none (not sent, or the sender failed or was killed)."""
        import pickle

        self._close_writing()  # this side sends nothing: the pipe ends once the sender's end is closed
        if self.ready < 0 or self.file is None or os.read(self.ready, 1) != b"1":
            return None
        self.file.seek(0)
        return pickle.load(self.file)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        if self.ready >= 0:
            os.close(self.ready)
            self.ready = -1
        self._close_writing()

    def _close_writing(self) -> None:
        if self.written >= 0:  # (once: a closed number may be another file's by now)
            os.close(self.written)
            self.written = -1


def version_files(project: Project, catalog: Catalog) -> dict[str, str]:
    """versions.json, every pair's diff, index.json, README.md, the migration guides, the
    revisions' release notes and feeds, rules.md and catalog.json."""
    with remembering_pairs():  # the diffs below meet one pair of groups again and again
        return _version_files(project, catalog)


def _version_files(project: Project, catalog: Catalog) -> dict[str, str]:
    timeline = catalog.ids()
    surfaces = {v: load_surface(project, catalog, v) for v in progress(timeline, "load")}
    files: dict[str, str] = {}
    versions = []
    for v in timeline:
        entry = catalog.get(v).to_json()
        entry["counts"] = surfaces[v].counts()
        entry["operations"] = [e.key for e in surfaces[v].operations()]
        versions.append(entry)
    files["versions.json"] = canonical_json({"versions": versions})
    diffs = [pair_files(catalog, surfaces, pair, files) for pair in progress(pairs(catalog), "diff")]
    files["index.json"] = canonical_json({"versions": timeline, "ga_line": catalog.ga_line(), "diffs": diffs})
    files["README.md"] = _readme(versions, diffs)
    files.update(migration_files(catalog, surfaces))
    del surfaces
    release_shared_rows()
    files.update(revision_files(catalog, revision_timelines(project, catalog)))
    files["rules.md"] = rules_markdown()
    files[TWIN] = catalog_twin(project.catalog_file)
    return files


def pair_files(catalog: Catalog, surfaces: dict[str, Surface], pair: Pair, files: dict[str, str]) -> dict:
    """The diff of one pair, into `files` as JSON and Markdown; returns its entry in index.json."""
    # Members of added/removed subtrees are listed once, in features.json (see nesting.py): here
    # they need not even be made, only counted.
    result = diff_surfaces(surfaces[pair.old], surfaces[pair.new], describe(catalog, pair.old),
                           describe(catalog, pair.new), list_members=False)
    files[f"diffs/{pair.name}.json"] = json_format.render(result, nested_by_reference=True)
    files[f"diffs/{pair.name}.md"] = markdown.render(result, nested_by_reference=True)
    lines = [pair.line]
    if pair.line == "timeline" and pair.old in catalog.ga_line() and pair.new in catalog.ga_line():
        lines.append("ga")
    return {"from": pair.old, "to": pair.new, "lines": lines, "summary": result.summary(),
            "json": f"diffs/{pair.name}.json", "markdown": f"diffs/{pair.name}.md"}


def _index_timelines(project: Project, catalog: Catalog) -> dict[str, Iterator[tuple[str, Surface]]]:
    """The feature index's timelines (every version, then each version's revisions), each member
    loaded when the index reaches it and dropped after."""
    def members(ids: list[str], label: str) -> Iterator[tuple[str, Surface]]:
        for spec in progress(ids, label):
            yield spec, load_surface(project, catalog, spec, shared=False)

    timelines = {"versions": members(catalog.ids(), "index")}
    for version, revisions in revision_ids(catalog).items():
        timelines[version] = members(revisions, f"index {version}")
    return timelines


def _readme(versions: list[dict], diffs: list[dict]) -> str:
    out = [
        "# Azure OpenAI API changelog (generated)",
        "",
        "Generated by `aoai-changelog build` from the facts-only snapshots in `specs/`. Do not edit by hand.",
        "",
        "## Versions",
        "",
        "| version | channel | release date | status | operations | elements |",
        "|---|---|---|---|---:|---:|",
    ]
    for v in versions:
        out.append(f"| {v['id']} | {v['channel']} | {v['release_date'] or '—'} | {v['status']} | "
                   f"{v['counts']['operation']} | {sum(v['counts'].values())} |")
    for line, title in (("timeline", "Every consecutive version"), ("ga", "The GA line")):
        out += ["", f"## {title}", "", "| from | to | changes | added | removed | changed | breaking | diff |",
                "|---|---|---:|---:|---:|---:|---:|---|"]
        for d in diffs:
            if line in d["lines"]:
                s = d["summary"]
                out.append(f"| {d['from']} | {d['to']} | {s['total']} | {s['added']} | {s['removed']} | "
                           f"{s['changed']} | {s['breaking']} | [Markdown]({d['markdown']}) · [JSON]({d['json']}) |")
    out += ["", "## Dated revisions", "",
            "v1 and v1-preview change in place; dated versions were amended after release. Their dated history, "
            "newest first: [v1](revisions/v1/README.md), [v1-preview](revisions/v1-preview/README.md); amendments of "
            "dated versions: " + ", ".join(f"[{v['id']}](revisions/{v['id']}/README.md)" for v in versions
                                           if is_dated(v['id']) and len(v.get('revisions') or []) > 1) + "."]
    out += ["", "`features.json` is the feature index: every element key with the versions where it is present "
            "and its attribute changes (see the project README for the key grammar)."]
    return "\n".join(out) + "\n"


def build_changelog(project: Project, catalog: Catalog, check: bool = False) -> list[str]:
    """Regenerate changelog/. With check=True, write nothing and return the files that are stale."""
    if check:
        return tree_differences(project.changelog, render_changelog(project, catalog))
    kept: dict = {}
    try:
        files = render_changelog(project, catalog, kept)
        install_changelog(project, files, kept)
    finally:
        discard_cache(kept)
    return sorted(files)


def install_changelog(project: Project, files: dict[str, str], kept: dict) -> None:
    """Swap the rendered changelog/ in (build and sync), with the name table of its feature index."""
    if not project.changelog.parent.exists():
        raise UserError(f"{project.root}: project folder missing")
    replace_tree(project.changelog, files)
    # Queries find bare names in a table of the index, made from the data in hand (render_changelog).
    kept["cache"].install(str(project.changelog / "features.json"))


def discard_cache(kept: dict) -> None:
    """Remove the name table render_changelog made ahead, if install_changelog did not install it."""
    if kept.get("cache") is not None:
        kept["cache"].discard()


def site_epoch(catalog: Catalog) -> int:
    """The site's timestamp (sitemap dates): the newest upstream revision's date, at 00:00 UTC.
    From the data, never the clock or the builder's time zone: same input, same bytes."""
    import calendar
    import time

    newest = max(r["date"] for v in catalog.versions for r in v.revisions)
    return calendar.timegm(time.strptime(newest, "%Y-%m-%d"))


def build_site(project: Project, catalog: Catalog, site_url: str) -> dict[str, str | Path]:
    """Write the site's generated pages into site/ (from changelog/) and run `mkdocs build` into
    build/site/. Returns the generated pages."""
    from ..sitegen.render import generate_pages, mkdocs_build, write_pages

    files = generate_pages(project.root, project.changelog, site_url)
    write_pages(project.root / "site", files)
    mkdocs_build(project.root, project.root / "build" / "site", site_epoch(catalog), site_url)
    return files
