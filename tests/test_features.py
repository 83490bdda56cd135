"""`has`, `history` and the committed changelog/: answers a user can check by hand."""

import json

from aoai_changelog.index.featureindex import build_index
from aoai_changelog.index.indexstore import MemoryStore
from aoai_changelog.index.queries import find, history, presence
from aoai_changelog.store.atomic import tree_differences
from conftest import ROOT, run_cli, run_main


def test_has_max_completion_tokens_first_seen_in_2024_09_01_preview():
    result = run_cli("has", "POST /chat/completions request max_completion_tokens", "--json", check_rc=0)
    match = json.loads(result.stdout)["matches"][0]
    assert match["first_seen"] == "2024-09-01-preview" and match["last_seen"] == "v1"
    assert "2024-08-01-preview" not in match["versions"] and "2024-10-21" in match["versions"]


def test_has_exit_codes_by_version():
    key = "POST /chat/completions request store"
    assert run_cli("has", key, "--in", "2024-12-01-preview").returncode == 0
    assert run_main("has", key, "--in", "2024-10-21").returncode == 1
    bad = run_main("has", key, "--in", "2023-13-01")
    assert bad.returncode == 2 and "unknown version" in bad.stderr


def test_has_by_bare_name_operation_and_suggestions():
    wav = json.loads(run_cli("has", "wav", "--json", check_rc=0).stdout)
    assert any(m["key"] == "POST /audio/speech request response_format=wav" for m in wav["matches"])
    batches = json.loads(run_main("has", "/batches", "--json", check_rc=0).stdout)
    assert {m["key"] for m in batches["matches"]} == {"GET /batches", "POST /batches"}
    post = json.loads(run_main("has", "POST /batches", "--json", check_rc=0).stdout)
    assert [m["key"] for m in post["matches"]] == ["POST /batches"]
    # An old spelling of the path finds the same operation.
    old = json.loads(run_main("has", "GET /batches/{batch-id}", "--json", check_rc=0).stdout)
    assert [m["key"] for m in old["matches"]] == ["GET /batches/{batch_id}"]
    miss = run_main("has", "max_completion_token")
    assert miss.returncode == 1 and "max_completion_tokens" in miss.stdout


def test_history_shows_gaps_and_attribute_changes():
    data = json.loads(run_cli("history", "POST /threads", "--json", check_rc=0).stdout)
    events = data["matches"][0]["timelines"]["versions"]["events"]
    kinds = [(e["version"], e["event"]) for e in events]
    # Assistants threads exist in previews, not in the GA versions in between.
    assert ("2024-06-01", "removed") in kinds and ("2024-07-01-preview", "re-added") in kinds
    text = run_main("history", "POST /chat/completions request response_format.type", check_rc=0).stdout
    assert "enum +json_schema" in text


def test_index_reproduces_pairwise_added_and_removed_sets(surface, catalog):
    timeline = catalog.ids()[-4:]
    store = MemoryStore(build_index({"versions": [(v, surface(v)) for v in timeline]}))
    for a, b in zip(timeline, timeline[1:]):
        ia, ib = timeline.index(a), timeline.index(b)
        added = {i for i in surface(b).elements if i not in surface(a).elements}
        from_index = {i for i in store._elements if ib in _positions(store, i) and ia not in _positions(store, i)}
        assert added == from_index


def _positions(store, identity):
    return {p for first, last in store.entry(identity)["present"]["versions"] for p in range(first, last + 1)}


def test_find_and_presence_on_memory_store(surface, catalog):
    timeline = catalog.ids()
    store = MemoryStore(json.loads((ROOT / "changelog" / "features.json").read_text()))
    assert store.versions == timeline
    [identity] = find(store, "POST /chat/completions request stream_options.include_usage")
    assert presence(store, identity)["first_seen"] == "2024-09-01-preview"
    assert history(store, identity)["events"][0]["event"] == "added"


