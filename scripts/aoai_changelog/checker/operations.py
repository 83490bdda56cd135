"""Rules for operations themselves."""

from __future__ import annotations

from typing import NoReturn

from ..diff.changes import Change
from ..surface.keys import shape_path


def classify(change: Change) -> tuple[str, str]:
    if change.kind == "added":
        return "operation-added", "new operation"
    if change.kind == "removed":
        return "operation-removed", "operation removed"
    if change.attribute == "path":
        if _shape(change.before) == _shape(change.after):
            return "operation-path-parameter-renamed", f"path parameters renamed ({change.before} -> {change.after})"
        return "operation-moved", f"moved from {change.before} to {change.after}"
    if change.attribute == "operationId":
        return "operation-id-changed", f"operationId {change.before} -> {change.after}"
    if change.attribute == "deprecated":
        if change.after:
            return "operation-deprecated", "deprecated"
        return "operation-undeprecated", "no longer deprecated"
    return _unknown(change)


def _shape(where: str) -> str:
    return shape_path(where or "")


def _unknown(change: Change) -> NoReturn:
    # Every operation attribute is handled above; reaching here is a programming error.
    raise ValueError(f"no rule for operation attribute {change.attribute!r}")
