"""Stage 6: render a diff. One module per output format."""

from . import github, json_format, markdown, text

FORMATS = {"text": text.render, "json": json_format.render, "markdown": markdown.render, "github": github.render}

__all__ = ["FORMATS"]
