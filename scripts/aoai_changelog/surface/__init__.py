"""Stage 3: the element model (the key grammar itself lives in ../keys.py). Every element a user can
ask about, with a stable key and its facts.

    schemaview.py  one schema seen through $ref / allOf / oneOf / anyOf / discriminators, flattened
    walker.py      snapshot -> elements (operations, parameters, bodies, fields at any depth, enum values)
"""

from .model import Element, Surface
from .walker import surface_of

__all__ = ["Element", "Surface", "surface_of"]
