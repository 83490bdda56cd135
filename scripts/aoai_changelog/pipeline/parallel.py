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


def can_fork() -> bool:
    """Whether a forked helper is safe (a fork, no other thread) and useful (two cores for us)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
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
        _, status = os.waitpid(pid, 0)
        reaped = True
        if os.waitstatus_to_exitcode(status) == 0 and data:
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
            os.waitpid(pid, 0)
