"""One build at a time per project folder: two builds writing changelog/ and the site together
would fail with whichever rename lost, and a confusing message."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import UserError, WriteError

_HELD: list[int] = []  # the lock's descriptor while this process holds it


def _close_in_child() -> None:
    """A forked helper (warm.py, pipeline/parallel.py) must not keep the lock alive after its
    parent stopped: it closes its copy of the descriptor (never LOCK_UN, which would release the
    parent's lock too)."""
    for fd in _HELD:
        os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold `build/build.lock` (an advisory flock, released by the kernel if the process dies, so a
    crash never leaves a stale lock) for the duration; refuse at once if another build holds it."""
    import fcntl

    path = Path(root) / "build" / "build.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WriteError(path, str(exc.strerror or exc)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise UserError(f"another build is running (pid {holder}) in {root}; wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        _HELD.append(fd)
        yield
    finally:
        if fd in _HELD:
            _HELD.remove(fd)
        os.close(fd)  # closing releases the lock
