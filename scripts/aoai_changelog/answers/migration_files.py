"""changelog/migrations/: the migration guide from every dated version to v1 and to the latest dated GA."""

from __future__ import annotations

from ..formatters.jsonout import canonical_json
from ..pipeline.compare import describe, diff_surfaces
from ..store.catalog import Catalog
from ..surface import Surface
from .migration import migration_guide
from .migration_render import render_markdown


def migration_pairs(catalog: Catalog) -> list[tuple[str, str]]:
    """(FROM, TO) for every dated version: to the newest GA (v1), and to the newest dated GA when
    FROM is older than it (a client pinned to a date may move to the next pinned date instead)."""
    ids = catalog.ids()
    ga = catalog.ga_line()
    if not ga:
        return []
    latest = ga[-1]
    dated_ga = [v for v in ga if catalog.get(v).release_date]
    latest_dated = dated_ga[-1] if dated_ga else None
    pairs = []
    for version in catalog.versions:
        if not version.release_date:
            continue
        if version.id != latest:
            pairs.append((version.id, latest))
        if latest_dated and latest_dated != latest and ids.index(version.id) < ids.index(latest_dated):
            pairs.append((version.id, latest_dated))
    return pairs


def migration_files(catalog: Catalog, surfaces: dict[str, Surface]) -> dict[str, str]:
    files, listing = {}, []
    for old, new in migration_pairs(catalog):
        result = diff_surfaces(surfaces[old], surfaces[new], describe(catalog, old), describe(catalog, new),
                               list_members=False)  # a guide counts members, per operation
        guide = migration_guide(result)
        name = f"migrations/{old}..{new}.md"
        files[name] = render_markdown(guide)
        listing.append({"from": old, "to": new, "markdown": name, "summary": guide["summary"]})
    files["migrations/index.json"] = canonical_json({"migrations": listing})
    return files
