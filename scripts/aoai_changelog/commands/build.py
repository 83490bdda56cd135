"""`aoai-changelog build`: regenerate changelog/ from specs/, then the site (pages + mkdocs build)."""

from __future__ import annotations

import sys
import time

from .common import context, examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace

    from ..store.catalog import Catalog
    from ..store.project import Project


HELP = "regenerate changelog/ (diffs, feature index) from specs/, then build the site into build/site"
EXAMPLES = examples(
    'aoai-changelog build                 # changelog/, site pages, mkdocs build into build/site',
    'aoai-changelog build --no-site       # changelog/ only (no site extra needed)',
    'aoai-changelog build --check         # exit 1 when changelog/ is stale (CI)',
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if changelog/ is stale")
    p.add_argument("--no-site", action="store_true", help="only changelog/, no site pages and no mkdocs build")
    from ..index.feeds import DEFAULT_SITE_URL

    p.add_argument("--site-url", default=DEFAULT_SITE_URL,
                   help="where the site will be published (the Atom feeds link to its timeline pages)")


def require_site_extra() -> None:
    """The site needs jinja2 and mkdocs-material, which only the `site` extra installs."""
    import importlib.util
    import os
    import shutil

    from ..errors import MissingExtra

    for module, package in (("jinja2", "jinja2"), ("mkdocs", "mkdocs-material"), ("material", "mkdocs-material")):
        if importlib.util.find_spec(module) is None:
            raise MissingExtra("site", "build", package)
    if not (shutil.which("mkdocs", path=os.path.dirname(sys.executable)) or shutil.which("mkdocs")):
        raise MissingExtra("site", "build", "the mkdocs command")


def run(args: Namespace) -> int:
    from ..pipeline.parallel import allow_helpers
    from ..store.buildlock import build_lock

    allow_helpers()  # surfaces, guides and notes on both cores

    project, catalog = context(args, validate=True)
    if not args.no_site:
        require_site_extra()  # say so now, not after regenerating changelog/
    if args.check:  # writes nothing: no lock needed
        return _build(args, project, catalog)
    with build_lock(project.root):
        return _build(args, project, catalog)


def _build(args: Namespace, project: Project, catalog: Catalog) -> int:
    from ..pipeline.collector import without_collections

    with without_collections():
        return _build_all(args, project, catalog)


def _build_all(args: Namespace, project: Project, catalog: Catalog) -> int:
    from ..pipeline.changelog import build_changelog

    started = time.perf_counter()
    stale = build_changelog(project, catalog, check=args.check)
    elapsed = time.perf_counter() - started
    if args.check:
        if stale:
            print(f"changelog/ is stale ({len(stale)} files differ, e.g. {stale[0]}); run `aoai-changelog build`",
                  file=sys.stderr)
            return 1
        print(f"changelog/ is up to date ({elapsed:.1f} s)")
        return 0
    print(f"built changelog/ ({len(stale)} files) in {elapsed:.1f} s")
    if args.no_site:
        return 0
    from ..pipeline.changelog import build_site

    started = time.perf_counter()
    files = build_site(project, catalog, args.site_url)
    print(f"built the site into {project.root / 'build' / 'site'} ({len(files)} generated files) "
          f"in {time.perf_counter() - started:.1f} s")
    return 0
