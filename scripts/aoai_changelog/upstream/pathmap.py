"""The path map: which upstream files are which (version, document), read from specs/upstream-paths.yaml.

Where the documents live upstream is data, not code: a new dated version is a new folder matched
by `{version}`, and a document that moves upstream is one more line in the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import UserError
from ..load import read_structured
from ..store.versionids import is_dated

PATH_MAP_FILE = "upstream-paths.yaml"
SCHEMA_FILE = "upstream-paths.schema.json"
# What each placeholder of a path pattern matches.
_PLACEHOLDERS = {
    "{version}": r"(?P<version>[0-9]{4}-[0-9]{2}-[0-9]{2}(?:-preview)?)",
    "{format}": r"(?P<format>json|yaml)",
    "*": r"[^/]+",
}
_TOKEN = re.compile(r"\{version\}|\{format\}|\*")


class PathRule:
    """One line of the path map: a path pattern, the document it is, and its version when fixed."""

    def __init__(self, path: str, document: str, version: str | None) -> None:
        self.path, self.document, self.version = path, document, version
        parts, last = [], 0
        for token in _TOKEN.finditer(path):
            parts += [re.escape(path[last:token.start()]), _PLACEHOLDERS[token.group()]]
            last = token.end()
        parts.append(re.escape(path[last:]))
        self.regex = re.compile("".join(parts) + r"\Z")

    @property
    def prefix(self) -> str:
        """The fixed folder the pattern starts with (what `git log` is asked about)."""
        fixed = _TOKEN.split(self.path, 1)[0]
        return fixed.rsplit("/", 1)[0] if "/" in fixed else "."


class PathMap:
    def __init__(self, rules: list[PathRule]) -> None:
        self.rules = rules

    def match(self, path: str) -> tuple[str, str, str] | None:
        """(version, document, format) of an upstream path, or None when it is not a tracked document."""
        for rule in self.rules:
            found = rule.regex.match(path)
            if found:
                fields = found.groupdict()
                return rule.version or fields["version"], rule.document, fields["format"]
        return None

    def prefixes(self) -> list[str]:
        return sorted({rule.prefix for rule in self.rules})

    def documents_of(self, version: str) -> tuple[str, ...]:
        """The documents of a version, in merge order (the order of the lines that can match it)."""
        dated = is_dated(version)
        names: list[str] = []
        for rule in self.rules:
            if (rule.version == version or (rule.version is None and dated)) and rule.document not in names:
                names.append(rule.document)
        return tuple(names)

    def timeline_key(self, version: str) -> tuple:
        """Dated versions by date; the others after them, in the order of their lines."""
        if is_dated(version):
            return (0, version[:10], version)
        fixed = [rule.version for rule in self.rules if rule.version]
        return (1, fixed.index(version) if version in fixed else len(fixed), version)


def channel_of(version: str) -> str:
    return "preview" if version.endswith("-preview") else "ga"


def load_path_map(specs_dir: Path, schema_dir: Path) -> PathMap:
    """The project's path map, validated; a one-line error when it is missing or invalid."""
    import jsonschema

    path = Path(specs_dir) / PATH_MAP_FILE
    label = f"{path}: invalid path map"
    if not path.is_file():
        raise UserError(f"{path}: no path map (it says where the documents live upstream; see the README)")
    data = read_structured(path)
    schema = json.loads((Path(schema_dir) / SCHEMA_FILE).read_text())
    try:
        jsonschema.Draft202012Validator(schema).validate(data)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise UserError(f"{label} at {where}: {exc.message}") from None
    rules = []
    for number, line in enumerate(data["documents"]):
        pattern, version = line["path"], line.get("version")
        braces = re.sub(r"\{version\}|\{format\}", "", pattern)
        if "{" in braces or "}" in braces:
            raise UserError(f"{label} at documents/{number}/path: "
                            "unknown placeholder (only {version} and {format})")
        if pattern.count("{format}") != 1 or pattern.count("{version}") > 1:
            raise UserError(f"{label} at documents/{number}/path: needs one {{format}} and at most one {{version}}")
        if ("{version}" in pattern) == bool(version):
            raise UserError(f"{label} at documents/{number}: give the version either as {{version}} in the path "
                            "or as `version:`, not both or neither")
        rules.append(PathRule(pattern, line["document"], version))
    return PathMap(rules)
