"""Stage 4: compare two surfaces element by element. Facts only: no judgement here (checker/ adds
the rule, level and breaking flag of each change; comparing.diff_surfaces does both)."""

from ..changes import Change, DiffResult
from .engine import diff_facts

__all__ = ["Change", "DiffResult", "diff_facts", "diff_surfaces"]


def __getattr__(name: str):  # noqa: ANN202 - the facts-with-verdicts function, where callers expect it
    """`diff_surfaces` (facts, then the checker's verdicts) lives in comparing.py, which imports this
    package: loaded on first use, so neither import needs the other first."""
    if name == "diff_surfaces":
        from ..comparing import diff_surfaces

        return diff_surfaces
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
