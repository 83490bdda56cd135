"""Look-ups straight in the text of changelog/features.json, for a query on a fresh clone.

Without a cache (a fresh clone or install, a read-only checkout) parsing all 18 MB of the index
costs several times a whole query, and building the SQLite cache far more. But the file has one
element per line (see featureindex.dump_index), so a query finds the few lines it needs with
`find` on the mapped bytes (no read, no decoding) and parses only those. Same interface as
indexstore.MemoryStore. Bare names, written all over the file, are read from the name table that
`build` writes (indexstore.NameTable) when it is current.
"""

from __future__ import annotations

import json

from .indexstore import expand_entry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from mmap import mmap

    from .indexstore import MemoryStore, NameTable


_ELEMENTS = b'\n], "elements": {\n'


def _quoted(text: str) -> bytes:
    """How `text` is spelled inside a JSON string of the file (ensure_ascii=False, UTF-8, a lone
    surrogate as its escape: store/atomic.encoded)."""
    return json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "backslashreplace")


def open_text_store(path: str, name_table: NameTable | None = None) -> TextStore:
    import mmap

    data: mmap.mmap | bytes
    with open(path, "rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty file, or no mmap here: read it
            data = handle.read()
    return TextStore(data, name_table)


class TextStore:
    def __init__(self, text: bytes | mmap, name_table: NameTable | None = None) -> None:
        # text: bytes, or a read-only mmap of the file
        head_end = text.find(b"\n")
        head = text[:head_end]
        suffix = b', "attrs": ['
        if head_end < 0 or not head.endswith(suffix):
            raise ValueError("not a feature index laid out one element per line")
        meta = json.loads(head[: -len(suffix)] + b"}")
        self.timelines: dict[str, list[str]] = meta["timelines"]
        self.labels: dict[str, dict] = meta.get("labels") or {}
        self.versions: list[str] = self.timelines["versions"]
        attrs_end = text.find(_ELEMENTS, head_end - 1)
        if attrs_end < 0:
            raise ValueError("not a feature index laid out one element per line")
        self._attr_lines = text[head_end + 1: attrs_end].split(b"\n")
        self._elements_at = attrs_end + len(_ELEMENTS) - 1  # the "\n" before the first element line
        self._text = text
        self.name_table = name_table
        # Element lines are `"identity":{"key":…,"kind":…}` (or, as written before, with spaces
        # after `:` and `,`): the two spellings of where a key ends.
        spaced = text.find(b'": {', self._elements_at, self._elements_at + 65536) != -1
        self._opens = b'": {' if spaced else b'":{'
        self._kind = b'", "kind"' if spaced else b'","kind"'
        self._parsed: dict[int, tuple[str, dict]] = {}
        self._raws: dict[str, dict | None] = {}
        self._names: dict[tuple[str, bool], list[str]] = {}
        # Element lines end before the closing `}}` line.
        self._elements_end = text.rfind(b"\n", 0, len(text) - 1)
        if self._elements_end <= self._elements_at:
            self._elements_end = self._elements_at + 1

    # -- lines -------------------------------------------------------------------------------------

    def _line_at(self, position: int) -> tuple[str, dict] | None:
        """(identity, raw entry) of the element line holding `position`; None outside the elements."""
        if position <= self._elements_at:
            return None
        start = self._text.rfind(b"\n", 0, position) + 1
        if start in self._parsed:
            return self._parsed[start]
        end = self._text.find(b"\n", position)
        line = self._text[start:end if end >= 0 else len(self._text)].rstrip(b",")
        if not line.startswith(b'"'):
            return None
        parsed = json.loads(b"{" + line + b"}")
        identity, entry = next(iter(parsed.items()))
        self._parsed[start] = (identity, entry)
        return identity, entry

    def _lines_containing(self, needle: bytes) -> list[tuple[str, dict]]:
        text = self._text
        found: dict[str, dict] = {}
        position = text.find(needle, self._elements_at)
        while position != -1:
            hit = self._line_at(position)
            if hit is not None:
                found[hit[0]] = hit[1]
            next_line = text.find(b"\n", position)
            if next_line == -1:
                break
            position = text.find(needle, next_line)
        return list(found.items())

    # -- the store interface -------------------------------------------------------------------------

    def attrs(self, position: int) -> dict:
        return json.loads(self._attr_lines[position].rstrip(b","))

    def _raw(self, identity: str) -> dict | None:
        """The entry of `identity`: element lines are sorted by identity, so a binary search over
        byte offsets finds it in a few probes."""
        if identity in self._raws:
            return self._raws[identity]
        low, high = self._elements_at + 1, self._elements_end
        found = None
        while low < high:
            middle = (low + high) // 2
            start = self._text.rfind(b"\n", 0, middle) + 1
            if start < low:
                start = low
            end = self._text.find(b"\n", start)
            if end < 0 or end >= high:
                end = high
            probe = self._identity_at(start, end)
            if probe == identity:
                hit = self._line_at(start)
                found = hit[1] if hit is not None else None
                break
            if probe < identity:
                low = end + 1
            else:
                high = start
        self._raws[identity] = found
        return found

    def with_prefix(self, prefix: str) -> list[str]:
        """Identities that start with `prefix`: a binary search to the first line not below it, then
        the following lines while they match (element lines are sorted by identity)."""
        low, high = self._elements_at + 1, self._elements_end
        while low < high:  # the first line whose identity is >= prefix
            middle = (low + high) // 2
            start = max(self._text.rfind(b"\n", 0, middle) + 1, low)
            end = self._text.find(b"\n", start)
            if end < 0 or end >= high:
                end = high
            if self._identity_at(start, end) < prefix:
                low = end + 1
            else:
                high = start
        out = []
        start = low
        while start < self._elements_end:
            end = self._text.find(b"\n", start)
            if end < 0 or end > self._elements_end:
                end = self._elements_end
            identity = self._identity_at(start, end)
            if not identity.startswith(prefix):
                break
            out.append(identity)
            start = end + 1
        return out

    def _identity_at(self, start: int, end: int) -> str:
        """The identity that opens the element line [start, end): its first JSON string."""
        from json.decoder import scanstring  # type: ignore[attr-defined]  # C speedup, not in the stubs

        head = self._text[start:min(end, start + 4096)].decode("utf-8", "replace")
        return scanstring(head, 1)[0]

    def states(self, identity: str) -> dict:
        raw = self._raw(identity)
        return raw["states"] if raw else {}

    def entry(self, identity: str) -> dict | None:
        raw = self._raw(identity)
        return expand_entry(identity, raw) if raw is not None else None

    def by_key(self, key: str) -> list[str]:
        hits = self._lines_containing(b'"' + _quoted(key) + b'"')
        return sorted(i for i, raw in hits if raw.get("key", i) == key)

    def operations_with_shape(self, shape: str) -> list[str]:
        hits = self._lines_containing(b" " + _quoted(shape) + self._opens)
        return sorted(i for i, raw in hits if raw["kind"] == "operation" and i.split(" ", 1)[1] == shape)

    def by_name(self, name: str, ignore_case: bool = False) -> list[str]:
        if self.name_table is not None:
            found = self.name_table.by_name(name, ignore_case)
            if found is not None:
                return found
            self.name_table = None  # damaged: the text answers from now on
        if ignore_case and not name.isascii():  # bytes patterns fold ASCII only: the parsed index folds the rest
            return self._full().by_name(name, True)
        if (name, ignore_case) not in self._names:
            self._names[name, ignore_case] = self._by_name(name, ignore_case)
        return list(self._names[name, ignore_case])

    def _by_name(self, name: str, ignore_case: bool) -> list[str]:
        # A bare name ends its key (keys.element_name) after one of ` .<=>`, perhaps followed by
        # `>`, `[]` or `{}`; the key ends the line's identity (`":{`) or its "key" field
        # (`","kind"`). Only keys hold such names: the rest of a line is version names, numbers
        # and four field names. So a name found nowhere in those is searched with one `find` loop
        # (memmem on the mapped file); one that is (`preview`, `kind`, `1`) by a regular expression
        # that checks what follows each occurrence in C.
        quoted = _quoted(name)
        found: dict[str, dict] = {}
        if ignore_case or self._is_common(name):
            import re

            spelled = re.escape(quoted)
            if ignore_case:  # bytes patterns fold ASCII only; the one other letter that lowers to ASCII:
                spelled = re.sub(rb"[kK]", lambda _: rb"(?:[kK]|\xe2\x84\xaa)", spelled)  # U+212A KELVIN SIGN, UTF-8
            pattern = re.compile(spelled + rb"(?:>|\[\]|\{\})*(?:" + re.escape(self._opens) + b"|"
                                 + re.escape(self._kind) + b")", re.IGNORECASE if ignore_case else 0)
            positions = (match.start() for match in pattern.finditer(self._text, self._elements_at))
        else:
            positions = (p for p in self._positions(quoted) if self._ends_key(p, len(quoted)))
        for position in positions:
            hit = self._line_at(position)
            if hit is not None:
                found[hit[0]] = hit[1]
        if ignore_case:
            wanted = name.lower()
            return sorted(i for i, raw in found.items() if expand_entry(i, raw)["name"].lower() == wanted)
        return sorted(i for i, raw in found.items() if expand_entry(i, raw)["name"] == name)

    def _ends_key(self, position: int, length: int) -> bool:
        """Whether the name at [position, position + length) can be a bare name ending a key."""
        if self._text[position - 1:position] not in (b" ", b".", b"<", b"=", b">"):
            return False
        end = position + length
        while True:
            if self._text[end:end + 1] == b">":
                end += 1
            elif self._text[end:end + 2] in (b"[]", b"{}"):
                end += 2
            else:
                break
        return (self._text[end:end + len(self._opens)] == self._opens
                or self._text[end:end + len(self._kind)] == self._kind)

    def _positions(self, needle: bytes) -> Iterator[int]:
        position = self._text.find(needle, self._elements_at)
        while position != -1:
            yield position
            position = self._text.find(needle, position + len(needle))

    def _is_common(self, name: str) -> bool:
        """Whether `name` can occur outside keys: in a version name, a field name or a number."""
        if not name or set(name) <= set("0123456789[], :-"):
            return True
        vocabulary = ("key", "kind", "present", "states", *self.timelines,
                      *(m for ms in self.timelines.values() for m in ms))
        return any(name in word for word in vocabulary)

    def names(self) -> list[str]:
        """Every bare name (suggestions after a miss), from each element line's identity, key and
        kind alone: one regular expression over the file instead of a parse of all of it (a third
        of the time, a tenth of the memory)."""
        if self.name_table is not None:
            found = self.name_table.names()
            if found is not None:
                return found
            self.name_table = None  # damaged: the text answers from now on
        if self._opens != b'":{':  # the older layout, with spaces: parse it whole
            return self._full().names()
        import re

        from ..surface.keys import element_name

        string = rb'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"'  # a JSON string (unrolled: fast in `re`)
        line = re.compile(rb"^" + string + rb':\{(?:"key":' + string + rb',)?"kind":"([a-z]+)"', re.MULTILINE)
        names = set()
        for match in line.finditer(self._text, self._elements_at, self._elements_end):
            identity, key, kind = match.groups()
            spelled = key if key is not None else identity
            text = json.loads(b'"' + spelled + b'"') if b"\\" in spelled else spelled.decode("utf-8")
            names.add(element_name(kind.decode("ascii"), text))
        return sorted(names)

    def _full(self) -> MemoryStore:
        from .indexstore import MemoryStore

        return MemoryStore(json.loads(self._text[:]))
