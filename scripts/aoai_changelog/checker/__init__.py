"""Stage 5: classify each change with a stable rule id, `breaking` and a level (error/warning/info).

One module per rule family, as in oasdiff's checker/:

    rules.py       the registry: one Rule record per id (side, subject, event, level, breaking, meaning)
    operations.py  operations added, removed, moved, renamed parameters, deprecation
    elements.py    parameters, properties, variants, headers, enum values added or removed
    values.py      attribute changes of a value: type, format, required, nullable, default, limits, ...
    bodies.py      request bodies, response statuses and media types
"""

from __future__ import annotations

from ..diff.changes import Change, sort_key
from . import bodies, elements, operations, values
from .rules import RULES, Rule, rule, rule_for

# The verdict of an element added or removed depends only on elements.facts() and on whether it came
# or went with its parent. A diff to v1 has 44,000 such changes and a few dozen distinct verdicts:
# each is worked out once per process.
_ELEMENT_VERDICTS: dict[tuple, tuple[str, str, bool, str]] = {}


def classify(change: Change) -> Change:
    """Set change.rule, .breaking, .level and .message (in place) and return the change."""
    if change.kind != "changed" and change.element not in ("operation", "body"):
        facts = (*elements.facts(change), change.with_parent)
        verdict = _ELEMENT_VERDICTS.get(facts)
        if verdict is None:
            verdict = _ELEMENT_VERDICTS[facts] = _verdict(change)
        change.rule, change.level, change.breaking, change.message = verdict
        return change
    change.rule, change.level, change.breaking, change.message = _verdict(change)
    return change


def _verdict(change: Change) -> tuple[str, str, bool, str]:
    """(rule id, level, breaking, message) of a change."""
    if change.element == "operation":
        rule_id, message = operations.classify(change)
    elif change.element == "body":
        rule_id, message = bodies.classify(change)
    elif change.kind in ("added", "removed"):
        rule_id, message = elements.classify(change)
    else:
        rule_id, message = values.classify(change)
    record = rule(rule_id)
    level, breaking = record.level, record.breaking
    if change.with_parent:
        # Part of a subtree that arrived or left as a whole: the parent's change is the one that
        # counts, this one is listed so that every element of the subtree can be found.
        level, breaking = "info", False
        message += " (with its parent)"
    return rule_id, level, breaking, message


def judge(changes: list[Change]) -> list[Change]:
    """The verdict on each fact of a diff (in place), in the order every output shows them."""
    for change in changes:
        classify(change)
    changes.sort(key=sort_key)
    return changes


__all__ = ["RULES", "Rule", "classify", "judge", "rule", "rule_for"]
