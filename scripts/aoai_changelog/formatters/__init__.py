"""Stage 6: render a diff. One module per output format."""

from . import json_format, markdown, text

FORMATS = {"text": text.render, "json": json_format.render, "markdown": markdown.render}

__all__ = ["FORMATS"]
