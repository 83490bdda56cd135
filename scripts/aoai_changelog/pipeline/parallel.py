"""Run one piece of independent work on the other core, in a forked child.

The build's parts are independent once every surface is in the cache (store/warm.py): the diffs
and the feature index in this process, the migration guides and revision notes in a child, which
hands its files back through a pipe. Anything that goes wrong in the child only costs time: its
work is done here instead. Where forking is not safe or not useful (no fork, one core, or other
threads running: a child of a threaded process can inherit a lock held mid-operation and hang),
the work simply runs here.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ..progress import silence

T = TypeVar("T")


# Forking is for the command line's own process, which a command asks for (allow_helpers): a
# library call never forks its host, which may reap children itself or run threads of its own.
_ALLOWED: list[bool] = []


def allow_helpers() -> None:
    """This process is a command that may fork helpers (build, sync, diff, migrate)."""
    _ALLOWED.append(True)


def can_fork() -> bool:
    """Whether a forked helper is allowed (allow_helpers), safe (a fork, no other thread) and useful
    (two cores for us)."""
    if not _ALLOWED or not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores >= 2


@contextmanager
def beside(work: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """`with beside(work) as result:` starts `work` in a child; `result()` waits for it and gives
    what it returned (or runs `work` here if the child failed). Leaving the block without asking
    (an error in between) stops the child: nothing is left running or unreaped."""
    if not can_fork():
        yield work
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the result, leave without running any cleanup
        os.close(read_end)
        code = 0
        try:
            silence()  # one progress line on the terminal: the parent's
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001 - the parent does the work itself
            code = 1
        os._exit(code)
    os.close(write_end)
    incoming = os.fdopen(read_end, "rb")
    reaped = False

    def result() -> T:
        nonlocal reaped
        with incoming:
            data = incoming.read()  # before waiting: a child blocked on a full pipe never exits
        succeeded = reap(pid)
        reaped = True
        if succeeded and data:
            return pickle.loads(data)
        return work()

    try:
        yield result
    finally:
        if not reaped:
            incoming.close()
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            reap(pid)


def reap(pid: int) -> bool:
    """Wait for child `pid`; whether it exited with 0. A process started with SIGCHLD ignored has
    its children reaped by the kernel: there is no status then, and the child counts as failed."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return False
    return os.waitstatus_to_exitcode(status) == 0
