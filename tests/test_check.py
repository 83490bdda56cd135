"""`check`: a real request body against each version's request schema (jsonschema, from the snapshots)."""

from __future__ import annotations

import json

import pytest

from aoai_changelog.answers.check_versions import check_body
from conftest import run_cli, run_main

CHAT = "POST /chat/completions"
BODY = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "developer", "content": "Answer in one line."}, {"role": "user", "content": "Hi"}],
    "max_completion_tokens": 100,
    "reasoning_effort": "low",
}


@pytest.fixture(scope="module")
def table(project, catalog):
    report = check_body(project, catalog, BODY, CHAT, catalog.ids())
    return {r["version"]: r for r in report["results"]}


def test_developer_message_body_accepted_from_2024_12_01_preview_and_by_v1(table, catalog):
    accepted = [v for v in catalog.ids() if table[v]["result"] == "accepted"]
    assert accepted == ["2024-12-01-preview", "2025-01-01-preview", "2025-02-01-preview", "2025-03-01-preview",
                        "2025-04-01-preview", "v1-preview", "v1"]


def test_2024_10_21_rejects_the_developer_role_and_says_where(table):
    verdict = table["2024-10-21"]
    assert verdict["result"] == "rejected"
    [reason] = verdict["reasons"]
    assert reason.startswith('value "developer" not allowed at messages[0].role (allowed: ')
    assert '"system"' in reason and '"user"' in reason
    assert "reasoning_effort" in verdict["unknown_fields"]  # a warning: the version does not know it
    assert "messages" not in verdict["unknown_fields"]


def test_without_model_v1_and_v1_preview_reject_it_for_that_reason(project, catalog):
    body = {k: v for k, v in BODY.items() if k != "model"}
    report = check_body(project, catalog, body, CHAT, ["2025-04-01-preview", "v1-preview", "v1"])
    verdicts = {r["version"]: r for r in report["results"]}
    assert verdicts["2025-04-01-preview"]["result"] == "accepted"
    for version in ("v1-preview", "v1"):
        assert verdicts[version]["reasons"] == ["missing required field `model`"]


def test_exit_codes_and_formats(tmp_path):
    body = tmp_path / "body.json"
    body.write_text(json.dumps(BODY))
    accepted = run_cli("check", str(body), "--operation", CHAT, "--in", "v1", check_rc=0).stdout
    assert accepted.splitlines()[1].split() == ["v1", "accepted"]
    rejected = run_main("check", str(body), "--operation", CHAT, "--in", "2024-10-21", check_rc=1).stdout
    assert 'value "developer" not allowed at messages[0].role' in rejected
    data = json.loads(run_main("check", str(body), "--operation", CHAT, "--in", "2024-10-21", "--format", "json",
                              check_rc=1).stdout)
    assert data["results"][0]["result"] == "rejected" and data["accepted_by"] == []
    md = run_main("check", str(body), "--operation", CHAT, "--in", "v1", "--format", "markdown", check_rc=0).stdout
    assert "| v1 | accepted |" in md


def test_wrong_types_are_named_with_the_types_a_union_takes(project, catalog):
    body = {"model": "m", "input": 3, "dimensions": 0}
    [verdict] = check_body(project, catalog, body, "POST /embeddings", ["v1"])["results"]
    assert "wrong type at input: expected string or array, got integer" in verdict["reasons"]
    assert any(r.startswith("at dimensions:") for r in verdict["reasons"])


def test_bad_input_exit_2_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    cases = [
        (str(bad), "--operation", CHAT),
        (str(tmp_path / "missing.json"), "--operation", CHAT),
        (str(bad.parent), "--operation", CHAT),
    ]
    good = tmp_path / "good.json"
    good.write_text("{}")
    cases += [(str(good), "--operation", "chat please"), (str(good), "--operation", "POST /no/such"),
              (str(good), "--operation", CHAT, "--in", "2023-01-01")]
    for args in cases:
        result = run_cli("check", *args, check_rc=2)
        assert result.stderr.startswith("aoai-changelog: error:") and len(result.stderr.splitlines()) == 1, args


def test_every_missing_field_is_named(project, catalog):
    body = {"model": "m", "messages": [{"role": "tool"}]}
    [verdict] = check_body(project, catalog, body, CHAT, ["v1"])["results"]
    assert verdict["reasons"] == ["missing required field `content` at messages[0]",
                                  "missing required field `tool_call_id` at messages[0]"]
