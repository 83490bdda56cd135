"""A regeneration rewrites only the files whose content changed (the rest keep inode and mtime),
and still swaps the whole tree in at once."""

from __future__ import annotations

from aoai_changelog.store.atomic import replace_tree


def test_only_changed_files_are_rewritten(tmp_path):
    target = tmp_path / "changelog"
    files = {"diffs/a..b.json": "{}\n", "diffs/b..c.json": "[]\n", "features.json": "{\"format\": 2}\n"}
    assert replace_tree(target, files)
    before = {rel: (target / rel).stat() for rel in files}
    assert not replace_tree(target, files)  # nothing changed: nothing written
    changed = dict(files, **{"features.json": "{\"format\": 2, \"x\": 1}\n", "diffs/c..d.json": "{}\n"})
    assert replace_tree(target, changed)
    after = {rel: (target / rel).stat() for rel in changed}
    for rel in ("diffs/a..b.json", "diffs/b..c.json"):
        assert (after[rel].st_ino, after[rel].st_mtime_ns) == (before[rel].st_ino, before[rel].st_mtime_ns)
    assert after["features.json"].st_ino != before["features.json"].st_ino
    assert {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} == set(changed)
    assert all((target / rel).read_text() == text for rel, text in changed.items())
    assert not list(tmp_path.glob(".changelog*"))  # no staging or backup left behind
