"""Stage 1 of the pipeline: read specification files and follow their `$ref`s."""

from .files import read_document, read_structured, spec_format
from .refs import RefResolver

__all__ = ["read_document", "read_structured", "spec_format", "RefResolver"]
