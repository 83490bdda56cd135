"""Stage 5: classify each change with a stable rule id, `breaking` and a level (error/warning/info).

One module per rule family, as in oasdiff's checker/:

    rules.py       the registry: every rule id with its level, breaking flag and meaning
    operations.py  operations added, removed, moved, renamed parameters, deprecation
    elements.py    parameters, properties, variants, headers, enum values added or removed
    values.py      attribute changes of a value: type, format, required, nullable, default, limits, ...
    bodies.py      request bodies, response statuses and media types
"""

from __future__ import annotations

from ..changes import Change
from . import bodies, elements, operations, values
from .rules import RULES


def classify(change: Change) -> Change:
    """Set change.rule, .breaking, .level and .text (in place) and return the change."""
    if change.element == "operation":
        rule, text = operations.classify(change)
    elif change.element == "body":
        rule, text = bodies.classify(change)
    elif change.kind in ("added", "removed"):
        rule, text = elements.classify(change)
    else:
        rule, text = values.classify(change)
    level, breaking, _meaning = RULES[rule]
    if change.with_parent:
        # Part of a subtree that arrived or left as a whole: the parent's change is the one that
        # counts, this one is listed so that every element of the subtree can be found.
        level, breaking = "info", False
        text += " (with its parent)"
    change.rule, change.level, change.breaking, change.text = rule, level, breaking, text
    return change


__all__ = ["classify", "RULES"]
