"""Where the time of one raw-file diff goes, stage by stage, in one fresh process:

    .venv/bin/python benchmarks/stages.py OLD.json NEW.json

Prints one JSON object: seconds spent in start-up (interpreter, before this file runs), imports,
load (reading and parsing the files), normalise (facts-only snapshot), surface (element model),
diff (compare + checker) and output (JSON text), and the total wall time of the process so far.
The pipeline is the one `aoai-changelog diff OLD NEW --format json` runs, one stage after the
other (the command itself reads and walks NEW in a forked child while it reads and walks OLD); `load`
is timed by wrapping the file reader, so `normalise` is what is left of building the snapshots.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402


def _process_start() -> float:
    """perf_counter() at the moment the process started (from the kernel's start time)."""
    try:
        with open("/proc/self/stat") as handle:
            ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        import os

        age = uptime - ticks / os.sysconf("SC_CLK_TCK")
        return time.perf_counter() - age
    except (OSError, ValueError, IndexError):
        return STARTED


def main(old: str, new: str) -> dict:
    born = _process_start()
    stages: dict[str, float] = {"start-up": STARTED - born}
    t = time.perf_counter()
    from pathlib import Path

    from aoai_changelog.diff import diff_surfaces
    from aoai_changelog.formatters import json_format
    from aoai_changelog.load import files
    from aoai_changelog.store.snapshots import snapshot_from_file
    from aoai_changelog.surface import surface_of

    stages["imports"] = time.perf_counter() - t
    import gc

    gc.disable()  # as the command runs (commands/diff.py, pipeline/collector.py)

    loading = [0.0]
    reader = files.read_structured

    def timed_reader(path):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return reader(path)
        finally:
            loading[0] += time.perf_counter() - started

    files.read_structured = timed_reader
    t = time.perf_counter()
    snapshots = [snapshot_from_file(Path(p)) for p in (old, new)]
    both = time.perf_counter() - t
    stages["load"] = loading[0]
    stages["normalise"] = both - loading[0]
    t = time.perf_counter()
    surfaces = [surface_of(s, Path(p).name) for s, p in zip(snapshots, (old, new))]
    stages["surface"] = time.perf_counter() - t
    t = time.perf_counter()
    result = diff_surfaces(*surfaces, {"id": Path(old).name}, {"id": Path(new).name})
    stages["diff"] = time.perf_counter() - t
    t = time.perf_counter()
    text = json_format.render(result)
    sys.stdout.write("")  # the text is not printed: this measures making it
    stages["output"] = time.perf_counter() - t
    stages["total"] = time.perf_counter() - born
    stages["changes"] = len(result.changes) + len(text) * 0
    return stages


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
