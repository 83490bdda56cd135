"""Write files so that a reader never sees a half-written one: temporary file, then rename."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import WriteError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import BinaryIO

# tempfile and shutil are imported where they are used: a query that only writes a cache file
# (write_cache) starts 4 ms sooner without them.


def encoded(text: str) -> bytes:
    """`text` as UTF-8, a lone surrogate (JSON allows `"\ud800"` in a document) written as that
    escape: JSON stays valid, and Markdown shows it, where strict UTF-8 would refuse the file."""
    return text.encode("utf-8", "backslashreplace")


def write_text(path: Path, text: str) -> bool:
    """Atomically replace `path` with `text`. Returns False when the content was already identical."""
    import tempfile

    path = Path(path)
    data = encoded(text)
    try:
        if path.exists() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(path, str(exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise WriteError(path, str(exc.strerror or exc)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    return True


def write_files(files: dict[Path, str]) -> list[Path]:
    """Write several files as one step: every new content goes to a temporary file first, and only
    when all of them are on disk are they renamed into place (a failure or a kill before that
    leaves every old file as it was). Returns the paths whose content changed."""
    import tempfile

    pending: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path = Path(path)
            data = encoded(text)
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            pending.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
    except OSError as exc:
        for tmp, _ in pending:
            remove_quietly(tmp)
        raise WriteError(path, str(exc.strerror or exc)) from None
    except BaseException:
        for tmp, _ in pending:
            remove_quietly(tmp)
        raise
    for tmp, path in pending:
        os.replace(tmp, path)
    return [path for _, path in pending]


def write_cache(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Best-effort cache file, its bytes written by `write(handle)`: see write_cache_file."""

    def make(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            write(handle)
    write_cache_file(path, make)


def write_cache_file(path: str | Path, make: Callable[[Path], object]) -> None:
    """Best-effort cache file, made by `make(temporary path)` (e.g. an SQLite database) and renamed
    into place. On an OSError (read-only checkout, full disk) the cache is simply not written; the
    temporary file is removed whatever happens, and any other error is raised."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        make(tmp)
        os.replace(tmp, path)
    except OSError:
        remove_quietly(str(tmp))
    except BaseException:
        remove_quietly(str(tmp))
        raise


def remove_quietly(path: str) -> None:
    """Remove a file if it is there; a file that cannot be removed is left (temporary files only)."""
    try:
        os.unlink(path)
    except OSError:
        pass


def replace_tree(target: Path, files: Mapping[str, str | Path]) -> bool:
    """Make folder `target` hold exactly `files` ({relative path: text, or the Path of a file to
    copy: the site's copies of changelog/ files are never read into memory}), all at once.

    The new tree is written beside the old one and swapped in with two renames, so an interrupted
    run leaves either the old tree or the new one, never a mix. Returns False when nothing changed.
    """
    import shutil
    import tempfile

    target = Path(target)
    backup = target.with_name(f".{target.name}.old")
    recover_tree(target)
    changed = set(tree_differences(target, files))
    if not changed:
        return False
    _check_replaceable(target)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise WriteError(target, str(exc.strerror or exc)) from None
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if relative not in changed and _link(target / relative, path):
                continue  # the same file (inode, mtime) moves to the new tree: only changes are rewritten
            if isinstance(text, Path):
                shutil.copyfile(text, path)
            else:
                path.write_bytes(encoded(text))
        for folder in [staging, *[p for p in staging.rglob("*") if p.is_dir()]]:
            os.chmod(folder, 0o755)
        if target.exists():
            os.replace(target, backup)
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if backup.exists() and not target.exists():
            os.replace(backup, target)
        raise WriteError(target, str(exc.strerror or exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if backup.exists() and not target.exists():
            os.replace(backup, target)
        raise
    # The new tree is in place: the old one is garbage. Checked writable above, so this succeeds;
    # if it does not, the next run names it (recover_tree).
    shutil.rmtree(backup, ignore_errors=True)
    return True


def _check_replaceable(target: Path) -> None:
    """All or nothing: before anything moves, every folder of the old tree must be writable (its
    files are deleted once the new tree is in place). A read-only tree is refused, untouched."""
    if not target.is_dir():
        return
    for folder in [target, *(p for p in target.rglob("*") if p.is_dir() and not p.is_symlink())]:
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WriteError(target, f"{folder} is read-only; nothing was changed (make it writable and run again)")


def _link(existing: Path, new: Path) -> bool:
    try:
        os.link(existing, new)
        return True
    except OSError:  # no hard links on this file system: write a copy instead
        return False


def recover_tree(target: Path) -> None:
    """A run killed between the two renames of replace_tree leaves only the backup: put it back. A
    backup beside a complete tree (killed after the swap) is removed; if it cannot be, it is named."""
    import shutil

    backup = Path(target).with_name(f".{Path(target).name}.old")
    if not backup.exists():
        return
    if not Path(target).exists():
        os.replace(backup, target)
        return
    shutil.rmtree(backup, ignore_errors=True)
    if backup.exists():
        raise WriteError(backup, "a leftover of an interrupted run that cannot be removed; remove it by hand")


def tree_differences(target: Path, files: Mapping[str, str | Path]) -> list[str]:
    """Relative paths that differ between folder `target` and `files` (for --check)."""
    recover_tree(target)
    existing = ({p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} if target.is_dir()
                else set())
    out = sorted(existing ^ set(files))
    out += sorted(rel for rel in existing & set(files) if (target / rel).read_bytes() != _content(files[rel]))
    return out


def _content(text: str | Path) -> bytes:
    return text.read_bytes() if isinstance(text, Path) else encoded(text)
