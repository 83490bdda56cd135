"""Fast look-ups in the feature index for `has` and `history`.

changelog/features.json is the committed source of truth, but parsing 13 MB of JSON takes longer
than a whole `has` should. The first query builds an SQLite copy in build/cache/ (git ignores it)
keyed by the JSON file's size and mtime; later queries read only the rows they need. Where the cache
cannot be written (read-only checkout) the JSON is used directly.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from .featureindex import expand_entry

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE attrs (position INTEGER PRIMARY KEY, value TEXT);
CREATE TABLE elements (identity TEXT PRIMARY KEY, key TEXT, kind TEXT, shape TEXT, name TEXT, lname TEXT, entry TEXT);
CREATE INDEX by_key ON elements (key);
CREATE INDEX by_shape ON elements (shape);
CREATE INDEX by_name ON elements (name);
CREATE INDEX by_lname ON elements (lname);
"""


class MemoryStore:
    """The index as parsed JSON (used by build and tests, and as the fallback)."""

    def __init__(self, index: dict):
        self.timelines: dict[str, list[str]] = index["timelines"]
        self.labels: dict[str, dict] = index.get("labels") or {}
        self.versions: list[str] = self.timelines["versions"]
        self._elements: dict = index["elements"]
        self._attrs: list[dict] = index["attrs"]

    def attrs(self, position: int) -> dict:
        return self._attrs[position]

        self._expanded: dict[str, dict] | None = None

    def _all(self) -> dict[str, dict]:
        if self._expanded is None:
            self._expanded = {i: expand_entry(i, e) for i, e in self._elements.items()}
        return self._expanded

    def entry(self, identity: str) -> dict | None:
        raw = self._elements.get(identity)
        return expand_entry(identity, raw) if raw is not None else None

    def by_key(self, key: str) -> list[str]:
        return sorted(i for i, e in self._all().items() if e["key"] == key)

    def operations_with_shape(self, shape: str) -> list[str]:
        return sorted(i for i, e in self._elements.items() if e["kind"] == "operation" and i.split(" ", 1)[1] == shape)

    def by_name(self, name: str, ignore_case: bool = False) -> list[str]:
        if ignore_case:
            name = name.lower()
            return sorted(i for i, e in self._all().items() if e["name"].lower() == name)
        return sorted(i for i, e in self._all().items() if e["name"] == name)

    def names(self) -> list[str]:
        return sorted({e["name"] for e in self._all().values()})


class SqliteStore:
    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        self.timelines: dict[str, list[str]] = json.loads(self._one("SELECT value FROM meta WHERE name = 'timelines'"))
        self.labels: dict[str, dict] = json.loads(self._one("SELECT value FROM meta WHERE name = 'labels'"))
        self.versions: list[str] = self.timelines["versions"]

    def attrs(self, position: int) -> dict:
        return json.loads(self._one("SELECT value FROM attrs WHERE position = ?", position))

    def _one(self, sql: str, *args):
        row = self.db.execute(sql, args).fetchone()
        return row[0] if row else None

    def entry(self, identity: str) -> dict | None:
        text = self._one("SELECT entry FROM elements WHERE identity = ?", identity)
        return json.loads(text) if text else None

    def _identities(self, sql: str, *args) -> list[str]:
        return sorted(row[0] for row in self.db.execute(sql, args))

    def by_key(self, key: str) -> list[str]:
        return self._identities("SELECT identity FROM elements WHERE key = ?", key)

    def operations_with_shape(self, shape: str) -> list[str]:
        return self._identities("SELECT identity FROM elements WHERE kind = 'operation' AND shape = ?", shape)

    def by_name(self, name: str, ignore_case: bool = False) -> list[str]:
        if ignore_case:
            return self._identities("SELECT identity FROM elements WHERE lname = ?", name.lower())
        return self._identities("SELECT identity FROM elements WHERE name = ?", name)

    def names(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT name FROM elements ORDER BY name")]


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _build_cache(index: dict, cache: Path, stamp: str) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        db = sqlite3.connect(tmp)
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO meta VALUES ('timelines', ?), ('labels', ?), ('stamp', ?)",
                   (json.dumps(index["timelines"]), json.dumps(index.get("labels") or {}), stamp))
        db.executemany("INSERT INTO attrs VALUES (?, ?)", [(i, json.dumps(a)) for i, a in enumerate(index["attrs"])])
        rows = []
        for identity, raw in index["elements"].items():
            e = expand_entry(identity, raw)
            shape = identity.split(" ", 1)[1] if e["kind"] == "operation" else None
            rows.append((identity, e["key"], e["kind"], shape, e["name"], e["name"].lower(), json.dumps(e, sort_keys=True)))
        db.executemany("INSERT INTO elements VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.commit()
        db.close()
        os.replace(tmp, cache)
    finally:
        if tmp.exists():
            tmp.unlink()


def open_store(features: Path, cache_dir: Path | None):
    """A store over `features` (changelog/features.json), through the SQLite cache when possible."""
    features = Path(features)
    if not features.exists():
        from .featureindex import load_index

        load_index(features)  # raises the one-line error
    stamp = _stamp(features)
    if cache_dir is not None:
        cache = cache_dir / "features.sqlite"
        if cache.exists():
            try:
                db = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
                row = db.execute("SELECT value FROM meta WHERE name = 'stamp'").fetchone()
                if row and row[0] == stamp:
                    return SqliteStore(db)
                db.close()
            except sqlite3.Error:
                pass
        from .featureindex import load_index

        index = load_index(features)
        try:
            _build_cache(index, cache, stamp)
            return SqliteStore(sqlite3.connect(f"file:{cache}?mode=ro", uri=True))
        except (OSError, sqlite3.Error):
            return MemoryStore(index)
    from .featureindex import load_index

    return MemoryStore(load_index(features))
