"""`has A B C [--oldest] [--channel]`: several features at once, per operation; bare names grouped;
preview gates mentioned."""

from __future__ import annotations

import json

from conftest import run_cli, run_main

FOUR = ["max_completion_tokens", "response_format.type=json_schema", "stream_options.include_usage",
        "parallel_tool_calls"]


def test_oldest_version_with_all_four_chat_features():
    data = json.loads(run_cli("has", *FOUR, "--oldest", "--json", check_rc=0).stdout)
    chat = data["operations"][0]
    assert chat["operation"] == "POST /chat/completions"
    assert chat["oldest"] == "2024-09-01-preview"
    assert chat["oldest_ga"] == "v1"
    assert chat["revisions"]["v1"]["date"] == "2025-08-28"
    lacks = {row["version"]: row["lacks"] for row in chat["versions"]}
    assert lacks["2024-10-21"] == ["stream_options.include_usage"]
    assert lacks["2024-09-01-preview"] == []


def test_text_names_the_feature_that_holds_a_version_back():
    text = run_cli("has", *FOUR, "--oldest", check_rc=0).stdout
    assert "oldest: 2024-09-01-preview; oldest GA: v1; v1: since 2025-08-28" in text
    assert any(line.split() == ["2024-10-21", "lacks", "stream_options.include_usage"] for line in text.splitlines())


def test_in_one_version_exit_codes_and_channel():
    assert run_cli("has", *FOUR, "--in", "2024-10-21").returncode == 1
    assert run_main("has", *FOUR, "--in", "2025-04-01-preview").returncode == 0
    data = json.loads(run_main("has", "max_completion_tokens", "parallel_tool_calls", "--channel", "ga", "--json",
                              check_rc=0).stdout)
    chat = data["operations"][0]
    assert [r["version"] for r in chat["versions"]] == ["2024-02-01", "2024-06-01", "2024-10-21", "v1"]
    assert chat["oldest"] == "2024-10-21"
    assert list(chat["revisions"]) == ["v1"]  # v1-preview is a preview channel: --channel ga leaves it out
    missing = run_main("has", "max_completion_tokens", "no_such_feature_anywhere", check_rc=1).stdout
    assert "no element matches 'no_such_feature_anywhere'" in missing


def test_bare_name_over_many_operations_is_grouped_most_relevant_first():
    text = run_cli("has", "max_completion_tokens", check_rc=0).stdout
    lines = text.splitlines()
    assert lines[0].startswith("'max_completion_tokens' matches ") and "operations (most relevant first)" in lines[0]
    assert lines[1].startswith("POST /chat/completions: ")
    assert len(lines) < 80


def test_has_mentions_the_preview_gate_and_its_removal():
    text = run_cli("has", "POST /evals", check_rc=0).stdout
    assert "was preview: send header aoai-evals: preview (v1: 2025-08-01 until 2026-01-22" in text
    copy = run_main("has", "POST /fine_tuning/jobs/{id}/checkpoints/{cp}/copy", check_rc=0).stdout
    assert "preview: send header aoai-copy-ft-checkpoints: preview (v1: since " in copy
