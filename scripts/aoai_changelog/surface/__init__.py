"""Stage 3: the element model. Every element a user can ask about, with a stable key and its facts.

    keys.py        the key grammar and operation identity (README: Element keys)
    schemaview.py  one schema seen through $ref / allOf / oneOf / anyOf / discriminators, flattened
    walker.py      snapshot -> elements (operations, parameters, bodies, fields at any depth, enum values)
    model.py       Element and Surface

Names are loaded on first use (PEP 562): `has` imports keys.py without the walker.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import Element, Surface
    from .walker import surface_of

__all__ = ["Element", "Surface", "surface_of"]

_LAZY = {"Element": ".model", "Surface": ".model", "surface_of": ".walker"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name], __name__), name)
