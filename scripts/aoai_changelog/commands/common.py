"""Helpers shared by the sub-commands: project/catalog loading and text layout."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace

    from ..index.indexstore import IndexStore
    from ..store.catalog import Catalog
    from ..store.project import Project


def context(args: Namespace, validate: bool = False) -> tuple[Project, Catalog]:
    """(project, catalog) for commands that need the catalog; `validate` for those that write
    (they work on a checkout only, never on the data installed with the package)."""
    from ..store.catalog import load_catalog
    from ..store.project import find_project

    project = find_project(args.root)
    if validate:
        from ..store.locate import require_checkout

        require_checkout(str(project.root), args.command)
    return project, load_catalog(project.catalog_file, project.schema_dir, validate=validate)


def open_index(args: Namespace) -> IndexStore:
    """The feature index for has/history. Needs no catalog (the index knows its versions) and no
    pathlib: this is the start-up path of `has`."""
    from ..api import feature_store

    return feature_store(args.root)


def format_attrs(attrs: dict) -> str:
    """`type=string, required, default=1` — the compact attribute list of text output."""
    import json

    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if value is True:
            parts.append(key)
        elif value is False or value is None or value == [] or value == {}:
            continue  # nothing to say (an operation without path parameters shows no `path_parameters=`)
        elif isinstance(value, list):
            parts.append(f"{key}=" + "|".join(str(v) for v in value))
        else:
            parts.append(f"{key}={json.dumps(value) if not isinstance(value, str) else value}")
    return ", ".join(parts)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


FORMATS = ("text", "json", "markdown")


def add_format_option(p: ArgumentParser, formats: tuple[str, ...] = FORMATS) -> None:
    """`--format text|json|markdown` (text, the human format, by default, piped or not) and
    `--json`, its short form."""
    p.add_argument("--format", choices=formats, default=None,
                   help="output format (default: text, on a terminal or not)")
    p.add_argument("--json", action="store_true", help="short for --format json")


def output_format(args: Namespace) -> str:
    """The format asked for: --format, else json for --json, else text."""
    fmt = getattr(args, "format", None)
    if fmt:
        return fmt
    return "json" if getattr(args, "json", False) else "text"


def markdown_table(rows: list[list], header: list[str]) -> str:
    """A GitHub table; `|` and newlines in cells would break it, so they are escaped."""
    def cell(value: object) -> str:
        return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def examples(*lines: str) -> str:
    """The examples block of a command's -h (argparse epilog; printed as written)."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)
