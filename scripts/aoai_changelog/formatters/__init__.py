"""Stage 6: render a diff. One module per output format, and what every human format shares.

    text.py, json_format.py, markdown.py, github.py   the formats (FORMATS, CHUNKS below)
    presentation.py  how a change is shown to a person: badges, location order, subject, values
    escaping.py      how an untrusted value is written into each medium: one function per format
    jsonout.py       the one JSON spelling of everything we print or write
    nesting.py       added/removed subtrees listed once by reference (the committed diffs)

FORMATS and CHUNKS are built on first use (PEP 562): `has` imports escaping.py and
presentation.py without the formats (and without `json`).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..diff.changes import DiffResult

    FORMATS: dict[str, Callable[[DiffResult], str]]
    # Formats that can also be written piece by piece (a large diff never held as one text).
    CHUNKS: dict[str, Callable[[DiffResult], Iterable[str]]]

__all__ = ["CHUNKS", "FORMATS"]


def __getattr__(name: str) -> object:
    if name not in ("FORMATS", "CHUNKS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import github, json_format, markdown, text

    registry = {
        "FORMATS": {"text": text.render, "json": json_format.render, "markdown": markdown.render,
                    "github": github.render},
        "CHUNKS": {"json": json_format.chunks, "markdown": markdown.chunks, "text": text.chunks},
    }
    globals().update(registry)
    return registry[name]
