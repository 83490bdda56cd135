"""Stage 6: render a diff. One module per output format."""

from collections.abc import Callable, Iterable

from ..changes import DiffResult
from . import github, json_format, markdown, text

FORMATS = {"text": text.render, "json": json_format.render, "markdown": markdown.render, "github": github.render}
# Formats that can also be written piece by piece (a large diff never held as one text).
CHUNKS: dict[str, Callable[[DiffResult], Iterable[str]]] = {"json": json_format.chunks, "markdown": markdown.chunks, "text": text.chunks}

__all__ = ["CHUNKS", "FORMATS"]