def test_committed_changelog_is_up_to_date(built_project):
    """The committed changelog/ is byte for byte what `build` makes from the committed specs/ (the
    session's one build, in a copy of the project)."""
    fresh = {p.relative_to(built_project / "changelog").as_posix(): p.read_text(encoding="utf-8")
             for p in (built_project / "changelog").rglob("*") if p.is_file()}
    assert len(fresh) > 40 and "features.json" in fresh and "rules.md" in fresh
    stale = tree_differences(ROOT / "changelog", fresh)
    assert stale == [], f"changelog/ is stale, run `aoai-changelog build`: {stale[:5]}"


def _grouped_order(stdout: str) -> list[str]:
    """The operations of `has NAME` (grouped text), in the order printed."""
    return [line.split(":", 1)[0] for line in stdout.splitlines()[1:] if line[:1].isupper() and ": " in line]


def test_bare_name_in_version_answers_for_its_best_ranked_operation():
    # 2024-08-01-preview has max_completion_tokens in Assistants (POST /threads/runs) but not yet in
    # chat (first seen 2024-09-01-preview): a flat "present" would mislead a script asking about chat.
    before = run_cli("has", "max_completion_tokens", "--in", "2024-08-01-preview", check_rc=1)
    headline = before.stdout.splitlines()[0]
    assert "absent in 2024-08-01-preview at POST /chat/completions, the best match" in headline
    assert "present at POST /threads/runs" in headline
    after = run_main("has", "max_completion_tokens", "--in", "2024-09-01-preview", check_rc=0)
    assert "present in 2024-09-01-preview at POST /chat/completions, the best match" in after.stdout.splitlines()[0]
    data = json.loads(run_main("has", "max_completion_tokens", "--in", "2024-08-01-preview", "--json",
                              check_rc=1).stdout)
    assert data["present"] is False
    assert data["operations"][0] == {"operation": "POST /chat/completions", "in_version": False}
    assert {"operation": "POST /threads/runs", "in_version": True} in data["operations"]
    # A full key still answers for itself alone.
    run_main("has", "POST /threads/runs request max_completion_tokens", "--in", "2024-08-01-preview", check_rc=0)


def test_bare_name_ranks_operations_the_same_with_and_without_in():
    grouped = _grouped_order(run_cli("has", "max_completion_tokens", check_rc=0).stdout)
    assert grouped[0] == "POST /chat/completions" and len(grouped) == 14
    data = json.loads(run_main("has", "max_completion_tokens", "--in", "2024-09-01-preview", "--json",
                              check_rc=0).stdout)
    assert [o["operation"] for o in data["operations"]] == grouped
    text = run_main("has", "max_completion_tokens", "--in", "2024-09-01-preview", check_rc=0).stdout
    listed = [line.split("  ", 1)[1] if line.startswith("[absent]") else line[len("[present] "):]
              for line in text.splitlines() if line.startswith("[")]
    operations = list(dict.fromkeys(" ".join(key.split(" ")[:2]) for key in listed))
    assert operations == grouped


def test_field_tail_without_variant_labels_finds_labelled_elements():
    # README "Element keys": a plain object whose tag has one value is that variant, so a tail typed
    # without the label names the labelled element too (v1 spells chat tools `tools[]<function>`).
    data = json.loads(run_cli("has", "tools[].function.name", "--json", check_rc=0).stdout)
    keys = [m["key"] for m in data["matches"]]
    assert "POST /chat/completions request tools[]<function>.function.name" in keys
    assert keys[0].startswith("POST /chat/completions request ")  # ranked: chat first
    history = run_main("history", "tools[].function.name", "--json", check_rc=0)
    assert "POST /chat/completions request tools[]<function>.function.name" in history.stdout
    # A tail typed with a label stays exact: no unlabelled element matches it.
    labelled = json.loads(run_main("has", "tools[]<function>.function.name", "--json", check_rc=0).stdout)
    assert all("<function>" in m["key"] for m in labelled["matches"])
