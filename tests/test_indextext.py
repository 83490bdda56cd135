"""Queries on a fresh clone read changelog/features.json's text (indextext.py) instead of parsing it
whole: the answers must be the parsed index's, element for element."""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest

from aoai_changelog.index.indexstore import MemoryStore
from aoai_changelog.index.indextext import open_text_store
from conftest import ROOT, run_cli, run_main

FEATURES = ROOT / "changelog" / "features.json"


def test_text_lookups_equal_the_parsed_index():
    text, parsed = open_text_store(str(FEATURES)), MemoryStore(json.loads(FEATURES.read_bytes()))
    assert (text.timelines, text.labels, text.versions) == (parsed.timelines, parsed.labels, parsed.versions)
    identities = sorted(parsed._elements)
    sample = random.Random(15).sample(identities, 12) + identities[:2] + identities[-2:]
    for identity in sample:
        entry = parsed.entry(identity)
        assert text.entry(identity) == entry and text.states(identity) == parsed.states(identity)
        assert text.by_key(entry["key"]) == parsed.by_key(entry["key"])
        if entry["kind"] == "operation":
            shape = identity.split(" ", 1)[1]
            assert text.operations_with_shape(shape) == parsed.operations_with_shape(shape)
    # Rare names (one `find` loop), names that also occur in version names (a regular expression).
    for name in ("max_completion_tokens", "alpha", "/batches/{batch_id}", "preview", "no_such_name_anywhere",
                 *(parsed.entry(i)["name"] for i in sample[:4])):
        assert text.by_name(name) == parsed.by_name(name), name
    for name in ("Store", "WAV"):
        assert text.by_name(name, ignore_case=True) == parsed.by_name(name, ignore_case=True), name
    some = (0, 1, len(parsed._attrs) - 1)
    assert [text.attrs(i) for i in some] == [parsed.attrs(i) for i in some]
    assert text.entry("GET /no/such/thing") is None and text.by_key("GET /no/such/thing") == []
    assert text.names() == parsed.names()  # suggestions after a miss, read without parsing the file


def test_has_on_a_fresh_clone_answers_like_a_built_checkout(tmp_path):
    clone = tmp_path / "clone"
    for part in ("specs", "changelog", "schema"):
        shutil.copytree(ROOT / part, clone / part)
    for args in (["has", "POST /chat/completions request store", "--in", "v1"], ["has", "max_completion_tokens"]):
        fresh = run_cli("--root", str(clone), *args)
        assert fresh.stdout and not (clone / "build" / "cache" / "features.sqlite").exists()
        ours = run_main(*args)
        assert (fresh.returncode, fresh.stdout, fresh.stderr) == (ours.returncode, ours.stdout, ours.stderr), args


def test_the_build_leaves_a_current_name_table_that_answers_like_the_text(built_project):
    """The build makes the name table before features.json is written, and stamps it after."""
    from aoai_changelog.index.indexstore import open_store

    cache = built_project / "build" / "cache"
    features = built_project / "changelog" / "features.json"
    store, text = open_store(str(features), str(cache)), open_text_store(str(features))
    assert store.name_table is not None and text.name_table is None
    assert not [p.name for p in cache.iterdir() if p.name.startswith(".features.sqlite")]  # nothing left over
    for name in ("max_completion_tokens", "reasoning_effort", "/batches/{batch_id}", "no_such_name_anywhere"):
        assert store.by_name(name) == text.by_name(name)
    for name in ("Store", "WAV"):
        assert store.by_name(name, ignore_case=True) == text.by_name(name, ignore_case=True)
    assert store.names() == text.names()


def _tiny_index(operation: str = "GET /x") -> dict:
    from aoai_changelog.index.featureindex import build_index
    from aoai_changelog.surface import Surface

    rows = {operation: (operation, "operation", operation, "", "{}", "")}
    return build_index({"versions": [("a", Surface("a", rows=rows))]})


def test_a_prepared_query_cache_leaves_nothing_behind(tmp_path, monkeypatch):
    """Made before features.json is written: an interrupt while it is made, or a killed build's
    leftover, leaves no 10 MB file in build/cache; a features.json rewritten with the same names
    (a copy where hard links fail: a new mtime) still gets a current table, without making it again."""
    from aoai_changelog.index import indexstore
    from aoai_changelog.index.featureindex import dump_index
    from aoai_changelog.index.indexstore import PreparedCache, open_store

    cache, features = tmp_path / "cache", tmp_path / "features.json"
    index = _tiny_index()
    cache.mkdir()
    dead = cache / ".features.sqlite.999999999.prepared"  # no such process
    alive = cache / f".features.sqlite.{os.getppid()}.prepared"  # a running build's
    dead.write_text("x")
    alive.write_text("x")
    real_fill = indexstore._fill_cache

    def interrupted(tmp, *args):
        real_fill(tmp, *args)
        raise KeyboardInterrupt

    monkeypatch.setattr(indexstore, "_fill_cache", interrupted)
    with pytest.raises(KeyboardInterrupt):
        PreparedCache(index, str(cache))
    assert sorted(p.name for p in cache.iterdir()) == [alive.name]
    monkeypatch.setattr(indexstore, "_fill_cache", real_fill)

    text = dump_index(index)
    prepared = PreparedCache(index, str(cache))
    features.write_text(text)
    prepared.install(str(features))
    assert open_store(str(features), str(cache)).name_table is not None
    # The same names again, the file written anew (new mtime): nothing is made, install stamps it.
    prepared = PreparedCache(index, str(cache))
    assert prepared.tmp is None
    features.unlink()
    features.write_text(text)
    os.utime(features, ns=(1, 1))
    assert open_store(str(features), str(cache)).name_table is None  # stale until installed
    monkeypatch.setattr(indexstore, "_fill_cache", interrupted)  # a copy is stamped, nothing is made
    prepared.install(str(features))
    monkeypatch.setattr(indexstore, "_fill_cache", real_fill)
    assert open_store(str(features), str(cache)).name_table is not None
    assert sorted(p.name for p in cache.iterdir()) == sorted([alive.name, "features.sqlite"])
    # Other names: a new table.
    other = _tiny_index("GET /y")
    prepared = PreparedCache(other, str(cache))
    assert prepared.tmp is not None
    features.write_text(dump_index(other))
    prepared.install(str(features))
    assert open_store(str(features), str(cache)).by_name("/y") == ["GET /y"]


