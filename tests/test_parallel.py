"""pipeline/parallel.py: work on the other core gives what the work gives, whatever the child does."""

from __future__ import annotations

import os
import shutil

import pytest

from aoai_changelog.pipeline import parallel
from aoai_changelog.pipeline.parallel import beside

needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="no fork, or one core")


@pytest.fixture(autouse=True)
def _fork_here(monkeypatch):
    """beside()'s mechanics are the subject, whatever ran before in this worker: a browser test
    leaves its web server's thread behind, and can_fork() would then (rightly) refuse. Its
    refusals have their own tests below."""
    if hasattr(os, "fork"):
        monkeypatch.setattr(parallel, "can_fork", lambda: True)


def _gone(pid: int) -> bool:
    """The process has exited and been reaped (a zombie still has its /proc entry)."""
    return not os.path.exists(f"/proc/{pid}")


@needs_fork
def test_the_child_s_result_comes_back_and_the_child_is_reaped():
    parent = os.getpid()
    with beside(lambda: {"made in": os.getpid(), "big": "x" * 1_000_000}) as result:
        got = result()
    assert got["made in"] != parent and len(got["big"]) == 1_000_000  # more than a pipe holds
    assert _gone(got["made in"])


@needs_fork
def test_a_failing_child_costs_only_time(tmp_path):
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            (tmp_path / "child").write_text(str(os.getpid()))
            raise RuntimeError("the child fails")
        return "made here"

    with beside(work) as result:
        assert result() == "made here"
    assert _gone(int((tmp_path / "child").read_text()))


@needs_fork
def test_an_error_before_the_result_stops_the_child(tmp_path):
    """The caller fails while the child still works (or waits on a full pipe): nothing is left."""
    def work() -> str:
        (tmp_path / "child").write_text(str(os.getpid()))
        return "y" * 1_000_000

    import time

    with pytest.raises(KeyError):
        with beside(work):
            deadline = time.monotonic() + 60
            while not (tmp_path / "child").exists() or not (tmp_path / "child").read_text():
                assert time.monotonic() < deadline, "the child never started"
                time.sleep(0.01)
            raise KeyError("the caller fails first")
    assert _gone(int((tmp_path / "child").read_text()))


def test_without_a_fork_the_work_runs_here(monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    parent = os.getpid()
    with beside(lambda: os.getpid()) as result:
        assert result() == parent


def test_threads_or_one_core_mean_no_fork(monkeypatch):
    import threading

    monkeypatch.undo()  # the real can_fork
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not parallel.can_fork()


@needs_fork
def test_a_forked_helper_does_not_keep_the_build_lock(tmp_path):
    """The build forks helpers while it holds build/build.lock; a helper still running after its
    parent stopped (interrupted, killed) must not make the next build say another one is running."""
    from aoai_changelog.store.buildlock import build_lock

    go_on, tell = os.pipe()
    started, says = os.pipe()
    with build_lock(tmp_path):
        pid = os.fork()
        if pid == 0:
            os.write(says, b"x")
            os.read(go_on, 1)  # a helper still at work
            os._exit(0)
        os.read(started, 1)
    try:
        with build_lock(tmp_path):  # the lock is free while the helper still runs
            pass
    finally:
        os.write(tell, b"x")
        os.waitpid(pid, 0)


def test_work_units_cover_every_snapshot_once_keeping_what_shares_operations_together(project, catalog):
    from aoai_changelog.store.warm import build_ids, work_units

    ids = build_ids(catalog)
    units = work_units(project, catalog, ids)
    assert sorted(spec for unit in units for spec in unit) == sorted(ids)
    where = {spec: i for i, unit in enumerate(units) for spec in unit}
    for version in catalog.ids():
        same = {where[spec] for spec in ids if spec.partition("@")[0] == version}
        if version[0].isdigit():
            assert len(same) == 1, version  # a dated version and its revisions: one unit
    dates = {spec.partition("@")[2] for spec in ids if spec.startswith("v1") and "@" in spec}
    for date in dates:  # v1@D and v1-preview@D: one unit
        assert len({where[spec] for spec in ids if spec.startswith("v1") and spec.endswith("@" + date)}) == 1
    assert where["v1"] == where["v1-preview"] == where[f"v1@{max(dates)}"]  # heads with the newest revisions
    assert len(units) > 10


@needs_fork
def test_warming_makes_every_surface_of_a_build_once(tmp_path):
    from aoai_changelog.store.catalog import load_catalog
    from aoai_changelog.store.project import find_project
    from aoai_changelog.store.snapshots import snapshot_path
    from aoai_changelog.store.warm import build_ids, warm_surfaces
    from conftest import small_project

    root = small_project(tmp_path / "p")
    project = find_project(str(root))
    catalog = load_catalog(project.catalog_file, project.schema_dir)
    cache = project.cache / "surfaces"
    shutil.rmtree(cache, ignore_errors=True)
    warm_surfaces(project, catalog)
    made = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(made) == len({snapshot_path(project, catalog, spec) for spec in build_ids(catalog)}) > 3
    assert not [name for name in made if not name.endswith(".pickle")]  # nothing half-written left
    warm_surfaces(project, catalog)  # all current: nothing is made again
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == made


def test_a_build_s_pause_of_the_collector_ends_with_the_block_even_on_error():
    import gc

    from aoai_changelog.pipeline.collector import without_collections

    assert gc.isenabled()
    with pytest.raises(KeyError):
        with without_collections():
            assert not gc.isenabled()
            raise KeyError("x")
    assert gc.isenabled()
    gc.disable()
    try:
        with without_collections():  # a host that paused it itself keeps it paused
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@needs_fork
@pytest.mark.parametrize("child", ["works", "fails first", "fails with the names", "no temporary file", "full disk"])
def test_the_name_table_is_made_from_the_names_the_index_hands_over(tmp_path, monkeypatch, child):
    """A build makes its feature index here and hands the index's names to the child, which makes
    their table after its own files. When the child fails (before it takes the names, or after),
    this process does its work, names included; when the names cannot be handed over (no room for
    the temporary file), this process makes their table. The table is the same either way."""
    import errno
    import tempfile

    from aoai_changelog.index.indexstore import open_store
    from aoai_changelog.pipeline import changelog
    from aoai_changelog.store.catalog import load_catalog
    from aoai_changelog.store.project import find_project
    from conftest import small_project

    root = small_project(tmp_path / "project", versions=2)
    (root / "build" / "cache" / "features.sqlite").unlink(missing_ok=True)
    parent, real_files, real_table = os.getpid(), changelog.version_files, changelog.PreparedCache

    def version_files(*args):  # type: ignore[no-untyped-def]
        if child == "fails first" and os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real_files(*args)

    def table(*args):  # type: ignore[no-untyped-def]
        if child == "fails with the names" and os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real_table(*args)

    monkeypatch.setattr(changelog, "version_files", version_files)
    monkeypatch.setattr(changelog, "PreparedCache", table)

    class Full:  # a temporary file on a full disk
        def write(self, data):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            pass

        def close(self) -> None:
            pass

    def no_room():  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    if child == "no temporary file":
        monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    elif child == "full disk":
        monkeypatch.setattr(tempfile, "TemporaryFile", Full)
    project = find_project(root)
    changelog.build_changelog(project, load_catalog(project.catalog_file, project.schema_dir))
    store = open_store(str(root / "changelog" / "features.json"), str(project.cache))
    assert store.name_table is not None  # current: made, handed back and installed
    assert store.by_name("stream") and store.by_name("stream") == store.name_table.by_name("stream")
    assert not list(project.cache.glob(".features.sqlite.*"))  # nothing left behind
