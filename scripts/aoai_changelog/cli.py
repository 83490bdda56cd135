"""The `aoai-changelog` command line. Each sub-command is a thin shell around one pipeline stage."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .errors import UserError


def _project(args):
    from .project import find_project

    return find_project(args.root)


def _catalog(project):
    from .catalog import load_catalog

    return load_catalog(project.catalog_file, project.schema_dir)


def cmd_catalog(args) -> int:
    from .catalog import catalog_from_manifest, write_catalog

    project = _project(args) if args.root or not args.init else None
    root = project.root if project else Path.cwd()
    data = catalog_from_manifest(Path(args.source))
    write_catalog(root / "specs" / "catalog.yaml", data, root / "schema")
    print(f"wrote {root / 'specs' / 'catalog.yaml'} ({len(data['versions'])} versions)")
    return 0


def cmd_import(args) -> int:
    from .importer import import_versions

    project = _project(args)
    catalog = _catalog(project)
    started = time.perf_counter()
    results = import_versions(project, catalog, Path(args.source), args.version)
    elapsed = time.perf_counter() - started
    changed = [v for v, did in results if did]
    print(f"imported {len(results)} version(s) in {elapsed:.2f} s; {len(changed)} snapshot(s) changed" + (f": {', '.join(changed)}" if changed else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aoai-changelog",
        description="What changed between Azure OpenAI REST API versions, answered from the specifications.",
    )
    parser.add_argument("--version", action="version", version=f"aoai-changelog {__version__}")
    parser.add_argument("--root", help="project folder (default: the nearest folder with specs/catalog.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("catalog", help="write specs/catalog.yaml from an upstream MANIFEST.yaml")
    p.add_argument("--from", dest="source", required=True, metavar="DIR", help="upstream tree (with MANIFEST.yaml)")
    p.add_argument("--init", action="store_true", help="create the catalog in the current folder")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("import", help="import upstream files into facts-only snapshots (specs/<version>.json)")
    p.add_argument("--from", dest="source", required=True, metavar="DIR", help="upstream tree (with MANIFEST.yaml)")
    p.add_argument("--version", action="append", metavar="V", help="only this version (repeatable)")
    p.set_defaults(func=cmd_import)

    from .commands import register

    register(sub)
    return parser


class _Parser(argparse.ArgumentParser):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a one-line usage error
        return 2 if exc.code not in (0, None) else 0
    try:
        return args.func(args)
    except UserError as exc:
        print(f"aoai-changelog: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("aoai-changelog: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
