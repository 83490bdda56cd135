"""Memoised surfaces (surface/memo.py) are the surfaces a plain walk gives, row for row."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from aoai_changelog.surface import surface_of
from aoai_changelog.surface.memo import memoised_surface_of

ROOT = Path(__file__).resolve().parents[1]


def _snapshot(name: str) -> dict:
    return json.loads((ROOT / "specs" / name).read_bytes())


def test_revisions_of_one_version_share_walks_and_match_a_plain_walk():
    # Two revisions of one version, then the next version: later ones replay most operations.
    for name in ("revisions/2024-06-01@2024-06-28.json", "2024-06-01.json", "2024-02-01.json"):
        snapshot = _snapshot(name)
        assert list(memoised_surface_of(snapshot, name).rows.items()) == list(surface_of(snapshot, name).rows.items())


def test_a_changed_shared_component_reaches_every_operation_that_uses_it():
    snapshot = _snapshot("2024-06-01.json")
    memoised_surface_of(snapshot, "before")  # fills the memo
    changed = copy.deepcopy(snapshot)
    schemas = changed["components"]["schemas"]
    # A component reached only through $refs from other components: a nested change.
    target = next(n for n, s in sorted(schemas.items()) if isinstance(s, dict) and s.get("type") == "object"
                  and s.get("properties") and any(f'schemas/{n}"' in json.dumps(o) for o in schemas.values()))
    schemas[target]["properties"]["memo_probe"] = {"type": "string"}
    plain = surface_of(changed, "after").rows
    assert any(identity.endswith("memo_probe") for identity in plain)
    assert list(memoised_surface_of(changed, "after").rows.items()) == list(plain.items())


# -- the walk below a field, replayed under another (walker.Subtree) -------------------------------


def _snapshot_with(bodies: dict[str, dict], schemas: dict[str, dict]) -> dict:
    """A snapshot with one operation: a request body and a 200 response, each of those properties."""
    def body(props: dict) -> dict:
        return {"content": {"application/json": {"schema": {"type": "object", "properties": props}}}}
    operation = {"requestBody": body(bodies["request"]), "responses": {"200": body(bodies.get("response", {}))}}
    return {"openapi": "3.1.0", "paths": {"/things": {"post": operation}}, "components": {"schemas": schemas}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _replays(monkeypatch) -> list:
    from aoai_changelog.surface import walker

    calls: list = []
    replay = walker._Walker.replay
    monkeypatch.setattr(walker._Walker, "replay", lambda self, *a: (calls.append(a), replay(self, *a)))
    return calls


def _same_as_a_plain_walk(snapshot: dict) -> dict:
    from aoai_changelog.surface.memo import forget_memo

    forget_memo()
    plain = surface_of(snapshot, "plain").rows
    assert list(memoised_surface_of(snapshot, "memo").rows.items()) == list(plain.items())
    return plain


def test_a_component_met_again_is_replayed_under_its_new_path(monkeypatch):
    replays = _replays(monkeypatch)
    item = {"type": "object", "properties": {"name": {"type": "string"}, "kind": {"enum": ["a", "b"]}}}
    rows = _same_as_a_plain_walk(_snapshot_with(
        {"request": {"first": _ref("Item"), "second": {"type": "array", "items": _ref("Item")}},
         "response": {"third": _ref("Item")}}, {"Item": item}))
    assert len(replays) == 2  # `second[]` and the response's `third`, from the walk below `first`
    assert "POST /things response.200 third.kind=b" in rows and "POST /things request second[].name" in rows


def test_a_replay_never_hides_a_recursion_through_an_ancestor(monkeypatch):
    # B is walked first from the body (A inside it recurses to B), then under A: there B's A is
    # a recursion, which the walk recorded from the body did not have.
    replays = _replays(monkeypatch)
    schemas = {"A": {"type": "object", "properties": {"b": _ref("B")}},
               "B": {"type": "object", "properties": {"a": _ref("A"), "v": {"type": "string"}}}}
    rows = _same_as_a_plain_walk(_snapshot_with({"request": {"x1": _ref("B"), "x2": _ref("A")}}, schemas))
    assert '"recursive":true' in rows["POST /things request x2.b.a"][4]
    assert "POST /things request x2.b.a.b" not in rows
    assert not replays


def test_a_replay_never_goes_past_the_depth_limit(monkeypatch):
    from aoai_changelog.surface.walker import MAX_DEPTH

    replays = _replays(monkeypatch)
    chain = {f"C{i}": {"type": "object", "properties": {"next": _ref(f"C{i + 1}")}} for i in range(MAX_DEPTH - 5)}
    chain[f"C{MAX_DEPTH - 5}"] = {"type": "string"}
    wrappers = {f"W{i}": {"type": "object", "properties": {"w": _ref(f"W{i + 1}")}} for i in range(10)}
    wrappers["W10"] = {"type": "object", "properties": {"c": _ref("C0")}}
    # `a` walks the chain whole; under `b`, ten levels deeper, the same chain reaches the limit.
    rows = _same_as_a_plain_walk(_snapshot_with({"request": {"a": _ref("C0"), "b": _ref("W0")}}, chain | wrappers))
    truncated = [identity for identity, row in rows.items() if '"truncated":true' in row[4]]
    assert truncated and all(identity.startswith("POST /things request b.") for identity in truncated)
    assert len(replays) < 10  # the chain's walks under `b` reach too deep to be replayed


def test_a_replay_never_overspends_a_body_budget(monkeypatch):
    from aoai_changelog.surface import walker

    monkeypatch.setattr(walker, "MAX_BODY_ELEMENTS", 30)
    small = {"type": "object", "properties": {f"s{i}": {"type": "string"} for i in range(10)}}
    large = {"type": "object", "properties": {f"t{i}": {"type": "string"} for i in range(25)}}
    # The request walks Small with budget to spare; the response has 3 left when it meets Small.
    rows = _same_as_a_plain_walk(_snapshot_with(
        {"request": {"small": _ref("Small")}, "response": {"a": _ref("Large"), "b": _ref("Small")}},
        {"Small": small, "Large": large}))
    assert '"truncated":true' in rows["POST /things response.200 b"][4]
    assert "POST /things response.200 b.s9" not in rows


def test_a_walk_cut_short_is_never_replayed_where_it_would_not_be(monkeypatch):
    from aoai_changelog.surface import walker

    monkeypatch.setattr(walker, "MAX_BODY_ELEMENTS", 30)
    small = {"type": "object", "properties": {f"s{i}": {"type": "string"} for i in range(10)}}
    large = {"type": "object", "properties": {f"t{i}": {"type": "string"} for i in range(25)}}
    # The request runs out of budget inside Small; the response walks it with budget to spare.
    rows = _same_as_a_plain_walk(_snapshot_with(
        {"request": {"a": _ref("Large"), "b": _ref("Small")}, "response": {"c": _ref("Small")}},
        {"Small": small, "Large": large}))
    assert "POST /things request b.s9" not in rows and "POST /things response.200 c.s9" in rows


def test_a_walk_stopped_by_the_depth_limit_is_never_replayed_higher_up():
    from aoai_changelog.surface.walker import MAX_DEPTH

    chain = {f"C{i}": {"type": "object", "properties": {"next": _ref(f"C{i + 1}")}} for i in range(MAX_DEPTH - 5)}
    chain[f"C{MAX_DEPTH - 5}"] = {"type": "string"}
    wrappers = {f"W{i}": {"type": "object", "properties": {"w": _ref(f"W{i + 1}")}} for i in range(10)}
    wrappers["W10"] = {"type": "object", "properties": {"c": _ref("C0")}}
    # The request meets the chain ten levels down (it reaches the limit), the response at the top.
    rows = _same_as_a_plain_walk(_snapshot_with({"request": {"b": _ref("W0")}, "response": {"a": _ref("C0")}},
                                                chain | wrappers))
    assert not any('"truncated":true' in row[4] for identity, row in rows.items() if " response.200 " in identity)


def test_a_budget_cut_below_a_replayed_field_marks_a_copy(monkeypatch):
    # Union's two variants share one label, so they merge: under `b`, A's `p` is replayed, then B's
    # `p` (another schema, at the same path) runs out of budget and marks that replayed field
    # truncated. The mark goes on a copy: the recorded walk, replayed elsewhere, stays as it was.
    from aoai_changelog.surface import walker

    monkeypatch.setattr(walker, "MAX_BODY_ELEMENTS", 30)
    strings = {f"q{i}": {"type": "string"} for i in range(20)}
    schemas = {"Union": {"oneOf": [_ref("A"), _ref("B")], "discriminator": {"propertyName": "type"}},
               "A": {"type": "object", "properties": {"type": {"enum": ["x"]}, "p": _ref("P")}},
               "B": {"type": "object", "properties": {"type": {"enum": ["x"]}, "p": _ref("Q")}},
               "P": {"type": "object", "properties": {"s1": {"type": "string"}}},
               "Q": {"type": "object", "properties": strings},
               "Fill": {"type": "object", "properties": {f"f{i}": {"type": "string"} for i in range(5)}}}
    rows = _same_as_a_plain_walk(_snapshot_with(
        {"request": {"a": _ref("Union")}, "response": {"a": _ref("Fill"), "b": _ref("Union")}}, schemas))
    assert [i for i, row in rows.items() if '"truncated":true' in row[4]] == ["POST /things response.200 b<x>.p"]
    assert '"truncated"' not in rows["POST /things request a<x>.p"][4]


def test_parameters_take_from_a_budget_of_their_own(monkeypatch):
    """Enum values of a parameter never draw on what the operation walked before left of its body
    budget: that depends on walking order, and a memoised surface walks fewer operations."""
    from aoai_changelog.surface import walker
    from aoai_changelog.surface.memo import forget_memo

    monkeypatch.setattr(walker, "MAX_BODY_ELEMENTS", 6)
    first = {"openapi": "3.1.0", "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {
        "schema": {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(5)}}}}}}}}}
    second = copy.deepcopy(first)
    second["paths"]["/b"] = {"get": {"parameters": [
        {"name": "q", "in": "query", "schema": {"type": "string", "enum": ["v1", "v2", "v3", "v4"]}}]}}
    forget_memo()
    memoised_surface_of(first, "first")  # /a is known: the memo does not walk it again
    plain = surface_of(second, "second").rows
    assert "GET /b query q=v4" in plain
    assert list(memoised_surface_of(second, "second").rows.items()) == list(plain.items())
