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

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE elements (identity TEXT PRIMARY KEY, key TEXT, kind TEXT, shape TEXT, name TEXT, lname TEXT, entry TEXT);
CREATE INDEX by_key ON elements (key);
CREATE INDEX by_shape ON elements (shape);
CREATE INDEX by_name ON elements (name);
CREATE INDEX by_lname ON elements (lname);
"""


class MemoryStore:
    """The index as parsed JSON (used by build and tests, and as the fallback)."""

    def __init__(self, index: dict):
        self.versions: list[str] = index["versions"]
        self._elements: dict = index["elements"]

    def entry(self, identity: str) -> dict | None:
        return self._elements.get(identity)

    def by_key(self, key: str) -> list[str]:
        return sorted(i for i, e in self._elements.items() if e["key"] == key)

    def operations_with_shape(self, shape: str) -> list[str]:
        return sorted(i for i, e in self._elements.items() if e["kind"] == "operation" and i.split(" ", 1)[1] == shape)

    def by_name(self, name: str, ignore_case: bool = False) -> list[str]:
        if ignore_case:
            name = name.lower()
            return sorted(i for i, e in self._elements.items() if e["name"].lower() == name)
        return sorted(i for i, e in self._elements.items() if e["name"] == name)

    def names(self) -> list[str]:
        return sorted({e["name"] for e in self._elements.values()})


class SqliteStore:
    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        self.versions: list[str] = json.loads(self._one("SELECT value FROM meta WHERE name = 'versions'"))

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
        db.execute("INSERT INTO meta VALUES ('versions', ?), ('stamp', ?)", (json.dumps(index["versions"]), stamp))
        rows = []
        for identity, e in index["elements"].items():
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
