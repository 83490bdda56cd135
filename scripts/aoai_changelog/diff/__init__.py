"""Stage 4: compare two surfaces element by element. Facts only: no judgement here (checker/ adds
the rule, level and breaking flag of each change; pipeline/compare.diff_surfaces does both).

    engine.py      two surfaces -> changes: elements added or removed, attributes changed
    attributes.py  what counts as an attribute change (shared with `history`, which reads the index)
    changes.py     Change (one fact, later judged) and DiffResult (a whole diff)
    scope.py       --scope: which changes of a diff to keep, by key

Names are loaded on first use (PEP 562): `has` imports attributes.py without the engine.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..pipeline.compare import diff_surfaces
    from .changes import Change, DiffResult
    from .engine import diff_facts

__all__ = ["Change", "DiffResult", "diff_facts", "diff_surfaces"]

# `diff_surfaces` (facts, then the checker's verdicts) lives in pipeline/compare.py, which imports
# this package: loaded on first use, so neither import needs the other first.
_LAZY = {"Change": ".changes", "DiffResult": ".changes", "diff_facts": ".engine", "diff_surfaces": "..pipeline.compare"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name], __name__), name)
