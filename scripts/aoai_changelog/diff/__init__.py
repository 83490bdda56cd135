"""Stage 4: compare two surfaces element by element (no judgement yet: that is checker/)."""

from ..changes import Change, DiffResult
from .engine import diff_surfaces

__all__ = ["Change", "DiffResult", "diff_surfaces"]
