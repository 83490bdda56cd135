"""Find the project folder (the one with specs/catalog.yaml). os.path only: `has` starts fast."""

from __future__ import annotations

import os

from .errors import UserError


def _is_project(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "specs", "catalog.yaml"))


def find_root(explicit: str | None = None) -> str:
    """--root, else $AOAI_CHANGELOG_ROOT, else the nearest folder above cwd with specs/catalog.yaml,
    else the checkout this package was installed from (editable installs)."""
    given = explicit or os.environ.get("AOAI_CHANGELOG_ROOT")
    if given:
        if _is_project(given):
            return os.path.abspath(given)
        raise UserError(f"{given}: not an aoai-changelog project (no specs/catalog.yaml)")
    folder = os.getcwd()
    while True:
        if _is_project(folder):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    checkout = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    if _is_project(checkout):
        return checkout
    raise UserError("no aoai-changelog project found (no specs/catalog.yaml here or above); use --root DIR")
