"""Read the history of a clone of the upstream specification repository with the `git` command.

A partial, sparse clone is enough (`git clone --filter=blob:none --sparse`): the history walk needs
commits and trees only, and git fetches the few blobs whose bytes are read on demand.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from ..errors import UserError

MAX_BLOB = 256 * 1024 * 1024  # far above the 1-2 MB of the largest document; a bound, not a limit in practice
MAX_TITLE = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
_ZERO = re.compile(r"0+\Z")


class Commit:
    """One commit that touched the watched folders: when, its change title, and the files it changed
    (path -> new blob id, None when the file was deleted)."""

    def __init__(self, sha: str, timestamp: int, title: str, files: dict[str, str | None]) -> None:
        self.sha, self.timestamp, self.title, self.files = sha, timestamp, title, files

    @property
    def date(self) -> str:
        """The commit date in UTC, the granularity of revision ids."""
        return datetime.fromtimestamp(self.timestamp, UTC).strftime("%Y-%m-%d")


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        git = shutil.which("git")
        if git is None:
            raise UserError("git is not installed or not on PATH (sync reads the upstream history with it)")
        self.git: str = git
        if not self.path.is_dir():
            raise UserError(f"{self.path}: no such folder (expected a clone of Azure/azure-rest-api-specs)")
        probe = self._run(["rev-parse", "--is-inside-work-tree"], check=False)
        if probe.returncode != 0:
            raise UserError(f"{self.path}: not a git repository (expected a clone of Azure/azure-rest-api-specs)")
        shallow = self._run(["rev-parse", "--is-shallow-repository"], check=False).stdout.strip()
        if shallow == b"true":
            # A truncated history would make every earlier revision look gone from upstream.
            raise UserError(f"{self.path}: a shallow clone has only part of the history; clone with "
                            "--filter=blob:none instead of --depth (just as small, with every commit)")
        self._reader: subprocess.Popen | None = None

    def _run(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            result = subprocess.run([self.git, "-C", str(self.path), *args], capture_output=True, env=env)
        except OSError as exc:
            raise UserError(f"cannot run git: {exc.strerror or exc}") from None
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UserError(f"git {args[0]} failed in {self.path}: "
                            f"{message[-1] if message else 'exit ' + str(result.returncode)}")
        return result

    def history(self, folders: list[str], since: str | None = None) -> list[Commit]:
        """Every commit that changed a file under `folders`, oldest first, with its changed files.

        Merge commits are compared with their first parent, so a merge shows what it brought onto the
        branch; whether that is a new revision is decided by the caller from the bytes (blob ids)."""
        args = ["log", "-z", "--reverse", "--date-order", "--no-renames", "--diff-merges=first-parent", "--raw",
                "--no-abbrev", "--format=%x1e%H%x1f%ct%x1f%s%x1f"]
        if since:
            args.append(f"--since={since} 00:00:00 +0000")
        head = self._run(["rev-parse", "--verify", "--quiet", "HEAD"], check=False)
        if head.returncode != 0:
            return []  # a repository without any commit yet has no history
        out = self._run([*args, "HEAD", "--", *folders]).stdout.decode("utf-8", "replace")
        return [_parse_commit(chunk) for chunk in out.split("\x1e") if chunk.strip("\0\n")]

    def read_blob(self, blob: str) -> bytes:
        """The bytes of one blob (what `git show COMMIT:PATH` prints), through one long-lived
        `git cat-file --batch` process."""
        if self._reader is None:
            self._reader = subprocess.Popen([self.git, "-C", str(self.path), "cat-file", "--batch"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        reader = self._reader
        assert reader.stdin is not None and reader.stdout is not None
        reader.stdin.write(blob.encode() + b"\n")
        reader.stdin.flush()
        header = reader.stdout.readline().decode("utf-8", "replace").split()
        if len(header) != 3 or header[1] != "blob":
            raise UserError(f"{self.path}: cannot read blob {blob[:12]} from git (missing object: "
                            "is the clone complete, or can it fetch from its remote?)")
        size = int(header[2])
        if size > MAX_BLOB:
            reader.kill()
            self.close()
            raise UserError(f"{self.path}: {blob[:60]} is {size} bytes, more than any specification document "
                            f"({MAX_BLOB} at most)")
        data = reader.stdout.read(size)
        reader.stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            if reader.stdin:
                reader.stdin.close()
            try:
                reader.wait(timeout=10)
            except subprocess.TimeoutExpired:
                reader.kill()
                reader.wait()


def _parse_commit(chunk: str) -> Commit:
    header, _, raw = chunk.partition("\x1f\0")
    sha, _, rest = header.partition("\x1f")
    timestamp, _, title = rest.partition("\x1f")
    if not _HASH.match(sha) or not timestamp.isdigit():
        raise UserError(f"unexpected `git log` output near {chunk[:60]!r}")
    files: dict[str, str | None] = {}
    tokens = raw.lstrip("\n").split("\0")
    for meta, path in zip(tokens[0::2], tokens[1::2]):
        fields = meta.split()
        if len(fields) < 5 or not meta.startswith(":"):
            continue
        blob = fields[3]
        files[path] = None if _ZERO.match(blob) or fields[4].startswith("D") else blob
    # Change titles go into the catalog and the changelog: one line, bounded.
    title = _CONTROL.sub(" ", title).strip()
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE - 1].rstrip() + "…"
    return Commit(sha, int(timestamp), title, files)
