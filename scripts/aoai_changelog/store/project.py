"""Where the project's data lives: specs/, changelog/, schema/, site/ (a checkout or the installed data)."""

from __future__ import annotations

from pathlib import Path


class Project:
    """The folders of one checkout. (A plain class: `has` starts faster without dataclasses.)"""

    def __init__(self, root: Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"Project({str(self.root)!r})"

    @property
    def specs(self) -> Path:
        return self.root / "specs"

    @property
    def catalog_file(self) -> Path:
        return self.specs / "catalog.yaml"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def cache(self) -> Path:
        """Where caches go: build/cache/ in a checkout, a per-user folder for the installed data."""
        from .locate import cache_dir

        return Path(cache_dir(str(self.root)))

    @property
    def packaged(self) -> bool:
        """Is this the read-only data installed with the package (not a checkout)?"""
        from .locate import is_packaged

        return is_packaged(str(self.root))

    @property
    def changelog(self) -> Path:
        return self.root / "changelog"

    def snapshot_file(self, version: str) -> Path:
        return self.specs / f"{version}.json"

    @property
    def revisions_dir(self) -> Path:
        return self.specs / "revisions"

    def revision_file(self, revision_id: str) -> Path:
        return self.revisions_dir / f"{revision_id}.json"


def find_project(explicit: str | None = None) -> Project:
    """The data folder: a checkout or the installed data (see locate.data_root)."""
    from .locate import data_root

    return Project(Path(data_root(explicit)).resolve())
