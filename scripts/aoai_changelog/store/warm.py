"""Compute the surfaces a build needs on both cores, before the build reads them.

A cold build spends most of its time making surfaces, and each snapshot's surface is independent
of the others. A forked child makes about half of them (whole version families, so that the
per-operation memo of surface/memo.py still hits within each half) while this process makes the
rest; both write the surface cache in build/cache/surfaces/, from which the build then reads them.
Anything that goes wrong in the child only costs time: the build recomputes what is missing.
"""

from __future__ import annotations

import os

from ..surface.memo import forget_memo
from .catalog import Catalog
from .project import Project
from .snapshots import load_surface, snapshot_path


def build_ids(catalog: Catalog) -> list[str]:
    """Every snapshot id a build loads: the versions, then the revisions of versions with two or more."""
    ids = list(catalog.ids())
    for version in catalog.versions:
        revisions = catalog.imported_revisions(version.id)
        if len(revisions) >= 2:
            ids += [r["id"] for r in revisions]
    return ids


def _halves(project: Project, catalog: Catalog, ids: list[str]) -> tuple[list[str], list[str]]:
    """Two lists of ids of about equal snapshot bytes to make, each version family whole."""
    families: dict[str, list[str]] = {}
    for spec in ids:
        families.setdefault(spec.split("@", 1)[0], []).append(spec)

    def weight(members: list[str]) -> int:
        files = set()
        for spec in members:
            try:
                files.add(snapshot_path(project, catalog, spec))
            except Exception:  # noqa: BLE001 - a missing snapshot is the build's error to report, not ours
                pass
        # A version and its latest revision share one snapshot file, made once (snapshots.py).
        return sum(path.stat().st_size for path in files if path.exists())

    weights = {name: weight(members) for name, members in families.items()}
    halves: tuple[list[str], list[str]] = ([], [])
    loads = [0, 0]
    for name in sorted(families, key=lambda n: -weights[n]):
        side = 0 if loads[0] <= loads[1] else 1
        halves[side].extend(families[name])
        loads[side] += weights[name]
    return halves


def warm_surfaces(project: Project, catalog: Catalog) -> None:
    """Make (or check) the cached surface of every snapshot a build needs, using two processes."""
    from ..pipeline.parallel import can_fork

    if not can_fork():
        return
    mine, theirs = _halves(project, catalog, build_ids(catalog))
    pid = os.fork()
    if pid == 0:  # the child: its half into the cache, then leave without running any cleanup
        code = 0
        try:
            for spec in theirs:
                load_surface(project, catalog, spec)
        except BaseException:  # noqa: BLE001 - the parent recomputes whatever is missing
            code = 1
        os._exit(code)
    try:
        for spec in mine:
            load_surface(project, catalog, spec, shared=False)
    finally:
        os.waitpid(pid, 0)
        forget_memo()  # the surfaces are in the cache now; the build reads them from there
