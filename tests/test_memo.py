"""Memoised surfaces (surface/memo.py) are the surfaces a plain walk gives, row for row."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from aoai_changelog.surface import surface_of
from aoai_changelog.surface.memo import memoised_surface_of

ROOT = Path(__file__).resolve().parents[1]


def _snapshot(name: str) -> dict:
    return json.loads((ROOT / "specs" / name).read_bytes())


def test_revisions_of_one_version_share_walks_and_match_a_plain_walk():
    # Two revisions of one version, then the next version: later ones replay most operations.
    for name in ("revisions/2024-06-01@2024-06-28.json", "2024-06-01.json", "2024-02-01.json"):
        snapshot = _snapshot(name)
        assert list(memoised_surface_of(snapshot, name).rows.items()) == list(surface_of(snapshot, name).rows.items())


def test_a_changed_shared_component_reaches_every_operation_that_uses_it():
    snapshot = _snapshot("2024-06-01.json")
    memoised_surface_of(snapshot, "before")  # fills the memo
    changed = copy.deepcopy(snapshot)
    schemas = changed["components"]["schemas"]
    # A component reached only through $refs from other components: a nested change.
    target = next(n for n, s in sorted(schemas.items()) if isinstance(s, dict) and s.get("type") == "object"
                  and s.get("properties") and any(f'schemas/{n}"' in json.dumps(o) for o in schemas.values()))
    schemas[target]["properties"]["memo_probe"] = {"type": "string"}
    plain = surface_of(changed, "after").rows
    assert any(identity.endswith("memo_probe") for identity in plain)
    assert list(memoised_surface_of(changed, "after").rows.items()) == list(plain.items())
