"""`aoai-changelog catalog --from DIR`: write specs/catalog.yaml from an upstream MANIFEST.yaml."""

from __future__ import annotations

from pathlib import Path

from .common import examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "write specs/catalog.yaml from an upstream MANIFEST.yaml"
EXAMPLES = examples(
    'aoai-changelog catalog --from ../shared/upstream          # MANIFEST.yaml -> specs/catalog.yaml',
    'aoai-changelog catalog --from ../shared/upstream --init   # a new project in this folder',
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("--from", dest="source", required=True, metavar="DIR", help="upstream tree (with MANIFEST.yaml)")
    p.add_argument("--init", action="store_true", help="create the catalog in the current folder")


def run(args: Namespace) -> int:
    from ..store.catalog import catalog_from_manifest, write_catalog
    from ..store.locate import require_checkout
    from ..store.project import find_project

    root = find_project(args.root).root if args.root or not args.init else Path.cwd()
    require_checkout(str(root), "catalog")
    data = catalog_from_manifest(Path(args.source))
    write_catalog(root / "specs" / "catalog.yaml", data, root / "schema")
    print(f"wrote {root / 'specs' / 'catalog.yaml'} ({len(data['versions'])} versions)")
    return 0
