"""Helpers shared by the sub-commands: project/catalog loading and text layout."""

from __future__ import annotations


def context(args, validate: bool = False):
    """(project, catalog) for commands that need the catalog; `validate` for those that write."""
    from ..catalog import load_catalog
    from ..project import find_project

    project = find_project(args.root)
    return project, load_catalog(project.catalog_file, project.schema_dir, validate=validate)


def open_index(args):
    """The feature index for has/history. Needs no catalog (the index knows its versions) and no
    pathlib: this is the start-up path of `has`."""
    import os

    from ..indexstore import open_store
    from ..locate import find_root

    root = find_root(args.root)
    return open_store(os.path.join(root, "changelog", "features.json"), os.path.join(root, "build", "cache"))


def format_attrs(attrs: dict) -> str:
    """`type=string, required, default=1` — the compact attribute list of text output."""
    import json

    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if value is True:
            parts.append(key)
        elif value is False or value is None:
            continue
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
