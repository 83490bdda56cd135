"""The diff engine on the real specifications: every consecutive pair, the published changelog items."""

import json
from collections.abc import Callable

import pytest

from aoai_changelog.checker import RULES
from aoai_changelog.diff import diff_surfaces
from aoai_changelog.formatters import FORMATS
from aoai_changelog.pipeline.changelog import pairs
from aoai_changelog.pipeline.compare import compare
from conftest import ROOT, run_cli, run_main

DIFF_SCHEMA = json.loads((ROOT / "schema" / "diff.schema.json").read_text())
# The schema's keywords mean the same in draft 7 (what fastjsonschema compiles) as in its declared 2020-12;
# test_the_diff_schema_means_the_same_in_draft_7 keeps it so.
SAME_IN_DRAFT_7 = {"$defs", "$id", "$ref", "$schema", "additionalProperties", "const", "description", "enum", "items",
                   "maxLength", "maximum", "minLength", "minimum", "pattern", "properties", "required", "title", "type"}

# Items of Microsoft's hand-written "API version lifecycle" page that are visible in the specs,
# checked by hand in the real files: (from, to, rule, key).
PUBLISHED = [
    ("2024-08-01-preview", "2024-09-01-preview", "request-property-added", "POST /chat/completions request max_completion_tokens"),
    ("2024-08-01-preview", "2024-09-01-preview", "request-property-added", "POST /chat/completions request parallel_tool_calls"),
    ("2024-08-01-preview", "2024-09-01-preview", "request-property-added", "POST /chat/completions request stream_options"),
    ("2024-08-01-preview", "2024-09-01-preview", "request-property-added", "POST /chat/completions request stream_options.include_usage"),
    ("2024-08-01-preview", "2024-09-01-preview", "response-property-added", "POST /chat/completions response.200 usage.completion_tokens_details"),
    ("2024-08-01-preview", "2024-09-01-preview", "response-property-added", "POST /chat/completions response.200 usage.completion_tokens_details.reasoning_tokens"),
    ("2024-10-01-preview", "2024-12-01-preview", "request-property-added", "POST /chat/completions request store"),
    ("2024-10-01-preview", "2024-12-01-preview", "request-property-added", "POST /chat/completions request metadata"),
    ("2024-10-01-preview", "2024-12-01-preview", "request-property-added", "POST /chat/completions request reasoning_effort"),
    ("2024-10-01-preview", "2024-12-01-preview", "request-property-added", "POST /chat/completions request user_security_context"),
    ("2024-10-01-preview", "2024-12-01-preview", "request-variant-added", "POST /chat/completions request messages[]<developer>"),
    ("2024-07-01-preview", "2024-08-01-preview", "request-variant-added", "POST /chat/completions request response_format<json_schema>"),
    ("2024-05-01-preview", "2024-06-01", "operation-removed", "POST /threads"),
    ("2025-04-01-preview", "v1", "operation-moved", "POST /chat/completions"),
]


@pytest.fixture(scope="module")
def consecutive(project, catalog):
    return {(p.old, p.new): compare(project, catalog, p.old, p.new) for p in pairs(catalog)}


@pytest.mark.parametrize("old, new, rule, key", PUBLISHED)
def test_published_changelog_items_are_found_at_the_right_operation(project, catalog, old, new, rule, key):
    result = compare(project, catalog, old, new)
    hits = [c for c in result.changes if c.key == key]
    assert hits, f"{key} missing from {old} -> {new}"
    assert rule in {c.rule for c in hits}
    assert all(c.operation == key.split(" request ")[0].split(" response")[0] for c in hits)


def _compiled_validator() -> tuple[Callable, type[Exception]]:
    """(validate, its error) for the diff schema: compiled by fastjsonschema (the `test` extra), or
    jsonschema's interpreter where an environment installed before the extra listed it (same check, 14 s slower)."""
    try:
        import fastjsonschema
    except ImportError:
        import jsonschema

        return jsonschema.Draft202012Validator(DIFF_SCHEMA).validate, jsonschema.ValidationError
    return fastjsonschema.compile(DIFF_SCHEMA), fastjsonschema.JsonSchemaValueException


def _keywords(schema, found: set, in_names: bool = False) -> set:
    """Every keyword the schema uses (the keys of `properties` and `$defs` are names, not keywords),
    and, for a `$ref` with siblings (draft 7 ignores them, 2020-12 applies them), the marker "$ref+"."""
    if isinstance(schema, dict):
        if not in_names and "$ref" in schema and set(schema) - {"$ref", "description"}:
            found.add("$ref+")
        for key, value in schema.items():
            if not in_names:
                found.add(key)
            _keywords(value, found, in_names=not in_names and key in ("properties", "$defs"))
    elif isinstance(schema, list):
        for value in schema:
            _keywords(value, found)
    return found


