"""Where the knowledge lives. os.path only: `has` starts fast.

Two modes, one layout (`specs/`, `schema/`, `changelog/features.json`, ...):
- a checkout (maintainers): the project folder itself, found from --root, $AOAI_CHANGELOG_ROOT,
  the current folder or its parents, or the checkout an editable install points at;
- an installed wheel (users): a read-only copy of the committed data inside the package,
  `aoai_changelog/data/` (setup.py copies it there when the wheel is built).

Every command and the Python API ask `data_root()` for the folder, and `cache_dir()` for where to
keep caches (the checkout's `build/cache/`, or a per-user folder for the installed data, which is
never written to).
"""

from __future__ import annotations

import os

from ..errors import NoData, UserError

# The package folder (this module is in its store/ package) holds the installed data.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
PACKAGED_DATA = os.path.join(_PACKAGE, "data")


def _is_project(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "specs", "catalog.yaml"))


def find_checkout(explicit: str | None = None) -> str | None:
    """The project checkout: --root, else $AOAI_CHANGELOG_ROOT, else the nearest folder above cwd
    with specs/catalog.yaml, else the checkout this package was installed from (editable installs).
    None when there is none (an installed wheel used outside a checkout)."""
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
    checkout = os.path.dirname(os.path.dirname(_PACKAGE))
    if _is_project(checkout):
        return checkout
    return None


def data_root(explicit: str | None = None) -> str:
    """The folder to read the knowledge from: a checkout (see find_checkout), else the data shipped
    in the installed package. Raises NoData when neither exists."""
    checkout = find_checkout(explicit)
    if checkout is not None:
        return checkout
    if _is_project(PACKAGED_DATA):
        return PACKAGED_DATA
    raise NoData("no aoai-changelog data found (no specs/catalog.yaml here or above, and none installed "
                 "with the package); use --root DIR")


# Kept for callers of the earlier name: the same answer as data_root().
find_root = data_root


def is_packaged(root: str) -> bool:
    """Is `root` the read-only data inside the installed package (not a checkout)?"""
    return os.path.realpath(root) == PACKAGED_DATA


def cache_dir(root: str) -> str:
    """Where caches of `root`'s data go: `build/cache/` in a checkout; for the installed data, a
    per-user folder ($XDG_CACHE_HOME or ~/.cache, then aoai-changelog/VERSION), since site-packages
    is not ours to write. Caches are keyed by their sources' size and mtime, so a stale one is
    never used."""
    if not is_packaged(root):
        return os.path.join(root, "build", "cache")
    from .. import __version__

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "aoai-changelog", __version__)


def source_stamp(source: str | os.PathLike[str], layout: str) -> str:
    """The stamp every cache keeps of what it was made from: `SIZE:MTIME_NS:LAYOUT`, the source
    file's size and modification time, and `layout` (the cache's format, or a digest of the code
    that made it), so that a cache of another source, format or code is never used. Raises OSError
    when the source cannot be read."""
    stat = os.stat(source)
    return f"{stat.st_size}:{stat.st_mtime_ns}:{layout}"


def require_checkout(root: str, command: str) -> None:
    """Commands that write (import, catalog, build, serve) work on a checkout, never on the
    installed data."""
    if is_packaged(root):
        raise UserError(f"`{command}` works on a checkout of the project (it writes specs/ or changelog/); "
                        "run it inside one, or pass --root DIR")
