"""Dated revisions (issue: the v1 timeline and silent amendments), on the real upstream history."""

import json

import pytest

from aoai_changelog.pipeline.compare import compare
from conftest import ROOT, UPSTREAM, run_cli, run_main


def _operations(project, catalog, old, new):
    result = compare(project, catalog, old, new)
    return {(c.kind, c.operation) for c in result.changes if c.element == "operation"
            and c.kind in ("added", "removed")}


def test_catalog_lists_every_v1_revision_with_date_commit_and_title(catalog):
    v1 = catalog.get("v1").revisions
    assert [r["date"] for r in v1] == ["2025-08-01", "2025-08-04", "2025-08-21", "2025-08-28", "2025-09-10",
                                       "2025-11-07", "2025-12-15", "2026-01-22", "2026-06-01"]
    assert all(r["imported"] and r["title"] and len(r["commit"]) == 12 for r in v1)
    assert [r["id"] for r in v1 if r["canonical"]] == ["v1@2026-06-01"]
    assert len(catalog.get("v1-preview").revisions) == 8
    assert [r["id"] for r in catalog.get("v1-preview").revisions if r["canonical"]] == ["v1-preview@2026-06-01"]


def test_every_upstream_revision_file_is_accounted_for(catalog):
    """Each file under ../shared/upstream/revisions/ belongs to a listed revision: imported, or with a reason."""
    if not (UPSTREAM / "revisions").is_dir():
        pytest.skip(f"real upstream revisions absent: {UPSTREAM / 'revisions'}")
    files = {str(p.relative_to(UPSTREAM)) for p in (UPSTREAM / "revisions").rglob("*")
             if p.suffix in (".json", ".yaml")}
    listed = {}
    for version in catalog.versions:
        for revision in version.revisions:
            for doc in revision["documents"]:
                listed.setdefault(doc["file"], revision)
    json_files = {f for f in files if f.endswith(".json")}
    assert json_files <= set(listed), sorted(json_files - set(listed))[:5]
    # A YAML revision file belongs to a listed revision of the same commit (its JSON twin's, or its own,
    # listed as not imported when only the YAML file changed).
    commits = {r["commit"][:10] for v in catalog.versions for r in v.revisions}
    for yaml_file in sorted(files - json_files):
        commit = yaml_file.rsplit("_", 1)[1][:-5]
        assert commit in commits, yaml_file
        if yaml_file in listed:
            assert not listed[yaml_file]["imported"], yaml_file


def test_unimportable_revisions_say_why(catalog):
    _, broken = catalog.revision("2024-05-01-preview@2024-05-14")
    assert not broken["imported"] and "dangling $ref '#/definitions/OperationState'" in broken["reason"]
    _, yaml_only = catalog.revision("2024-05-01-preview@2024-08-08")
    assert not yaml_only["imported"] and "only the YAML file changed" in yaml_only["reason"]
    assert yaml_only["title"] == "Fix yml cannot load into pyyaml problem (#30125)"
    result = run_cli("diff", "2024-05-01-preview@2024-05-14", "v1")
    assert result.returncode == 2 and "not imported" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("old, new, expected", [
    # "remove new 'copy model' preview op for a future release"
    ("v1@2025-08-01", "v1@2025-08-04",
     {("removed", "POST /fine_tuning/jobs/{fine_tuning_job_id}/checkpoints/{fine_tuning_checkpoint_id}/copy")}),
    # "Updating v1 specs with Chat, Embeddings, Responses, and Vector Stores moved out of preview."
    ("v1@2025-08-21", "v1@2025-08-28", {("added", "POST /chat/completions"), ("added", "POST /embeddings"),
                                        ("added", "POST /responses"), ("added", "POST /vector_stores")}),
    # "[Azure.OpenAI.v1] Adding definitions for containers."
    ("v1@2025-08-28", "v1@2025-09-10", {("added", "POST /containers"), ("added", "GET /containers/{container_id}")}),
    # "Add sora-2 v1 apis to openai apis"
    ("v1@2025-09-10", "v1@2025-11-07", {("added", "POST /videos"), ("added", "GET /videos/{video_id}")}),
    # "[OpenAI.v1] Temporarily removing deployment-based multipart-form-data ..." (v1-preview)
    ("v1-preview@2025-08-04", "v1-preview@2025-08-21",
     {("removed", "POST /audio/transcriptions"), ("removed", "POST /images/edits")}),
])
def test_v1_timeline_matches_the_upstream_change_titles(project, catalog, old, new, expected):
    assert expected <= _operations(project, catalog, old, new)


