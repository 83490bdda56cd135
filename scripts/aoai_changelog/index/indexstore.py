"""Fast look-ups in the feature index for `has` and `history`.

changelog/features.json is the committed source of truth, but parsing 18 MB of JSON takes longer
than a whole `has` should. Queries look lines up in the JSON text itself (indextext.py): an
element by identity or key, an operation's elements, in a few probes. What the text cannot answer
fast is a bare name (`has store`, the suggestions after a miss): it is written at the end of keys,
all over the file. So `build` writes a name table in build/cache/features.sqlite (git ignores it),
keyed by the JSON file's size and mtime: every element's bare name, with its identity. Without a
current table (a fresh clone or install, a read-only checkout) names are found in the text too,
in about a tenth of a second.
"""

from __future__ import annotations

import os
import sqlite3

from ..surface.keys import element_name, key_parts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class IndexStore(Protocol):
        """What the queries read from the feature index: MemoryStore below and TextStore
        (indextext.py) both answer it."""

        timelines: dict[str, list[str]]
        labels: dict[str, dict]
        versions: list[str]

        def attrs(self, position: int) -> dict: ...
        def states(self, identity: str) -> dict: ...
        def entry(self, identity: str) -> dict | None: ...
        def by_key(self, key: str) -> list[str]: ...
        def operations_with_shape(self, shape: str) -> list[str]: ...
        def by_name(self, name: str, ignore_case: bool = False) -> list[str]: ...
        def names(self) -> list[str]: ...
        def with_prefix(self, prefix: str) -> list[str]: ...

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE names (identity TEXT, name TEXT, lname TEXT);
"""
# Made after the rows are in: one sort per index instead of 60,000 updates of each.
_INDEXES = """
CREATE INDEX by_name ON names (name);
CREATE INDEX by_lname ON names (lname);
"""


def expand_entry(identity: str, entry: dict) -> dict:
    """An index entry with what the file leaves implicit: key, operation, location and bare name."""
    key = entry.get("key", identity)
    operation, location = key_parts(entry["kind"], key)
    return {**entry, "key": key, "operation": operation, "location": location, "name": element_name(entry["kind"], key)}


class MemoryStore:
    """The index as parsed JSON (used by build, the site and tests, and as the fallback)."""

    def __init__(self, index: dict):
        self.timelines: dict[str, list[str]] = index["timelines"]
        self.labels: dict[str, dict] = index.get("labels") or {}
        self.versions: list[str] = self.timelines["versions"]
        self._elements: dict = index["elements"]
        self._attrs: list[dict] = index["attrs"]
        self._expanded: dict[str, dict] | None = None

    def attrs(self, position: int) -> dict:
        return self._attrs[position]

    def states(self, identity: str) -> dict:
        return self._elements[identity]["states"]

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

    def with_prefix(self, prefix: str) -> list[str]:
        """Identities that start with `prefix` (an operation's elements: `POST /evals header `)."""
        return sorted(i for i in self._elements if i.startswith(prefix))


class NameTable:
    """Every element's bare name, with its identity: the SQLite table `build` writes. None from a
    method: the table cannot answer (a damaged file), the text must."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection

    def by_name(self, name: str, ignore_case: bool = False) -> list[str] | None:
        try:
            if ignore_case:
                rows = self.db.execute("SELECT identity FROM names WHERE lname = ?", (name.lower(),)).fetchall()
            else:
                rows = self.db.execute("SELECT identity FROM names WHERE name = ?", (name,)).fetchall()
        except sqlite3.Error:
            return None
        return sorted(row[0] for row in rows)

    def names(self) -> list[str] | None:
        try:
            return [row[0] for row in self.db.execute("SELECT DISTINCT name FROM names ORDER BY name")]
        except sqlite3.Error:
            return None


def _stamp(path: str) -> str:
    from ..store.locate import source_stamp

    return source_stamp(path, "3")  # 3 = this cache layout (names only)


def element_names(index: dict) -> tuple[list[str], list[str]]:
    """Every identity of the index, and its element's bare name (what expand_entry says)."""
    identities = list(index["elements"])
    return identities, [element_name(raw["kind"], raw.get("key", identity))
                        for identity, raw in index["elements"].items()]


def _name_rows(identities: list[str], names: list[str]) -> tuple[list[tuple[str, str, str]], str]:
    """The name table's rows (identity, name, lowercase name) and a digest of them."""
    import hashlib

    rows = []
    for identity, name in zip(identities, names, strict=True):
        if not (identity.isascii() and name.isascii()) and not _is_text(identity + name):
            continue  # a lone surrogate (JSON allows one): SQLite holds no such text, and no argument spells it
        rows.append((identity, name, name.lower()))
    digest = hashlib.blake2b("\n".join(f"{i}\t{n}" for i, n, _ in rows).encode("utf-8", "surrogatepass"),
                             digest_size=16).hexdigest()
    return rows, digest


def _is_text(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _fill_cache(tmp: str | os.PathLike[str], rows: list[tuple[str, str, str]], digest: str) -> None:
    db = sqlite3.connect(tmp)
    try:
        # A temporary file, renamed into place once whole: no journal and no syncs needed.
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("stamp", ""), ("names", digest)])
        db.executemany("INSERT INTO names VALUES (?, ?, ?)", rows)
        db.executescript(_INDEXES)
        db.commit()
    finally:
        db.close()


