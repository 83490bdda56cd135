"""`migrate`: the guide from 2024-10-21 to v1 holds the ten things a client must do, and every
breaking change of the diff, stated once."""

from __future__ import annotations

import json

import pytest

from aoai_changelog.answers.migration import coverage, migration_guide
from aoai_changelog.pipeline.compare import compare
from conftest import run_cli, run_main


@pytest.fixture(scope="module")
def result(project, catalog):
    return compare(project, catalog, "2024-10-21", "v1")


@pytest.fixture(scope="module")
def guide(result):
    return migration_guide(result)


def test_guide_is_the_same_from_a_diff_that_counts_members(project, catalog, result, guide):
    """Guides are made from a diff that counts the members of added and removed subtrees on their
    root instead of listing them (98% of this diff): the guide must not change."""
    short = compare(project, catalog, "2024-10-21", "v1", list_members=False)
    members = [c for c in result.changes if c.with_parent]
    assert len(members) > 35000 and not any(c.breaking for c in members)
    assert not [c for c in short.changes if c.with_parent]  # every member placed under its root
    assert sum(short.left_out.values()) == len(members)
    assert len(short.changes) == len(result.changes) - len(members)
    assert migration_guide(short) == guide
    some = {"POST /chat/completions": "POST /chat/completions", "POST /responses": None}
    assert migration_guide(short, some) == migration_guide(result, some)


def _groups(guide, rule, location=None):
    return [g for g in guide["groups"] if g["rule"] == rule and (location is None or g["location"] == location)]


def _item(guide, operation, rule, path=None):
    entry = next(e for e in guide["operations"] if e["operation"] == operation)
    return [i for i in entry["must_change"] if i["rule"] == rule and (path is None or i["path"] == path)]


def test_every_breaking_change_is_in_the_guide_exactly_once(result, guide):
    breaking = sorted((c.key, c.attribute or "", c.rule) for c in result.changes if c.breaking)
    covered = sorted((r["key"], r["attribute"] or "", r["rule"]) for r in coverage(guide))
    assert len(breaking) > 150
    assert covered == breaking
    assert guide["summary"]["grouped_breaking"] + guide["summary"]["alone_breaking"] == len(breaking)


def test_new_base_url_without_deployment_segment_is_one_item_for_20_operations(guide):
    [moved] = _groups(guide, "operation-moved")
    assert len(moved["operations"]) == 20
    assert (moved["server_before"], moved["server_after"]) == ("{endpoint}/openai", "{endpoint}/openai/v1")
    assert moved["prefix_dropped"] == {"/deployments/{deployment-id}": ["POST /chat/completions", "POST /completions",
                                                                        "POST /embeddings"]}


def test_model_now_required_in_the_body(guide):
    [model] = [g for g in _groups(guide, "request-property-added-required") if g["paths"] == ["model"]]
    assert {"POST /chat/completions", "POST /embeddings", "POST /completions"} <= set(model["operations"])


def test_nine_operations_gone(guide):
    assert guide["removed_operations"] == [
        "DELETE /fine_tuning/jobs/{fine_tuning_job_id}", "POST /audio/transcriptions", "POST /audio/translations",
        "POST /files/import", "POST /images/generations", "POST /uploads", "POST /uploads/{upload_id}/cancel",
        "POST /uploads/{upload_id}/complete", "POST /uploads/{upload_id}/parts",
    ]
    assert not _groups(guide, "operation-removed")  # listed once, as "gone", not also as a group


def test_on_your_data_gone_from_chat_completions(guide):
    assert _item(guide, "POST /chat/completions", "request-property-removed", "data_sources")


def test_default_error_body_reshaped_once_for_most_operations(guide):
    [error] = [g for g in _groups(guide, "response-property-removed", "response.default") if g["paths"] == ["error"]]
    assert len(error["operations"]) >= 17


def test_success_statuses_moved(guide):
    [batches] = _item(guide, "POST /batches", "response-success-status-removed")
    assert batches["path"] == "" and batches["location"] == "response.200" and batches["now"] == ["201"]
    [files] = [g for g in _groups(guide, "response-success-status-removed") if "POST /files" in g["operations"]]
    assert files["location"] == "response.201" and files["now"]["POST /files"] == ["200"]


def test_response_fields_now_nullable_or_of_another_type(guide):
    nullable = [p for g in _groups(guide, "response-property-became-nullable") for p in g["paths"]]
    retyped = [(p, g["before"] if "before" in g else None) for g in _groups(guide, "response-property-type-changed")
               for p in g["paths"]]
    assert "fine_tuned_model" in nullable and "input_file_id" in nullable
    assert any(p == "finished_at" for p, _ in retyped)


