"""Upstream documents read from a git clone: the bytes of PATH at COMMIT, as files the importer can read.

The importer reads files (relative `$ref`s are resolved against their folder), so each document is
written to a private temporary folder laid out as the upstream repository at that commit. Nothing of
it stays on disk after the run.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ..errors import UserError
from ..store.catalog import Document
from .upstreamgit import GitRepo

_COMMIT = re.compile(r"[0-9a-f]{7,64}\Z")
_SAFE_PATH = re.compile(r"[A-Za-z0-9._@+-][A-Za-z0-9._@+/ -]{0,400}\Z")
# A revision file of the manifest layout: revisions/<upstream folder>/<name>@<date>_<commit>.<ext>
_MANIFEST_REVISION = re.compile(r"revisions/(?P<folder>.+)/(?P<name>[^/@]+)@[0-9-]+_[0-9a-f]+\.(?P<ext>json|yaml)\Z")


def upstream_path_of(file: str) -> str:
    """The path inside the upstream repository of a catalog `file` (which may name a file of the
    manifest layout of ../shared/upstream, written before the project synced from git)."""
    if file.startswith("azure-rest-api-specs/"):
        return file[len("azure-rest-api-specs/"):]
    found = _MANIFEST_REVISION.match(file)
    if found:
        return f"{found['folder']}/{found['name']}.{found['ext']}"
    return file


class GitFiles:
    """An import source over a git clone: `locate(doc)` -> (file, tree) for the document's commit."""

    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self.workdir = Path(tempfile.mkdtemp(prefix="aoai-changelog-git-"))
        self._bytes: dict[str, bytes] = {}

    @classmethod
    def open(cls, path: Path) -> GitFiles:
        return cls(GitRepo(path))

    def read(self, commit: str, path: str) -> bytes:
        """The bytes of `path` at `commit` (`git show COMMIT:PATH`), read once."""
        name = f"{commit}:{path}"
        if name not in self._bytes:
            self._bytes[name] = self.repo.read_blob(name)
        return self._bytes[name]

    def materialize(self, commit: str, path: str, data: bytes | None = None) -> tuple[Path, Path]:
        """(the file holding `path` at `commit`, the folder standing for the repository at that commit)."""
        # Both come from the catalog, which may have been edited: they must name a file in the workdir.
        if not _COMMIT.match(commit) or not _SAFE_PATH.match(path) or ".." in path.split("/"):
            raise UserError(f"cannot read {path!r} at {commit!r} from git: "
                            "not a commit id and a relative upstream path")
        tree = self.workdir / commit
        target = tree / path
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.read(commit, path) if data is None else data)
        return target, tree

    def locate(self, doc: Document) -> tuple[Path, Path]:
        if not doc.upstream_commit:
            raise UserError(f"the catalog names no upstream commit for the {doc.document} document "
                            f"({doc.file}): it cannot be read from git")
        return self.materialize(doc.upstream_commit, doc.upstream_path or upstream_path_of(doc.file or ""))

    def close(self) -> None:
        self.repo.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
