"""Distinct things get distinct keys, and real changes are seen (issue #16, part 4)."""

from __future__ import annotations

import json

from conftest import FIXTURES, run_cli

CRAFTED = FIXTURES / "untrusted"


def _elements(path) -> dict[str, dict]:
    return {e["key"]: e["attrs"]
            for e in json.loads(run_cli("show", str(path), "--json", check_rc=0).stdout)["elements"]}


def test_names_with_the_grammar_characters_do_not_collide():
    elements = _elements(CRAFTED / "key_collisions.yaml")
    # A flat `a.b` and the nested a -> b; a property `f=v` and enum value v of f; a property `[]`.
    assert elements["POST /pets request a\\.b"]["type"] == "string"
    assert elements["POST /pets request a.b"]["type"] == "integer"
    assert elements["POST /pets request f\\=v"]["type"] == "string"
    assert elements["POST /pets request f=v"] == {"value": "v"}
    assert elements["POST /pets request \\[\\]"]["type"] == "string"


def test_same_named_variants_from_two_namespaces_stay_apart():
    elements = _elements(CRAFTED / "key_collisions.yaml")
    assert elements["POST /pets request pet<Cat>.purrs"]["type"] == "boolean"
    assert elements["POST /pets request pet<ns2.Cat>.meows"]["type"] == "string"


def test_escaping_round_trips_in_the_key_helpers():
    from aoai_changelog.surface.keys import escape_name, variant_step

    assert escape_name("plain_name") == "plain_name"
    assert escape_name("a.b") == "a\\.b" and escape_name("x\\y") == "x\\\\y"
    assert variant_step("response.output_text.delta") == "<response.output_text.delta>"
    assert variant_step("a<b>") == "<a\\<b\\>>"


def test_a_body_whose_type_changes_is_reported_as_breaking():
    result = json.loads(run_cli("diff", str(CRAFTED / "body_string.yaml"), str(CRAFTED / "body_integer.yaml"),
                                "--format", "json", check_rc=0).stdout)
    changes = {(c["key"], c["rule"]): c for c in result["changes"]}
    assert ("POST /a request", "request-property-type-changed") in changes
    assert ("POST /a response.200", "response-property-type-changed") in changes
    assert all(c["breaking"] for c in changes.values())


def test_swagger_subtypes_named_alike_in_two_namespaces_stay_apart():
    elements = _elements(CRAFTED / "swagger_namespaces.json")
    assert elements["POST /pets request <Cat>.purrs"]["type"] == "boolean"
    assert elements["POST /pets request <ns2.Cat>.meows"]["type"] == "string"