def test_preview_gate_removed_from_evals(project, catalog):
    """'Removing preview gates from evals': the aoai-evals header parameter goes away."""
    result = compare(project, catalog, "v1@2025-12-15", "v1@2026-01-22")
    assert any(c.key == "GET /evals header aoai-evals" and c.kind == "removed" for c in result.changes)


def test_has_and_history_answer_in_dates():
    data = json.loads(run_cli("has", "POST /videos", "--json", check_rc=0).stdout)
    seen = data["matches"][0]["revisions"]["v1"]
    assert (seen["first_date"], seen["last_date"]) == ("2025-11-07", "2025-11-07")
    assert seen["first_title"] == "Add sora-2 v1 apis to openai apis (#38643)"
    assert run_main("has", "POST /videos", "--in", "v1@2025-11-07").returncode == 0
    assert run_main("has", "POST /videos", "--in", "v1@2026-06-01").returncode == 1
    # In every revision of a dated version (nothing to tell about its revisions, but present).
    assert run_main("has", "POST /chat/completions", "--in", "2024-04-01-preview@2024-10-07").returncode == 0
    history = json.loads(run_main("history", "POST /videos", "--json", check_rc=0).stdout)
    events = history["matches"][0]["timelines"]["v1"]["events"]
    assert [(e["date"], e["event"]) for e in events] == [("2025-11-07", "added"), ("2025-12-15", "removed")]
    text = run_main("history", "POST /chat/completions request max_completion_tokens", check_rc=0).stdout
    assert ("2025-08-28 (Updating v1 specs with Chat, Embeddings, Responses, and Vector Stores moved out of preview."
            in text)


def test_revisions_command_and_release_notes():
    text = run_cli("revisions", "v1", check_rc=0).stdout
    assert "v1@2025-11-07" in text and "Add sora-2 v1 apis" in text and "canonical" in text
    data = json.loads(run_main("revisions", "v1", "--json", check_rc=0).stdout)
    by_id = {r["id"]: r for r in data["revisions"]}
    assert by_id["v1@2025-08-04"]["summary"]["operations"]["removed"] == 2
    notes = (ROOT / "changelog" / "revisions" / "v1" / "README.md").read_text()
    assert notes.index("## 2026-06-01") < notes.index("## 2025-08-01")  # newest first
    assert "aoai-changelog diff v1@2025-09-10 v1@2025-11-07" in notes
    amendments = (ROOT / "changelog" / "revisions" / "2024-05-01-preview" / "README.md").read_text()
    assert amendments.startswith("# Amendments to 2024-05-01-preview")
    assert run_main("revisions", "v9").returncode == 2


def test_show_and_diff_accept_revision_ids():
    out = run_cli("show", "v1@2025-11-07", "--operation", "/videos", check_rc=0).stdout
    assert "revision of 2025-11-07: Add sora-2 v1 apis" in out and "POST /videos" in out
    data = json.loads(run_main("diff", "v1@2025-09-10", "v1@2025-11-07", "--format", "json", check_rc=0).stdout)
    assert data["from"]["date"] == "2025-09-10" and data["to"]["title"].startswith("Add sora-2")
    bad = run_main("show", "v1@2030-01-01")
    assert bad.returncode == 2 and "unknown revision" in bad.stderr


def test_feed_is_well_formed_whatever_the_upstream_title():
    """Upstream change titles are untrusted: markup and control characters stay text in the Atom feed."""
    from xml.etree import ElementTree

    from aoai_changelog.index.feeds import atom_feed

    hostile = 'v1 <script>alert("x")</script> & ]]> \x01\x1b[31m "quoted"'
    revisions = [{"id": "v1@2026-01-02", "date": "2026-01-02", "commit": "0123456789ab", "title": hostile,
                  "imported": True},
                 {"id": "v1@2026-01-03", "date": "2026-01-03", "commit": "<b>", "title": None, "imported": False}]
    text = atom_feed("v1", revisions, "https://example.invalid/a&b/")
    assert text == atom_feed("v1", revisions, "https://example.invalid/a&b/")  # same input, same bytes
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(text.encode("utf-8"))
    [entry] = feed.findall(f"{atom}entry")  # the revision that was not imported is no entry
    title = entry.findtext(f"{atom}title")
    assert title.startswith('2026-01-02 — v1 <script>alert("x")</script> & ]]> ') and "\x01" not in title
    assert "\x1b" not in title and "<script>" not in text
    assert entry.find(f"{atom}link").get("href") == "https://example.invalid/a&b/timeline/v1.html"
