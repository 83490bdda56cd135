"""Diff two specs named by the user: version ids (from specs/) or paths to OpenAPI/Swagger files.

A comparison is two stages, two calls: diff/ finds the facts (what differs), checker/ adds the
verdicts (rule, level, breaking) and the order. diff_surfaces() does both for two surfaces; compare()
also resolves the user's names and says where each side comes from."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable

from ..checker import judge
from ..diff import diff_facts
from ..diff.changes import DiffResult
from ..store.catalog import Catalog
from ..store.project import Project
from ..store.resolving import ResolvedSpec, is_file_spec, resolve_spec
from ..store.snapshots import load_surface
from ..surface import Surface


def diff_surfaces(old: Surface, new: Surface, source: dict | None = None, target: dict | None = None,
                  list_members: bool = True) -> DiffResult:
    """Every change from `old` to `new` with its verdict, sorted. `source`/`target` describe the sides;
    `list_members=False` counts the members of added and removed subtrees on their root instead of
    listing them (DiffResult.left_out; see diff_facts)."""
    counted: dict[tuple[str, str], int] | None = None if list_members else {}
    changes = judge(diff_facts(old, new, counted))
    result = DiffResult(source or {"id": old.version}, target or {"id": new.version}, changes)
    result.left_out = dict(sorted((counted or {}).items()))
    return result


def describe(catalog: Catalog | None, spec: str | ResolvedSpec) -> dict:
    """What a diff says about each side: the version with its provenance, or the file."""
    return resolve_spec(None, catalog, spec).describe()


def compare(project: Project | None, catalog: Catalog | None, old: str, new: str,
            list_members: bool = True) -> DiffResult:
    """Diff two specs. Two files need no project or catalog (None): a user's own specs are
    compared anywhere, installed or not."""
    return compare_surfaces(project, catalog, old, new, list_members)[0]


def compare_surfaces(project: Project | None, catalog: Catalog | None, old: str, new: str,
                     list_members: bool = True) -> tuple[DiffResult, tuple[Surface, Surface]]:
    """compare(), with the two surfaces it loaded (each side is read once, and warns once)."""
    # Each name is looked up once; the surface, the description and the source lines share it.
    # (The old side is loaded before the new one is looked up: its errors come first, as always.)
    from .parallel import beside, can_fork

    sides = [resolve_spec(project, catalog, old)]
    if is_file_spec(catalog, new) and can_fork():
        # A file is read, normalised and walked (no cache): on the other core, while this process
        # loads the old side. (Looking a file up never fails: errors still come in their order.)
        sides.append(resolve_spec(project, catalog, new))
        with beside(_held_back(project, catalog, sides[1])) as loaded:
            before = load_surface(project, catalog, sides[0])
            after, warnings = loaded()
        sys.stderr.write(warnings)
    else:
        before = load_surface(project, catalog, sides[0])
        sides.append(resolve_spec(project, catalog, new))
        after = load_surface(project, catalog, sides[1])
    result = diff_surfaces(before, after, sides[0].describe(), sides[1].describe(), list_members)
    from ..load.source_lines import LazySourceMap

    for label, side, surface in (("from", sides[0], before), ("to", sides[1], after)):
        if side.file is not None:
            result.lines[label] = LazySourceMap(side.spec, surface)
    return result, (before, after)


def _held_back(project: Project | None, catalog: Catalog | None,
               side: ResolvedSpec) -> Callable[[], tuple[Surface, str]]:
    """A loader of `side` whose warnings are held back, to be written after the old side's."""
    parent = os.getpid()

    def load() -> tuple[Surface, str]:
        held = io.StringIO()
        try:
            with contextlib.redirect_stderr(held):
                return load_surface(project, catalog, side), held.getvalue()
        except BaseException:
            if os.getpid() == parent:  # run here (the child failed): its warnings, then its error
                sys.stderr.write(held.getvalue())
            raise

    return load


def needs_catalog(*specs: str) -> bool:
    """Does any of `specs` name a version rather than a file?"""
    return not all(is_file_spec(None, spec) for spec in specs)
