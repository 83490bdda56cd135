"""Shared fixtures. Tests that read the real upstream files skip, with the reason, where they are absent."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = ROOT.parent / "shared" / "upstream"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the package's bytecode once, as an installed package has it: this machine sets
    PYTHONDONTWRITEBYTECODE, so each of the suite's hundreds of `aoai-changelog` processes would
    otherwise compile every module it imports again (__pycache__/ is git-ignored)."""
    if hasattr(session.config, "workerinput"):
        return  # the controller does it, once, before the workers start their tests
    import compileall

    compileall.compile_dir(ROOT / "scripts" / "aoai_changelog", quiet=1)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Run on every core when pytest-xdist is installed (the `test` extra has it) and `-n` was not
    given: most tests wait on a subprocess. `-n 0` runs in one process."""
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    if config.option.numprocesses is None and not config.getoption("usepdb", False):
        config.option.numprocesses = "auto"
    if config.option.numprocesses and config.option.dist == "no":
        config.option.dist = "loadscope"  # a module's tests share one worker (and its module fixtures)


@pytest.fixture(scope="session")
def upstream() -> Path:
    if not (UPSTREAM / "MANIFEST.yaml").is_file():
        pytest.skip(f"real upstream files absent: {UPSTREAM} (../shared/upstream next to the checkout)")
    return UPSTREAM


@pytest.fixture(scope="session")
def project():
    from aoai_changelog.store.project import Project

    return Project(ROOT)


@pytest.fixture(scope="session")
def catalog(project):
    from aoai_changelog.store.catalog import load_catalog

    return load_catalog(project.catalog_file, project.schema_dir)


_SURFACES: dict = {}


@pytest.fixture(scope="session")
def surface(project, catalog):
    """surface('2024-09-01-preview') -> Surface, computed once per session from the committed specs/."""
    from aoai_changelog.store.snapshots import load_surface

    def get(version: str):
        if version not in _SURFACES:
            _SURFACES[version] = load_surface(project, catalog, version)
        return _SURFACES[version]

    return get


def run_cli(*args: str, cwd: Path = ROOT, check_rc: int | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    result = subprocess.run([sys.executable, "-m", "aoai_changelog", *args], cwd=cwd, capture_output=True, text=True)
    if check_rc is not None:
        assert result.returncode == check_rc, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    return result


def run_main(*args: str, cwd: Path = ROOT, check_rc: int | None = None) -> subprocess.CompletedProcess:
    """What run_cli answers, from `main()` in this process: no interpreter start and import (0.1 s a
    run). For the many variations of one behaviour; each behaviour keeps at least one real run_cli,
    which also checks what only a process shows (the exit status, a traceback on stderr)."""
    import contextlib
    import io

    from aoai_changelog.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    result = subprocess.CompletedProcess(["aoai-changelog", *args], code, out.getvalue(), err.getvalue())
    if check_rc is not None:
        assert result.returncode == check_rc, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    return result


def make_project(tmp_path: Path) -> Path:
    """A throw-away project folder with the committed catalog and schemas (specs/ starts empty)."""
    (tmp_path / "specs").mkdir()
    shutil.copy(ROOT / "specs" / "catalog.yaml", tmp_path / "specs" / "catalog.yaml")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


def load_json(path: Path):
    return json.loads(Path(path).read_text())


def copy_project(dest: Path, changelog: bool = False, surface_cache: bool = True) -> Path:
    """A copy of the checkout's inputs in `dest` (specs/, schema/, README.md, mkdocs.yml, the site's
    hand-written pages), for commands that write: tests never write into the checkout.

    Snapshots keep their mtimes and the checkout's surface cache comes along, so the copy starts with
    a warm cache (build/cache/surfaces is keyed by snapshot size, mtime and the surface code)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "specs", dest / "specs")
    shutil.copytree(ROOT / "schema", dest / "schema")
    for name in ("README.md", "mkdocs.yml"):
        shutil.copy2(ROOT / name, dest / name)
    if (ROOT / "site").is_dir():
        from aoai_changelog.sitegen.render import GENERATED_DIRS, GENERATED_FILES

        generated = set(GENERATED_DIRS) | set(GENERATED_FILES)
        shutil.copytree(ROOT / "site", dest / "site",
                        ignore=lambda folder, names: generated & set(names) if Path(folder) == ROOT / "site" else set())
    if changelog:
        shutil.copytree(ROOT / "changelog", dest / "changelog")
    surfaces = ROOT / "build" / "cache" / "surfaces"
    if surface_cache and surfaces.is_dir():
        shutil.copytree(surfaces, dest / "build" / "cache" / "surfaces",
                        ignore=shutil.ignore_patterns("*.tmp"), dirs_exist_ok=True)
    return dest


def small_project(dest: Path, versions: int = 3) -> Path:
    """copy_project() with only the first `versions` versions in its catalog (real snapshots, real
    revisions), built once: a real `build` of it takes a second instead of a full one's ten."""
    import yaml

    root = copy_project(dest)
    catalog = root / "specs" / "catalog.yaml"
    data = yaml.safe_load(catalog.read_text())
    data["versions"] = data["versions"][:versions]
    catalog.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    run_cli("--root", str(root), "build", "--no-site", cwd=root, check_rc=0)
    return root


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A copy of the project after one real `aoai-changelog build` (changelog/ and the site).

    The only full build of a test run: the changelog staleness check and the site tests share it.
    With xdist, the first worker that needs it builds it into the run's shared temp folder (under a
    lock) and the others use that one."""
    import fcntl

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # one folder per worker, under one per run
    root = shared / "built" / "project"
    with open(shared / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "built" / "done").exists():
            shutil.rmtree(shared / "built", ignore_errors=True)
            # The copy's specs/ are the checkout's, unchanged: its surfaces are the ones the other
            # tests make in the checkout's cache, so the two share that cache rather than each
            # computing all 56 (entries are stamped and written atomically: sharing is safe). A
            # checkout whose cache cannot be written gets a copy of it instead.
            checkout_cache = ROOT / "build" / "cache" / "surfaces"
            try:
                checkout_cache.mkdir(parents=True, exist_ok=True)
                shared_cache = os.access(checkout_cache, os.W_OK)
            except OSError:
                shared_cache = False
            copy_project(root, surface_cache=not shared_cache)
            if shared_cache:
                (root / "build" / "cache").mkdir(parents=True, exist_ok=True)
                (root / "build" / "cache" / "surfaces").symlink_to(checkout_cache, target_is_directory=True)
            run_cli("--root", str(root), "build", "--site-url", "http://127.0.0.1/", cwd=root, check_rc=0)
            (shared / "built" / "done").write_text("")
    return root