def test_the_diff_schema_means_the_same_in_draft_7():
    assert _keywords(DIFF_SCHEMA, set()) <= SAME_IN_DRAFT_7, _keywords(DIFF_SCHEMA, set()) - SAME_IN_DRAFT_7
    validate, error = _compiled_validator()
    good = {"from": {"id": "a"}, "to": {"id": "b"}, "summary": {
        "total": 1, "breaking": 0, "added": 1, "removed": 0, "changed": 0,
        "levels": {"error": 0, "warning": 0, "info": 1}, "operations": {"added": 0, "removed": 0, "changed": 1}},
        "changes": [{"rule": "request-property-added", "kind": "added", "key": "POST /x request a", "element": "field",
                     "operation": "POST /x", "location": "request", "attribute": None, "breaking": False,
                     "level": "info", "before": None, "after": None, "with_parent": False, "text": "field added"}]}
    validate(good)
    for bad_change in ({"rule": "Not A Rule"}, {"location": "body"}, {"key": ""}, {"extra": 1}, {"level": "fatal"}):
        with pytest.raises(error):
            validate({**good, "changes": [{**good["changes"][0], **bad_change}]})


def test_every_consecutive_pair_diffs_cleanly_and_validates(consecutive):
    # 114,000 changes: 14 s with jsonschema (an interpreter), 0.1 s compiled by fastjsonschema.
    validate, _ = _compiled_validator()
    for (old, new), result in consecutive.items():
        data = json.loads(FORMATS["json"](result))
        validate(data)
        assert data["from"]["id"] == old and data["to"]["id"] == new
        assert all(c["rule"] in RULES for c in data["changes"])
        # Never a change of prose, examples or api-version values.
        assert not any(c["attribute"] in ("description", "summary", "title", "example", "examples") for c in data["changes"])
        assert not any(c["key"].endswith("query api-version") and c["attribute"] in ("default", "enum") for c in data["changes"])


def test_reverse_diff_is_the_mirror(surface, consecutive):
    for (old, new), result in list(consecutive.items())[:6] + list(consecutive.items())[-3:]:
        back = diff_surfaces(surface(new), surface(old))
        assert {c.identity for c in result.changes if c.kind == "added"} == {c.identity for c in back.changes if c.kind == "removed"}
        assert {c.identity for c in result.changes if c.kind == "removed"} == {c.identity for c in back.changes if c.kind == "added"}
        assert len([c for c in result.changes if c.kind == "changed"]) == len([c for c in back.changes if c.kind == "changed"])


def test_same_version_is_an_empty_diff(surface):
    assert diff_surfaces(surface("v1"), surface("v1")).changes == []


def test_renamed_components_between_generations_do_not_show(surface):
    """2025-04-01-preview names the request `createChatCompletionRequest`, v1 inlines it under a new
    name: fields that kept their shape produce no change at all."""
    result = diff_surfaces(surface("2025-04-01-preview"), surface("v1"))
    keys = {c.key for c in result.changes}
    assert "POST /chat/completions request max_completion_tokens" not in keys
    assert "POST /chat/completions request messages" not in keys


def test_output_is_byte_identical_across_runs():
    first = run_cli("diff", "2024-10-21", "v1", "--format", "markdown", check_rc=0).stdout
    second = run_cli("diff", "2024-10-21", "v1", "--format", "markdown", check_rc=0).stdout
    assert first == second and len(first) > 1000


def test_cli_diff_options_and_exit_codes(tmp_path):
    text = run_cli("diff", "2024-08-01-preview", "2024-09-01-preview", "--format", "text", "--scope", "chat/completions request", check_rc=0).stdout
    assert "request max_completion_tokens: field added" in text
    assert "GET /batches" not in text
    # One real process above; the other options in this one.
    data = json.loads(run_main("diff", "2024-10-21", "v1", "--breaking-only", "--format", "json", check_rc=0).stdout)
    assert data["changes"] and all(c["breaking"] for c in data["changes"])
    assert run_main("diff", "2024-10-21", "v1", "--fail-on-breaking", "--format", "json").returncode == 1
    assert run_main("diff", "v1", "v1", "--fail-on-breaking", "--format", "json").returncode == 0
    bad = run_main("diff", "2024-10-21", "nope")
    assert bad.returncode == 2 and "unknown version 'nope'" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_diff_accepts_spec_files(upstream):
    base = upstream / "azure-rest-api-specs/specification/cognitiveservices/data-plane/AzureOpenAI/inference/stable"
    result = run_cli("diff", str(base / "2024-06-01/inference.json"), str(base / "2024-10-21/inference.yaml"), "--format", "json", check_rc=0)
    data = json.loads(result.stdout)
    assert data["from"]["id"] == "inference.json" and data["to"]["id"] == "inference.yaml"
    added = {c["key"]: c["rule"] for c in data["changes"] if c["kind"] == "added"}
    # stream_options arrived in the GA line with 2024-10-21 (seen in the two upstream files by hand).
    assert added.get("POST /chat/completions request stream_options") == "request-property-added"
    assert data["summary"]["total"] == len(data["changes"])
