"""A write that fails or is killed half-way leaves the previous files whole.

Faults are injected at each step of the two-phase writes of atomic.py (a rename or a write that
fails, a process killed with SIGKILL at an exact call), so every phase is reached on purpose and in
a fraction of a second. One real `build` is killed end to end, at the moment it writes.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aoai_changelog.errors import UserError
from aoai_changelog.store import atomic
from conftest import copy_project, small_project

OLD = {"README.md": "old readme\n", "diffs/a..b.json": "{\"old\": true}\n", "gone.md": "only in the old tree\n"}
NEW = {"README.md": "new readme\n", "diffs/a..b.json": "{\"new\": true}\n", "diffs/b..c.json": "{}\n"}

# Runs atomic.replace_tree / atomic.write_files in a child that SIGKILLs itself at the Nth call of a
# function: a kill at an exact point, with no chance for cleanup code to run.
_KILL_AT = """
import json, os, shutil, signal, sys
from pathlib import Path
from aoai_changelog.store import atomic

what, point, nth, target, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])
module, name = {"rename": (os, "replace"), "write": (Path, "write_bytes"), "open": (os, "fdopen"),
                "rmtree": (shutil, "rmtree")}[point]
real, calls = getattr(module, name), []

def killer(*args, **kwargs):
    calls.append(1)
    if len(calls) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)

setattr(module, name, killer)
if what == "tree":
    atomic.replace_tree(Path(target), files)
else:
    atomic.write_files({Path(target) / rel: text for rel, text in files.items()})
"""


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}


def _make(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    return folder


def _killed(what: str, point: str, nth: int, target: Path, files: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-c", _KILL_AT, what, point, str(nth), str(target), json.dumps(files)],
                            capture_output=True, text=True, cwd=target.parent)
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr[-1500:])


def _fail_at(monkeypatch, module, name: str, nth: int) -> None:
    """Make module.name raise OSError(EIO) at its Nth call."""
    real, calls = getattr(module, name), []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == nth:
            raise OSError(5, "Input/output error (injected)")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


def _leftovers(parent: Path, keep: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name != keep)


@pytest.mark.parametrize("nth", [1, 2])
def test_a_failed_rename_leaves_the_old_tree_and_no_leftovers(tmp_path, monkeypatch, nth):
    """1st rename: old tree -> backup; 2nd: new tree -> place. Either failing restores the old tree."""
    target = _make(tmp_path / "changelog", OLD)
    _fail_at(monkeypatch, os, "replace", nth)
    with pytest.raises(UserError, match=r"cannot write .*changelog: Input/output error \(injected\)"):
        atomic.replace_tree(target, NEW)
    monkeypatch.undo()
    assert _tree(target) == OLD
    assert _leftovers(tmp_path, "changelog") == []
    assert atomic.replace_tree(target, NEW) is True and _tree(target) == NEW


def test_a_failed_write_while_staging_leaves_the_old_tree(tmp_path, monkeypatch):
    target = _make(tmp_path / "changelog", OLD)
    _fail_at(monkeypatch, Path, "write_bytes", 2)
    with pytest.raises(UserError, match="cannot write"):
        atomic.replace_tree(target, NEW)
    monkeypatch.undo()
    assert _tree(target) == OLD and _leftovers(tmp_path, "changelog") == []


@pytest.mark.parametrize("point, nth, expected", [
    ("write", 2, OLD),    # killed while the new tree is being written beside the old one
    ("rename", 1, OLD),   # killed just before the old tree moves aside
    ("rename", 2, OLD),   # killed between the two renames: only the backup exists, readers restore it
    ("rmtree", 1, NEW),   # killed after the swap, before the backup is deleted: the new tree is whole
])
def test_a_kill_at_each_step_of_the_swap_leaves_one_whole_tree(tmp_path, point, nth, expected):
    target = _make(tmp_path / "changelog", OLD)
    _killed("tree", point, nth, target, NEW)
    if (point, nth) == ("rename", 2):
        assert not target.exists() and (tmp_path / ".changelog.old").is_dir()  # the phase was reached
    # Every reader first puts a backup left by a kill back in place (`build --check` does this).
    assert atomic.tree_differences(target, expected) == []
    assert _tree(target) == expected
    assert all(name.endswith((".tmp", ".old")) for name in _leftovers(tmp_path, "changelog"))
    # The next run completes, and a backup left by the kill does not survive it.
    atomic.replace_tree(target, {**NEW, "README.md": "newer\n"})
    assert _tree(target) == {**NEW, "README.md": "newer\n"}
    assert not (tmp_path / ".changelog.old").exists()


def test_write_files_failing_half_way_writes_none_of_them(tmp_path, monkeypatch):
    """The importer's writes: every new file goes to a temporary file before any is renamed."""
    folder = _make(tmp_path / "specs", OLD)
    _fail_at(monkeypatch, os, "fdopen", 2)
    with pytest.raises(UserError, match="cannot write .*Input/output error"):
        atomic.write_files({folder / rel: text for rel, text in NEW.items()})
    monkeypatch.undo()
    assert _tree(folder) == OLD
    assert not [p for p in folder.rglob("*.tmp")]


def test_write_files_killed_while_writing_leaves_every_old_file(tmp_path):
    folder = _make(tmp_path / "specs", OLD)
    _killed("files", "open", 3, folder, NEW)
    assert {rel: text for rel, text in _tree(folder).items() if not rel.split("/")[-1].startswith(".")} == OLD


@pytest.mark.parametrize("point", ["convert", "write"])
def test_an_import_killed_half_way_leaves_specs_whole(upstream, tmp_path, point):
    """The real command, killed while it converts the 2nd snapshot, or while it writes it."""
    root = tmp_path / "project"
    copy_project(root)
    for name in ("2024-04-01-preview.json", "revisions"):  # so that the import has something to write
        path = root / "specs" / name
        targets = [path] if path.is_file() else sorted(path.glob("2024-04-01-preview@*.json"))
        for target in targets:
            target.write_text("{}\n")
    before = {p: p.read_bytes() for p in (root / "specs").rglob("*") if p.is_file()}
    patch = ("from aoai_changelog.upstream import importer; "
             "real = importer.build_snapshot; hook = (importer, 'build_snapshot')"
             if point == "convert" else "real = os.fdopen; hook = (os, 'fdopen')")
    code = ("import os, signal, sys\n" + patch + "\ncalls = []\n"
            "def killer(*a, **k):\n    calls.append(1)\n"
            "    if len(calls) == 2:\n        os.kill(os.getpid(), signal.SIGKILL)\n    return real(*a, **k)\n"
            "setattr(*hook, killer)\nfrom aoai_changelog.cli import main\nsys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", code, "--root", str(root), "import", "--from", str(upstream),
                             "--version", "2024-04-01-preview"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == -signal.SIGKILL, result.stderr[-1500:]
    if point == "write":
        assert list((root / "specs").rglob(".*.tmp")), "the kill did not land while the snapshots were written"
    after = {p: p.read_bytes() for p in (root / "specs").rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert after == before


def test_a_real_build_killed_while_it_writes_leaves_the_previous_changelog_whole(tmp_path):
    """End to end: the real `aoai-changelog build --no-site` (of the first three versions), SIGKILLed
    half-way through writing its new tree beside the old one, at its 5th file (a sleep-then-kill lands
    wherever the machine's load puts it; this lands in the same phase every time)."""
    root = small_project(tmp_path / "project")
    for path in (root / "changelog").rglob("*.md"):
        path.write_text(path.read_text() + "\nprevious\n")  # the new tree differs: every file is rewritten
    before = _tree(root / "changelog")
    code = ("import os, signal, sys\nfrom pathlib import Path\nreal, calls = Path.write_bytes, []\n"
            "def killer(*a, **k):\n    calls.append(1)\n"
            "    if len(calls) == 5:\n        os.kill(os.getpid(), signal.SIGKILL)\n    return real(*a, **k)\n"
            "Path.write_bytes = killer\nfrom aoai_changelog.cli import main\nsys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", code, "--root", str(root), "build", "--no-site"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == -signal.SIGKILL, f"the build ended before the kill: {result.stderr[-1500:]}"
    staging = list(root.glob(".changelog.*.tmp"))
    assert staging and any(p.is_file() for p in staging[0].rglob("*")), \
        "the kill did not land while the new tree was written"
    assert _tree(root / "changelog") == before
    assert all(p.name.endswith(".tmp") for p in root.iterdir() if p.name.startswith("."))
