"""Where the project's data lives: specs/, changelog/, schema/, site/."""

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
    """The project folder: see locate.find_root for where it is looked for."""
    from .locate import find_root

    return Project(Path(find_root(explicit)).resolve())
