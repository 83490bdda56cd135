"""The linter and the type checker, configured in pyproject.toml, run with the tests: CI runs them.

Each is skipped (with the reason) only when it is not installed; `pip install -e '.[test]'` has both.
"""

import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT


def _run(module: str, *args: str) -> subprocess.CompletedProcess:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]' installs it)")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_passes():
    result = _run("ruff", "check", "scripts", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_mypy_passes():
    result = _run("mypy")  # files and settings: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout
