"""The project folder survives what users do to it (issue #16, part 5): a read-only changelog/, a
leftover of an interrupted swap, two builds at once, a full disk, a bad MANIFEST.yaml, serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_project, run_cli
from test_bad_input import assert_one_line_error

# -- the changelog/ swap: all or nothing ---------------------------------------------------------------

def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_tree_is_refused_untouched(tmp_path):
    from aoai_changelog.errors import WriteError
    from aoai_changelog.store.atomic import replace_tree

    target = tmp_path / "changelog"
    replace_tree(target, {"a.md": "old", "diffs/b.json": "{}"})
    os.chmod(target / "diffs", 0o555)
    try:
        with pytest.raises(WriteError, match="is read-only; nothing was changed"):
            replace_tree(target, {"a.md": "new", "diffs/b.json": "{}"})
        assert _tree(target) == {"a.md": b"old", "diffs/b.json": b"{}"}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["changelog"]  # no .changelog.old, no staging
    finally:
        os.chmod(target / "diffs", 0o755)


def test_a_read_only_changelog_in_a_writable_project_as_an_unprivileged_user():
    """The reported case, for real: the project is writable, changelog/diffs is not. The swap is
    refused before anything moves (before, changelog/ was replaced and .changelog.old left behind)."""
    import shutil
    import tempfile

    from test_bad_input import _as_nobody

    prefix = _as_nobody()
    tmp_path = Path(tempfile.mkdtemp(prefix="aoai-readonly-"))  # in /tmp: reachable by the unprivileged user
    try:
        target = tmp_path / "changelog"
        (target / "diffs").mkdir(parents=True)
        (target / "a.md").write_text("old")
        (target / "diffs" / "b.json").write_text("{}")
        for folder in (tmp_path, target):
            os.chmod(folder, 0o777)
        os.chmod(target / "diffs", 0o555)
        script = ("import sys; from aoai_changelog.store.atomic import replace_tree\n"
                  "try:\n    replace_tree(sys.argv[1], {'a.md': 'new', 'diffs/b.json': '{}'})\n"
                  "except Exception as exc:\n    print(type(exc).__name__, exc)")
        result = subprocess.run([*prefix, sys.executable, "-c", script, str(target)], capture_output=True, text=True,
                                cwd="/")
        assert "WriteError" in result.stdout and "is read-only; nothing was changed" in result.stdout, result
        assert _tree(target) == {"a.md": b"old", "diffs/b.json": b"{}"}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["changelog"]
    finally:
        os.chmod(tmp_path / "changelog" / "diffs", 0o755)
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_read_only_check_sees_every_folder(tmp_path, monkeypatch):
    """The same refusal, as root: os.access is what decides (root passes it, so it is simulated)."""
    from aoai_changelog.errors import WriteError
    from aoai_changelog.store import atomic

    target = tmp_path / "changelog"
    atomic.replace_tree(target, {"a.md": "old", "diffs/b.json": "{}"})
    monkeypatch.setattr(atomic.os, "access", lambda path, mode: Path(path).name != "diffs")
    with pytest.raises(WriteError, match="diffs is read-only; nothing was changed"):
        atomic.replace_tree(target, {"a.md": "new"})
    assert _tree(target) == {"a.md": b"old", "diffs/b.json": b"{}"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["changelog"]


def test_a_leftover_backup_is_recovered_or_removed(tmp_path):
    from aoai_changelog.store.atomic import replace_tree

    target, backup = tmp_path / "changelog", tmp_path / ".changelog.old"
    # Killed between the two renames: only the backup is left. It is put back.
    backup.mkdir()
    (backup / "a.md").write_text("old")
    replace_tree(target, {"a.md": "old"})
    assert _tree(target) == {"a.md": b"old"} and not backup.exists()
    # Killed after the swap: the backup beside a whole tree is garbage. It is removed.
    backup.mkdir()
    (backup / "stale.md").write_text("x")
    replace_tree(target, {"a.md": "new"})
    assert _tree(target) == {"a.md": b"new"} and not backup.exists()


def test_a_leftover_backup_that_cannot_be_removed_is_named(tmp_path, monkeypatch):
    from aoai_changelog.errors import WriteError
    from aoai_changelog.store import atomic

    target, backup = tmp_path / "changelog", tmp_path / ".changelog.old"
    atomic.replace_tree(target, {"a.md": "old"})
    backup.mkdir()
    import shutil

    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: None)  # as if permission denied
    with pytest.raises(WriteError, match=r"\.changelog\.old: a leftover of an interrupted run that cannot be removed"):
        atomic.replace_tree(target, {"a.md": "new"})
    assert _tree(target) == {"a.md": b"old"}


# -- temporary files on a full disk ----------------------------------------------------------------

def test_cache_writes_leave_no_temporary_file_when_the_disk_is_full(tmp_path):
    from aoai_changelog.store.atomic import write_cache

    def full_disk(handle):
        handle.write(b"partial")
        raise OSError(28, "No space left on device")

    write_cache(tmp_path / "cache" / "v1.pickle", full_disk)  # best effort: no error, no cache
    assert list((tmp_path / "cache").iterdir()) == []


# -- two builds at once ------------------------------------------------------------------------------

def test_a_second_build_is_refused_while_one_runs(tmp_path):
    project = make_project(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from aoai_changelog.store.buildlock import build_lock\n"
         "with build_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)", str(project)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run_cli("--root", str(project), "build", "--no-site")
        assert_one_line_error(result, f"another build is running (pid {holder.pid})")
    finally:
        holder.kill()
        holder.wait()
    # The lock dies with its holder: the next build is not blocked by a stale lock file.
    from aoai_changelog.store.buildlock import build_lock

    with build_lock(project):
        pass


# -- MANIFEST.yaml -----------------------------------------------------------------------------------

@pytest.fixture
def fake_upstream(tmp_path):
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    (tmp_path / "secret.json").write_text("{}")

    def write(files):
        (upstream / "MANIFEST.yaml").write_text(yaml.safe_dump({"files": files}))
        return upstream

    return write


ENTRY = {"version": "v1", "document": "v1", "format": "json", "file": "a.json", "sha256": "0" * 64,
         "status": "verified-identical"}


@pytest.mark.parametrize("files, needle", [
    ([], "'files' is empty: refusing to write a catalog with every document missing"),
    ([{k: v for k, v in ENTRY.items() if k != "version"}], "/files/0: 'version' is missing"),
    ([dict(ENTRY, file="../secret.json")], "/files/0: file '../secret.json' is outside the upstream folder"),
    ([dict(ENTRY, file="/etc/passwd")], "/files/0: file '/etc/passwd' is outside the upstream folder"),
    ([ENTRY, "not a mapping"], "/files/1: expected a mapping"),
    ([dict(ENTRY, sha256=5)], "/files/0: 'sha256' is not a string (5)"),
])
def test_a_bad_manifest_is_refused_in_one_line_and_the_catalog_is_untouched(tmp_path, fake_upstream, files, needle):
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    before = (project / "specs" / "catalog.yaml").read_bytes()
    upstream = fake_upstream(files)
    assert_one_line_error(run_cli("--root", str(project), "catalog", "--from", str(upstream)), needle)
    assert (project / "specs" / "catalog.yaml").read_bytes() == before


# -- the site gate and serve ---------------------------------------------------------------------------

def test_the_site_gate_fails_on_a_mkdocs_warning(tmp_path):
    """A broken link is a warning in mkdocs: `--strict --quiet` let it through; our gate does not."""
    from aoai_changelog.errors import UserError
    from aoai_changelog.sitegen.render import mkdocs_build

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.md").write_text("# Home\n\n[broken](nowhere.md)\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: site\nstrict: true\n")
    with pytest.raises(UserError, match="mkdocs build failed: WARNING .*nowhere.md"):
        mkdocs_build(tmp_path, tmp_path / "out", 0)
    assert not (tmp_path / "out").exists()


def test_serve_on_an_address_in_use_is_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert_one_line_error(run_cli("serve", "--addr", f"127.0.0.1:{port}"), f"cannot serve on 127.0.0.1:{port}")
    assert_one_line_error(run_cli("serve", "--addr", "nonsense"), "expected HOST:PORT")


def test_serve_before_a_build_is_one_line(tmp_path):
    project = make_project(tmp_path)
    (project / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    with socket.socket() as probe:  # a port that is free
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("--root", str(project), "serve", "--addr", f"127.0.0.1:{port}")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
