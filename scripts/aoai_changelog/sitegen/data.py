"""Everything the site shows, read from the committed changelog/ (never from specs/ or upstream)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..formatters.escaping import url_part
from ..index.featureindex import load_index
from ..index.indexstore import MemoryStore, expand_entry
from .areas import ORDER, area_of
from .pagetext import PageText

UPSTREAM_REPO = "https://github.com/Azure/azure-rest-api-specs"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-")


def operation_slug(operation: str) -> str:
    return slug(operation.replace("{", "").replace("}", ""))


def anchor(key: str) -> str:
    """A stable anchor for an element on its operation page (keys hold characters ids cannot)."""
    return "e-" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def upstream_url(commit: str | None, path: str | None) -> PageText | None:
    """The upstream file at its commit; both parts percent-encoded (they come from the catalog)."""
    if not commit or not path:
        return None
    return PageText(f"{UPSTREAM_REPO}/blob/{url_part(commit)}/{url_part(path)}")


@dataclass
class SiteData:
    root: Path
    index: dict                                                # features.json, as parsed
    versions: list[dict] = field(default_factory=list)
    diffs: list[dict] = field(default_factory=list)            # index.json entries (+ "changes" loaded)
    timelines: list[dict] = field(default_factory=list)        # revisions/index.json
    store: MemoryStore = field(init=False)                     # queries on `index`

    def __post_init__(self) -> None:
        self.store = MemoryStore(self.index)

    @property
    def version_ids(self) -> list[str]:
        return [v["id"] for v in self.versions]

    def diff(self, old: str, new: str) -> dict | None:
        return next((d for d in self.diffs if d["from"] == old and d["to"] == new), None)

    def operations(self) -> dict[str, dict]:
        """operation key -> {area, versions present, identity}."""
        out = {}
        for identity, raw in self.index["elements"].items():
            if raw["kind"] != "operation" or "versions" not in raw["present"]:
                continue
            entry = expand_entry(identity, raw)
            positions = [p for a, b in raw["present"]["versions"] for p in range(a, b + 1)]
            out[entry["key"]] = {"identity": identity, "area": area_of(entry["key"]),
                                 "versions": [self.version_ids[p] for p in positions]}
        return dict(sorted(out.items(), key=lambda kv: (ORDER.index(kv[1]["area"]), kv[0].split(" ", 1)[1], kv[0])))


def load_site_data(changelog: Path) -> SiteData:
    data = SiteData(changelog, load_index(changelog / "features.json"))
    data.versions = json.loads((changelog / "versions.json").read_text())["versions"]
    data.diffs = json.loads((changelog / "index.json").read_text())["diffs"]
    for entry in data.diffs:
        entry["changes"] = json.loads((changelog / entry["json"]).read_text())["changes"]
    data.timelines = json.loads((changelog / "revisions" / "index.json").read_text())["timelines"]
    return data