def _read_only(cache: str) -> sqlite3.Connection | None:
    """The table at `cache`, opened for reading; None if there is none (raises sqlite3.Error)."""
    return sqlite3.connect(f"file:{cache}?mode=ro", uri=True) if os.path.exists(cache) else None


def _meta(db: sqlite3.Connection, name: str) -> str | None:
    """A value of the table's meta rows: `stamp` (the features.json it answers for) or `names`
    (the digest of its rows)."""
    row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _cache_meta(cache: str, name: str) -> str | None:
    """_meta of the table at `cache`; None without a readable one."""
    try:
        db = _read_only(cache)
        if db is None:
            return None
        try:
            return _meta(db, name)
        finally:
            db.close()
    except sqlite3.Error:
        return None


def _holds(cache: str, digest: str) -> bool:
    """Whether the table in `cache` holds the names of `digest`, intact (SQLite's quick check: a
    damaged table is made again, never stamped as current)."""
    try:
        db = _read_only(cache)
        if db is None:
            return False
        try:
            return _meta(db, "names") == digest and db.execute("PRAGMA quick_check").fetchone() == ("ok",)
        finally:
            db.close()
    except sqlite3.Error:
        return False


def _set_stamp(tmp: str, stamp: str) -> None:
    """Stamp a temporary table (the live one is only ever replaced, by rename)."""
    db = sqlite3.connect(tmp)
    try:
        # No journal, no syncs: a temporary file, renamed into place once whole.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("UPDATE meta SET value = ? WHERE name = 'stamp'", (stamp,))
        db.commit()
    finally:
        db.close()


