"""Shared fixtures. Tests that read the real upstream files skip, with the reason, where they are absent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = ROOT.parent / "shared" / "upstream"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def upstream() -> Path:
    if not (UPSTREAM / "MANIFEST.yaml").is_file():
        pytest.skip(f"real upstream files absent: {UPSTREAM} (../shared/upstream next to the checkout)")
    return UPSTREAM


@pytest.fixture(scope="session")
def project():
    from aoai_changelog.project import Project

    return Project(ROOT)


@pytest.fixture(scope="session")
def catalog(project):
    from aoai_changelog.catalog import load_catalog

    return load_catalog(project.catalog_file, project.schema_dir)


_SURFACES: dict = {}


@pytest.fixture(scope="session")
def surface(project, catalog):
    """surface('2024-09-01-preview') -> Surface, computed once per session from the committed specs/."""
    from aoai_changelog.snapshots import load_surface

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


def make_project(tmp_path: Path) -> Path:
    """A throw-away project folder with the committed catalog and schemas (specs/ starts empty)."""
    (tmp_path / "specs").mkdir()
    shutil.copy(ROOT / "specs" / "catalog.yaml", tmp_path / "specs" / "catalog.yaml")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


def load_json(path: Path):
    return json.loads(Path(path).read_text())
