"""Where the project's data lives: specs/, changelog/, schema/, site/."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError


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
    """--root, else $AOAI_CHANGELOG_ROOT, else the nearest folder above cwd with specs/catalog.yaml,
    else the checkout this package was installed from (editable installs)."""
    candidates = []
    if explicit:
        candidates.append(Path(explicit))
    elif os.environ.get("AOAI_CHANGELOG_ROOT"):
        candidates.append(Path(os.environ["AOAI_CHANGELOG_ROOT"]))
    else:
        here = Path.cwd().resolve()
        candidates.extend([here, *here.parents])
        candidates.append(Path(__file__).resolve().parents[2])
    for candidate in candidates:
        if (candidate / "specs" / "catalog.yaml").is_file():
            return Project(candidate.resolve())
    if explicit or os.environ.get("AOAI_CHANGELOG_ROOT"):
        raise UserError(f"{candidates[0]}: not an aoai-changelog project (no specs/catalog.yaml)")
    raise UserError("no aoai-changelog project found (no specs/catalog.yaml here or above); use --root DIR")
