"""Site pieces of the answers: migration guides per dated version, the v1 support table, and the
browser's body check (site/assets/check.js), which must give the command line's verdicts."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from aoai_changelog.answers.check_versions import check_body
from aoai_changelog.answers.migration_files import migration_pairs
from aoai_changelog.answers.schema_bundles import check_files
from conftest import ROOT

CHECK_JS = ROOT / "site" / "assets" / "check.js"


def test_a_guide_from_every_dated_version_to_v1_and_to_the_latest_dated_ga(catalog):
    pairs = migration_pairs(catalog)
    dated = [v.id for v in catalog.versions if v.release_date]
    assert [a for a, b in pairs if b == "v1"] == dated
    assert ("2024-10-21", "v1") in pairs and ("2024-02-01", "2024-10-21") in pairs
    assert not any(b == "2024-10-21" and a.startswith("2025") for a, b in pairs)  # never "back" to an older GA


def test_v1_support_rows(tmp_path):
    from aoai_changelog.index.featureindex import load_index
    from aoai_changelog.sitegen.answers_pages import support_page, support_rows
    from aoai_changelog.sitegen.data import SiteData

    # Only what the page reads (the feature index), not the whole site data with every diff.
    data = SiteData(ROOT / "changelog", load_index(ROOT / "changelog" / "features.json"),
                    versions=json.loads((ROOT / "changelog" / "versions.json").read_text())["versions"])
    rows = {r["operation"]: r for area in support_rows(data).values() for r in area}
    assert rows["POST /chat/completions"]["state"] == "ga" and rows["POST /chat/completions"]["since"] == "2025-08-28"
    evals = rows["POST /evals"]
    assert evals["state"] == "ga"
    assert "preview until 2026-01-22" in evals["how"] and "aoai-evals: preview" in evals["how"]
    copy = rows["POST /fine_tuning/jobs/{fine_tuning_job_id}/checkpoints/{fine_tuning_checkpoint_id}/copy"]
    assert copy["state"] == "preview" and "aoai-copy-ft-checkpoints: preview" in copy["how"]
    assert rows["POST /fine_tuning/alpha/graders/run"]["state"] == "preview"
    assert rows["POST /audio/transcriptions"]["state"] == "preview-only"
    assert rows["POST /uploads"]["state"] == "absent"
    page = support_page(data)
    assert page.startswith("# v1 API support") and "| [evals](#evals) | 12 |" in page


@pytest.fixture(scope="module")
def bundles(project, catalog, tmp_path_factory):
    ids = catalog.ids()
    from aoai_changelog.store.snapshots import load_snapshot, load_surface

    files = check_files((v, load_snapshot(project, catalog, v), load_surface(project, catalog, v)) for v in ids)
    folder = tmp_path_factory.mktemp("check")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder / "api" / "check", files


def test_check_data_stays_small_enough_for_the_page(bundles):
    folder, files = bundles
    index = json.loads(files["api/check/index.json"])
    assert len(files["api/check/index.json"]) < 100_000
    chat = index["operations"]["POST /chat/completions"]
    assert set(chat) == set(index["versions"])
    # before the first answer the page loads check.js, the index and one schema: far below 1 MB
    largest = max(len(t) for n, t in files.items() if n.startswith("api/check/schemas/"))
    assert CHECK_JS.stat().st_size + len(files["api/check/index.json"]) + largest < 1_000_000


BODIES = [
    ("POST /chat/completions",
     {"model": "m", "messages": [{"role": "developer", "content": "x"}, {"role": "user", "content": "Hi"}],
                                "max_completion_tokens": 100, "reasoning_effort": "low"}),
    ("POST /chat/completions", {"messages": [{"role": "user", "content": 5}], "temperature": "hot",
                                "stream_options": {"include_usage": 1}, "foo": 1}),
    ("POST /embeddings", {"model": "m", "input": 3, "dimensions": 0}),
    ("POST /chat/completions",
     {"model": "m", "messages": [{"role": "tool"}, {"role": "user", "content": [{"type": "image_url"}]}]}),
    ("POST /batches",
     {"input_file_id": "f", "endpoint": "/chat/completions", "completion_window": "24h", "metadata": {"a": "b"}}),
]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js absent: the browser checker is tested with node")
def test_the_browser_checker_gives_the_command_lines_verdicts(project, catalog, bundles):
    from aoai_changelog.answers.operations import operation_identity_of

    folder, files = bundles
    index = json.loads(files["api/check/index.json"])
    cases, expected = [], []
    for operation, body in BODIES:
        versions = sorted(index["operations"][operation], key=catalog.ids().index)
        for r in check_body(project, catalog, body, operation_identity_of(operation), versions)["results"]:
            schema = folder / "schemas" / f"{index['operations'][operation][r['version']]}.json"
            cases.append({"schema": str(schema), "body": body})
            expected.append({"result": r["result"], "reasons": r["reasons"], "unknown_fields": r["unknown_fields"]})
    script = ("const c = require(process.argv[1]); const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(cases.map(k => c.check(require(k.schema), k.body))));")
    out = subprocess.run(["node", "-e", script, str(CHECK_JS)], input=json.dumps(cases), capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout) == expected
    assert any(e["result"] == "accepted" for e in expected) and any(e["result"] == "rejected" for e in expected)