def test_purpose_enum_values_removed(guide):
    """POST /files no longer accepts two `purpose` values. GET /files' `purpose` filter lists no
    values in v1 (a plain string upstream): it accepts them all still, so nothing is to change."""
    body = [i["path"] for i in _item(guide, "POST /files", "request-enum-value-removed")]
    assert {"purpose=fine-tune-results", "purpose=assistants_output"} <= set(body)
    assert not _item(guide, "GET /files", "request-enum-value-removed")


def test_required_accept_header_on_batches(guide):
    [accept] = [g for g in _groups(guide, "request-parameter-added-required") if g["paths"] == ["accept"]]
    assert accept["location"] == "header"
    assert accept["operations"] == ["GET /batches", "GET /batches/{batch_id}", "POST /batches",
                                    "POST /batches/{batch_id}/cancel"]


def test_errors_data_from_object_to_array_with_its_old_fields(guide):
    [group] = [g for g in _groups(guide, "response-property-type-changed") if "errors.data" in g["paths"]]
    assert set(group["operations"]) == {"GET /batches", "GET /batches/{batch_id}", "POST /batches/{batch_id}/cancel"}
    assert (group["before"], group["after"]) == ("object", "array")
    assert ".code: field removed" in group["nested"]


def test_text_guide_reads_in_a_few_screens_and_json_is_checkable():
    text = run_cli("migrate", "2024-10-21", "v1", check_rc=0).stdout
    assert 60 < len(text.splitlines()) < 400
    assert "Gone in v1 (9 operations)" in text and "base URL {endpoint}/openai -> {endpoint}/openai/v1" in text
    # The counts and the list of a group read as one statement.
    assert "/deployments/{deployment-id} dropped on 3 of the 20 operations listed (" in " ".join(text.split())
    assert "applies to 20 operations: DELETE /files/{file_id}," in text
    data = json.loads(run_main("migrate", "2024-10-21", "v1", "--format", "json", check_rc=0).stdout)
    diff = json.loads(run_main("diff", "2024-10-21", "v1", "--breaking-only", "--format", "json", check_rc=0).stdout)
    listed = [{"key": c["key"], "attribute": c["attribute"], "rule": c["rule"]} for c in diff["changes"]]
    assert sorted(json.dumps(r, sort_keys=True) for r in coverage(data)) == sorted(
        json.dumps(r, sort_keys=True) for r in listed)


def test_named_operations_only_and_an_unknown_one_said_plainly():
    out = run_cli("migrate", "2024-10-21", "v1", "--operation", "POST /deployments/{id}/embeddings",
                  "--operation", "GET /no/such/thing", check_rc=1).stdout
    assert "GET /no/such/thing: no such operation in 2024-10-21 or in v1" in out
    assert "POST /embeddings" in out and "POST /chat/completions" not in out
    assert "All 7 are specific to one operation." in out and "0 of them" not in out  # no group among them
    bad = run_main("migrate", "2024-10-21", "v1", "--operation", "chat", check_rc=2)
    assert bad.stderr.startswith("aoai-changelog: error:") and len(bad.stderr.splitlines()) == 1


def _spec(tmp_path, name, with_header: bool):
    tenant = {"name": "x-tenant", "in": "header", "required": True, "schema": {"type": "string"}}
    header = [tenant] if with_header else []
    ops = {f"/{thing}": {"get": {"parameters": header, "responses": {"200": {"description": "ok"}}}}
           for thing in ("a", "b", "c")}
    path = tmp_path / name
    path.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": ops}))
    return str(path)


def test_grouping_works_on_users_own_files(tmp_path):
    old, new = _spec(tmp_path, "old.json", False), _spec(tmp_path, "new.json", True)
    data = json.loads(run_cli("migrate", old, new, "--format", "json", check_rc=0).stdout)
    [group] = data["groups"]
    assert group["rule"] == "request-parameter-added-required" and group["operations"] == ["GET /a", "GET /b", "GET /c"]
    md = run_main("migrate", old, new, "--format", "markdown", check_rc=0).stdout
    assert md.startswith("# Migrating from old.json to new.json") and "`GET /a`" in md


def test_additions_made_on_many_operations_are_stated_once(guide):
    [error] = [n for n in guide["new_across"] if n["location"] == "response.default" and "code" in n["paths"]]
    assert len(error["operations"]) >= 17
    chat = next(e for e in guide["operations"] if e["operation"] == "POST /chat/completions")
    assert "code" not in chat["new"]["top"].get("response.default", [])  # not repeated under each operation
    assert chat["new"]["count"] > 100