def test_element_lines_are_what_the_json_module_writes(monkeypatch):
    """features.json's element lines come from one reused C encoder (featureindex._entry_encoder):
    byte for byte what json.JSONEncoder writes, escapes and non-ASCII included."""
    from aoai_changelog.index import featureindex
    from aoai_changelog.index.featureindex import build_index, element_lines
    from aoai_changelog.surface import Surface

    operation = 'GET /caf\u00e9/{}'
    rows = {operation: ('GET /caf\u00e9/{id}', "operation", operation, "", '{"path":"/caf\u00e9"}', ""),
            f'{operation} query "q"\\\u2028': ('GET /caf\u00e9/{id} query "q"\\\u2028', "parameter", operation, "query",
                                                 '{"required":true,"x":"\\u0000"}', operation)}
    index = build_index({"versions": [("a", Surface("a", rows=rows)), ("b", Surface("b", rows=rows))]})
    fast = element_lines(index)
    monkeypatch.setattr(featureindex, "_entry_encoder", lambda: featureindex._COMPACT)
    assert fast == element_lines(index) and "\u00e9" in fast and '\\"q\\"' in fast


def test_a_damaged_name_table_is_never_trusted(tmp_path):
    """Queries fall back to the text; the next build makes the table again instead of stamping it."""
    import sqlite3

    from aoai_changelog.index.featureindex import dump_index
    from aoai_changelog.index.indexstore import PreparedCache, open_store

    cache, features = tmp_path / "cache", tmp_path / "features.json"
    cache.mkdir()
    index = _tiny_index("GET /y")
    prepared = PreparedCache(index, str(cache))
    features.write_text(dump_index(index))
    prepared.install(str(features))
    table = cache / "features.sqlite"
    db = sqlite3.connect(table)
    page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'by_name'").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(table, "r+b") as handle:  # the name index's root page: garbage
        handle.seek((page - 1) * size)
        handle.write(b"\x0d" + b"\xff" * (size - 1))
    store = open_store(str(features), str(cache))
    assert store.name_table is not None  # stamped as current: only a query finds out
    assert store.by_name("/y") == ["GET /y"] and store.name_table is None and store.names() == ["/y"]
    rebuilt = PreparedCache(index, str(cache))
    assert rebuilt.tmp is not None  # made again, not trusted by its digest
    rebuilt.install(str(features))
    db = sqlite3.connect(table)
    assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)
    db.close()
    assert open_store(str(features), str(cache)).by_name("/y") == ["GET /y"]


def test_a_name_written_with_the_kelvin_sign_is_found_case_blind_by_text_and_table(tmp_path):
    """U+212A KELVIN SIGN lowers to an ASCII `k`: `has kelvin` (a bare name that matches nothing
    exactly is matched case-blind) finds `\u212aelvin` in the name table (str.lower) and, on a
    fresh clone without it, in the text (bytes patterns fold ASCII only: the sign is spelled out)."""
    from aoai_changelog.index.featureindex import build_index, dump_index
    from aoai_changelog.index.indexstore import MemoryStore, PreparedCache, open_store
    from aoai_changelog.surface import Surface

    operation = "GET /x"
    field = f"{operation} request \u212aelvin"
    rows = {operation: (operation, "operation", operation, "", '{"path":"/x"}', ""),
            field: (field, "field", operation, "request", '{"type":"string"}', operation)}
    index = build_index({"versions": [("a", Surface("a", rows=rows))]})
    features, cache = tmp_path / "features.json", tmp_path / "cache"
    features.write_text(dump_index(index), encoding="utf-8")
    assert MemoryStore(index).by_name("kelvin", ignore_case=True) == [field]
    assert open_store(str(features), None).by_name("kelvin", ignore_case=True) == [field]  # the text
    assert open_store(str(features), None).by_name("KELVIN", ignore_case=True) == [field]
    assert open_store(str(features), None).by_name("kelvin") == []
    PreparedCache(index, str(cache)).install(str(features))
    store = open_store(str(features), str(cache))
    assert store.name_table is not None and store.by_name("kelvin", ignore_case=True) == [field]
