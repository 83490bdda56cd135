"""Run one piece of independent work on the other core, in a forked child.

The build's parts are independent once every surface is in the cache (store/warm.py): the diffs
and the feature index in this process, the migration guides and revision notes in a child, which
hands its files back through a pipe. Anything that goes wrong in the child only costs time: its
work is done here instead. Where there is no fork or one core, the work simply runs here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

from ..progress import silence

T = TypeVar("T")


def beside(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work` in a child now; the returned function waits for the child and gives its result."""
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return work
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the result, leave without running any cleanup
        os.close(read_end)
        code = 0
        try:
            silence()  # one progress line on the terminal: this process's
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001 - the parent does the work itself
            code = 1
        os._exit(code)
    os.close(write_end)

    def result() -> T:
        with os.fdopen(read_end, "rb") as incoming:
            data = incoming.read()  # before waiting: a child blocked on a full pipe never exits
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            return pickle.loads(data)
        return work()

    return result