class PreparedCache:
    """The name table of a feature index, made before features.json is written (a build makes it
    while its other processes work) into a temporary file in `cache_dir`. It answers for the file
    whose size and mtime its stamp holds: `install` stamps it once the file is written and renames
    it into place; `discard` removes what was not installed. When the current table already holds
    these names (the digest of its rows says so), nothing is made: `install` only stamps it."""

    SUFFIX = ".prepared"

    def __init__(self, index: dict | None, cache_dir: str, names: tuple[list[str], list[str]] | None = None,
                 owner: int | None = None):
        """The table of `index`, or of `names` (its element_names: a helper process that never held
        the index makes it so, for `owner`, the process that will install it)."""
        from ..store.atomic import remove_quietly

        self.cache_dir = str(cache_dir)
        self.cache = os.path.join(self.cache_dir, "features.sqlite")
        self.owner = owner or os.getpid()  # the temporary file is named after it (see _remove_left_over)
        self.tmp: str | None = None
        self.rows: list[tuple[str, str, str]] | None
        self.rows, self.digest = _name_rows(*(names if names is not None else element_names(index or {"elements": {}})))
        try:
            _remove_left_over(self.cache_dir, self.SUFFIX)
            if _holds(self.cache, self.digest):
                return
            self.tmp = self._temporary()
            os.makedirs(self.cache_dir, exist_ok=True)
            remove_quietly(self.tmp)  # a killed run's, whose number this process now has
            _fill_cache(self.tmp, self.rows, self.digest)
        except (OSError, sqlite3.Error):
            self.discard()
        except BaseException:  # an interrupt: no 10 MB file left behind
            self.discard()
            raise

    def __getstate__(self) -> dict:
        # Sent back from the helper that made it without its 61,000 rows: only a table replaced
        # between making and installing needs them (install then leaves the names to the text).
        return {**self.__dict__, "rows": None}

    def _temporary(self) -> str:
        return os.path.join(self.cache_dir, f".features.sqlite.{self.owner}{self.SUFFIX}")

    def install(self, features: str) -> None:
        """Make the table answer for `features`, just written: always by renaming a stamped
        temporary file over it, never by writing to the one queries read. A table that cannot be
        written is no error: queries then find names in the text."""
        import shutil

        try:
            stamp = _stamp(features)
            if self.tmp is None and _cache_meta(self.cache, "stamp") == stamp and _holds(self.cache, self.digest):
                return
            if self.tmp is None:  # the table holds these names: a stamped copy replaces it
                if _holds(self.cache, self.digest):
                    self.tmp = self._temporary()
                    shutil.copyfile(self.cache, self.tmp)
                elif self.rows is not None:  # replaced meanwhile (another build, of other data): made again
                    self.tmp = self._temporary()
                    _fill_cache(self.tmp, self.rows, self.digest)
            if self.tmp is not None:
                _set_stamp(self.tmp, stamp)
                os.replace(self.tmp, self.cache)
                self.tmp = None
        except (OSError, sqlite3.Error):
            pass
        self.discard()

    def discard(self) -> None:
        from ..store.atomic import remove_quietly

        if self.tmp is not None:
            remove_quietly(self.tmp)
            self.tmp = None


def _remove_left_over(cache_dir: str, suffix: str) -> None:
    """Remove the prepared caches of builds that were killed (`.features.sqlite.PID.prepared` whose
    process is gone); a build or sync still running keeps its own."""
    from ..store.atomic import remove_quietly

    try:
        names = os.listdir(cache_dir)
    except OSError:
        return
    for name in names:
        pid = name[len(".features.sqlite."):-len(suffix)]
        if not (name.startswith(".features.sqlite.") and name.endswith(suffix) and pid.isdigit()):
            continue
        try:
            os.kill(int(pid), 0)
            continue  # alive
        except ProcessLookupError:
            pass
        except (OSError, OverflowError):  # someone else's process, or no such number: leave it
            continue
        remove_quietly(os.path.join(cache_dir, name))


def open_store(features: str, cache_dir: str | None) -> IndexStore:
    """A store over `features` (changelog/features.json): look-ups in the file's text (indextext.py),
    which need no parse of the whole file, with the name table that `build` writes when it is
    current. A fresh clone or install answers its first query at about the cost of later ones."""
    features = str(features)
    if not os.path.exists(features):
        from .featureindex import load_index

        load_index(features)  # raises the one-line error
    from .indextext import open_text_store

    try:
        return open_text_store(features, _name_table(features, cache_dir))
    except ValueError:  # not laid out one element per line (hand-edited?): parse it whole
        from .featureindex import load_index

        return MemoryStore(load_index(features))


def _name_table(features: str, cache_dir: str | None) -> NameTable | None:
    """The name table of `features` in `cache_dir`, if it is there and current."""
    if cache_dir is None:
        return None
    try:
        db = _read_only(os.path.join(str(cache_dir), "features.sqlite"))
        if db is None:
            return None
        if _meta(db, "stamp") == _stamp(features):
            return NameTable(db)
        db.close()
    except sqlite3.Error:
        pass
    return None
