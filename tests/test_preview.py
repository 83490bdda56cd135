"""`preview`: header gates, preview path segments and preview-only operations, from the snapshots."""

from __future__ import annotations

import json

from aoai_changelog.answers.gates import is_preview_word, preview_report
from conftest import run_cli, run_main


def _gate(report, header):
    return next((g for g in report["header_gates"] if g["header"] == header), None)


def test_evals_gated_by_a_header_in_v1_2025_12_15_and_no_longer_in_2026_01_22(project, catalog):
    before = preview_report(project, catalog, "v1@2025-12-15")
    evals = _gate(before, "aoai-evals")
    assert evals["value"] == "preview"
    assert "POST /evals" in evals["operations"] and "GET /evals/{eval_id}/runs" in evals["operations"]
    after = preview_report(project, catalog, "v1@2026-01-22")
    assert _gate(after, "aoai-evals") is None
    assert _gate(after, "aoai-copy-ft-checkpoints")["value"] == "preview"  # the other gate stays


def test_v1_preview_segments_and_operations_only_in_v1_preview(project, catalog):
    report = preview_report(project, catalog, "v1")
    [alpha] = report["path_gates"]
    assert alpha["segment"] == "alpha" and "POST /fine_tuning/alpha/graders/run" in alpha["operations"]
    only = report["preview_only"]
    assert only["preview"] == "v1-preview" and "POST /audio/transcriptions" in only["operations"]
    assert "POST /chat/completions" not in only["operations"]
    dated = preview_report(project, catalog, "v1@2025-12-15")["preview_only"]
    assert dated["preview"] == "v1-preview@2025-12-15"  # the twin at the same date


def test_preview_words():
    assert is_preview_word("preview") and is_preview_word("alpha") and is_preview_word("2025-04-01-preview")
    assert not is_preview_word("application/json") and not is_preview_word("previews-of-files")


def test_cli_forms_and_bad_input():
    text = run_cli("preview", "v1@2025-12-15", check_rc=0).stdout
    assert "aoai-evals: preview" in text
    data = json.loads(run_main("preview", "v1", "--format", "json", check_rc=0).stdout)
    assert data["header_gates"][0]["header"] == "aoai-copy-ft-checkpoints"
    assert "| `aoai-copy-ft-checkpoints` | `preview` |" in run_main("preview", "v1", "--format", "markdown",
                                                                   check_rc=0).stdout
    bad = run_main("preview", "v9", check_rc=2)
    assert bad.stderr.startswith("aoai-changelog: error:") and len(bad.stderr.splitlines()) == 1
