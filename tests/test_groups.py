"""Memoised surfaces keep their rows by operation (surface.model.Group). The diff engine passes over
an operation whose group has one digest on both sides, counts an operation added or removed whole
at once, and the feature index reads a group once per run of members that share it. Each must
answer exactly what the same surfaces give row by row."""

from __future__ import annotations

import pytest

from aoai_changelog.diff import diff_facts
from aoai_changelog.index.featureindex import build_index
from aoai_changelog.surface import Surface


def _rows_only(surface: Surface) -> Surface:
    """The same surface without its groups: the engine and the index go row by row."""
    plain = Surface(surface.version, rows=dict(surface.rows))
    assert plain.by_operation() is None
    return plain


def _facts(changes: list) -> list[tuple]:
    return sorted((c.kind, c.identity, c.attribute or "", repr(c.before), repr(c.after), c.with_parent,
                   c.list_lifted, c.key, c.operation) for c in changes)


# Consecutive versions, the GA line, a dated version to v1 (a migration guide), and two revisions.
PAIRS = [("2024-08-01-preview", "2024-09-01-preview"), ("2024-06-01", "2024-10-21"), ("2024-10-21", "v1"),
         ("2025-04-01-preview", "v1-preview"), ("v1@2025-08-01", "v1@2025-12-15"), ("v1-preview", "v1")]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_a_diff_by_operation_is_the_diff_row_by_row(surface, old, new):
    before, after = surface(old), surface(new)
    assert before.by_operation() is not None and after.by_operation() is not None
    for counted in (None, {}):
        grouped = diff_facts(before, after, counted)
        plain_counted = None if counted is None else {}
        plain = diff_facts(_rows_only(before), _rows_only(after), plain_counted)
        assert _facts(grouped) == _facts(plain) and counted == plain_counted
    if old.split("@")[0] == new.split("@")[0] or (old, new) == PAIRS[0]:
        # Some operation really is passed over whole (one digest), or the test proves little.
        ops = before.by_operation() or {}
        assert any(group.digest == ops[op].digest for op, group in (after.by_operation() or {}).items() if op in ops)


def test_the_feature_index_by_operation_is_the_index_row_by_row(surface, catalog):
    from aoai_changelog.index.timelines import revision_ids

    timelines = {"versions": catalog.ids()[:6], "v1": revision_ids(catalog)["v1"]}
    grouped = build_index({name: [(i, surface(i)) for i in ids] for name, ids in timelines.items()})
    plain = build_index({name: [(i, _rows_only(surface(i))) for i in ids] for name, ids in timelines.items()})
    assert grouped == plain
    # A member without groups among grouped ones (a surface walked whole) reads the same too.
    mixed = {name: [(i, _rows_only(surface(i)) if n == 2 else surface(i)) for n, i in enumerate(ids)]
             for name, ids in timelines.items()}
    assert build_index(mixed) == plain


def test_a_path_with_a_space_keeps_the_row_by_row_diff():
    """An operation identity with a space in its path could own another's identities: no groups."""
    from aoai_changelog.surface.model import Group

    rows = {"GET /a b": ("GET /a b", "operation", "GET /a b", "", "{}", "")}
    odd = Surface("x", groups=[Group("GET /a b", b"1", rows)])
    assert odd.by_operation() is None and odd.rows == rows


def test_a_pair_of_groups_compared_again_gives_its_changes_again(surface):
    """While a build makes its diffs, the engine keeps the changes of each pair of groups it
    compared: the next dated version to v1 shares most of its operations with the one before, and
    takes their changes from there. Outside that, nothing is kept."""
    from importlib import import_module

    engine = import_module("aoai_changelog.diff.engine")
    with engine.remembering_pairs():
        for old, new in (("2024-10-21", "v1"), ("2025-01-01-preview", "v1"), ("2025-02-01-preview", "v1"),
                         ("2025-02-01-preview", "v1-preview")):  # the same groups, to other ones
            target = surface(new)
            ops = target.by_operation() or {}
            groups = surface(old).by_operation() or {}
            pairs = {(group.digest, ops[op].digest) for op, group in groups.items()
                     if op in ops and group.digest != ops[op].digest}
            for counted in (None, {}):
                known = len(engine._PAIRS)
                grouped = diff_facts(surface(old), target, counted)
                plain_counted = None if counted is None else {}
                plain = diff_facts(_rows_only(surface(old)), _rows_only(target), plain_counted)
                assert _facts(grouped) == _facts(plain) and counted == plain_counted
                if old in ("2025-01-01-preview", "2025-02-01-preview") and new == "v1":
                    assert len(engine._PAIRS) - known < len(pairs)  # some pairs came from the version before
    assert engine._PAIRS is None
    diff_facts(surface("2024-10-21"), surface("v1"))
    assert engine._PAIRS is None
