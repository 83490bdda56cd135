"""Compute the surfaces a build needs on both cores, before the build reads them.

A cold build spends most of its time making surfaces, and each snapshot's surface is independent
of the others. The snapshots are cut into units of work that the per-operation memo of
surface/memo.py favours (one process should make the snapshots that share most operations): a
dated version with its revisions, and the undated lines (v1, v1-preview: revisions of one date
share most operations across the two lines, and each revision most of the one before) cut into
an early and a late stretch. A forked child and this process take units from one queue, the
biggest first, until none is left; both write the surface cache in build/cache/surfaces/, from
which the build then reads them. Anything that goes wrong in the child only costs time: the build
recomputes what is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..progress import Counter
from .catalog import Catalog
from .project import Project
from .snapshots import load_surface, snapshot_path
from .versionids import is_dated


def build_ids(catalog: Catalog) -> list[str]:
    """Every snapshot id a build loads: the versions, then the revisions of versions with two or more."""
    ids = list(catalog.ids())
    for version in catalog.versions:
        revisions = catalog.imported_revisions(version.id)
        if len(revisions) >= 2:
            ids += [r["id"] for r in revisions]
    return ids


def work_units(project: Project, catalog: Catalog, ids: list[str]) -> list[list[str]]:
    """`ids` cut into units (see the module's docstring), the biggest (in snapshot bytes) first."""
    families: dict[str, list[str]] = {}
    undated: dict[str, list[str]] = {}  # revision date -> ids of that date, on every undated line
    heads = []
    for spec in ids:
        version, _, revision = spec.partition("@")
        if is_dated(version):
            families.setdefault(version, []).append(spec)
        elif revision:
            undated.setdefault(revision, []).append(spec)
        else:
            heads.append(spec)
    dates = sorted(undated)
    halves: tuple[list[str], list[str]] = ([], [])
    for i, date in enumerate(dates):
        halves[i >= len(dates) // 2].extend(undated[date])
    for head in heads:
        # A head's snapshot file is one of its revisions' (the canonical one): made in the unit that
        # makes that revision, it costs nothing more.
        same = _path(project, catalog, head)
        early = same is not None and any(_path(project, catalog, spec) == same for spec in halves[0])
        halves[0 if early else 1].append(head)
    units = [unit for unit in (*halves, *families.values()) if unit]
    return sorted(units, key=lambda unit: -_weight(project, catalog, unit))


def _path(project: Project, catalog: Catalog, spec: str) -> Path | None:
    try:
        return snapshot_path(project, catalog, spec)
    except Exception:  # noqa: BLE001 - a missing snapshot is the build's error to report, not ours
        return None


def _weight(project: Project, catalog: Catalog, unit: list[str]) -> int:
    # A version and its canonical revision share one snapshot file, made once (snapshots.py).
    files = {path for path in (_path(project, catalog, spec) for spec in unit) if path is not None}
    return sum(path.stat().st_size for path in files if path.exists())


def warm_surfaces(project: Project, catalog: Catalog) -> None:
    """Make (or check) the cached surface of every snapshot a build needs, using two processes."""
    from ..pipeline.parallel import can_fork, reap
    from ..surface.memo import forget_subtrees

    if not can_fork():
        return
    # Units past the first 2,048 (a hundred times what the catalog has) are left to the build to make.
    units = work_units(project, catalog, build_ids(catalog))[:2_048]
    # The queue: a pipe holding every unit's number (two bytes each: 4 KB at most, what the smallest
    # pipe buffer holds), closed for writing. Reads of two bytes from a pipe do not interleave, so
    # each unit goes to exactly one process.
    queue, writer = os.pipe()
    try:
        os.write(writer, b"".join(i.to_bytes(2, "big") for i in range(len(units))))
    finally:
        os.close(writer)

    def work(counter: Counter | None) -> None:
        while token := os.read(queue, 2):
            number = int.from_bytes(token, "big")
            for spec in units[number]:
                if counter is not None:  # units are taken in order: the number says how far both are
                    counter.step(number + 1, spec)
                load_surface(project, catalog, spec, shared=False)  # into the cache, not kept

    pid = -1
    try:
        pid = os.fork()
        if pid == 0:  # the child: units until none is left, then leave without running any cleanup
            code = 0
            try:
                work(None)  # the terminal line is the parent's
            except BaseException:  # noqa: BLE001 - the parent recomputes whatever is missing
                code = 1
            os._exit(code)
        counter = Counter("surfaces, unit", len(units))
        try:
            work(counter)
        finally:
            counter.close()
    finally:
        if pid > 0:
            reap(pid)
        os.close(queue)
        forget_subtrees()
        # The surfaces are in the cache now. The groups this process walked stay in the memo: the
        # build's loads take them from there instead of unpickling them (render_changelog forgets
        # them once the feature index is made).
