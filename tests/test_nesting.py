"""Nested elements by reference (nesting.py): the committed diffs list only the root of an added or
removed subtree; its members, found in the feature index by the documented grammar, must be
exactly the changes a full diff lists `with_parent: true`."""

from __future__ import annotations

import json

import pytest

from aoai_changelog.diff import diff_surfaces
from aoai_changelog.formatters import json_format, markdown
from aoai_changelog.formatters.nesting import members_in_index, nest
from aoai_changelog.index.featureindex import build_index
from aoai_changelog.pipeline.compare import describe

_DIFFS: dict = {}


@pytest.fixture
def pair(surface, catalog):
    """(diff result, feature index of the two versions) of a real pair, once per session."""
    def get(old: str, new: str):
        if (old, new) not in _DIFFS:
            before, after = surface(old), surface(new)
            result = diff_surfaces(before, after, describe(catalog, old), describe(catalog, new))
            _DIFFS[old, new] = result, build_index({"versions": [(old, before), (new, after)]})
        return _DIFFS[old, new]
    return get


@pytest.mark.parametrize("old,new", [("2024-06-01", "2024-07-01-preview"), ("2024-10-01-preview", "2024-10-21")])
def test_members_found_in_the_index_are_the_with_parent_changes(pair, old, new):
    result, index = pair(old, new)
    kept, counts = nest(result.changes)
    assert not any(c.with_parent for c in kept)  # every member has its root in the diff
    roots = [c for c in kept if id(c) in counts]
    found: set = set()
    for root in roots:
        members = members_in_index(index, root.identity, root.element, new if root.kind == "added" else old)
        assert len(members) == counts[id(root)], root
        found.update((root.kind, m) for m in members)
    assert roots and found == {(c.kind, c.identity) for c in result.changes if c.with_parent}


def test_committed_format_keeps_roots_counts_and_summary(pair):
    result, _ = pair("2024-06-01", "2024-07-01-preview")
    compact = json.loads(json_format.render(result, nested_by_reference=True))
    assert compact["nested_in"] == "features.json" and compact["summary"] == result.summary()
    listed = len(compact["changes"]) + sum(c.get("nested", 0) for c in compact["changes"])
    assert listed == len(result.changes) == compact["summary"]["total"]
    assert not any(c["with_parent"] for c in compact["changes"])
    op = next(c for c in compact["changes"] if c["key"] == "GET /assistants" and c["kind"] == "added")
    assert op["nested"] > 20 and op["identity"] == "GET /assistants"
    md = markdown.render(result, nested_by_reference=True)
    assert "`GET /assistants`: new operation · `operation-added` · with " in md.replace("\\", "")
    assert md.count("\n- ") == len(compact["changes"])


def test_the_default_json_still_lists_every_change(surface, catalog):
    old, new = "2024-08-01-preview", "2024-09-01-preview"
    result = diff_surfaces(surface(old), surface(new), describe(catalog, old), describe(catalog, new))
    full = json.loads(json_format.render(result))
    assert "nested_in" not in full and any(c["with_parent"] for c in full["changes"])
    assert len(full["changes"]) == full["summary"]["total"]


def test_a_diff_that_counts_members_writes_the_same_files(surface, catalog):
    """The build diffs with list_members=False (the members of added and removed subtrees counted
    on their root: 98% of 2024-10-21 -> v1): the committed JSON and Markdown, and the summary,
    must not change."""
    for old, new in (("2024-10-21", "v1"), ("2024-06-01", "2024-07-01-preview")):
        before, after = surface(old), surface(new)
        sides = describe(catalog, old), describe(catalog, new)
        full = diff_surfaces(before, after, *sides)
        short = diff_surfaces(before, after, *sides, list_members=False)
        assert sum(short.left_out.values()) == sum(1 for c in full.changes if c.with_parent) > 500
        assert short.summary() == full.summary()
        for fmt in (json_format, markdown):
            assert fmt.render(short, nested_by_reference=True) == fmt.render(full, nested_by_reference=True)
        assert short.filtered(breaking_only=True).summary() == full.filtered(breaking_only=True).summary()
    with pytest.raises(ValueError, match="members of added and removed subtrees"):
        json_format.render(short)  # listing every change: it has not got them
    with pytest.raises(ValueError, match="members of added and removed subtrees"):
        short.filtered(scope="request")  # a scope could hold some of them
