"""`aoai-changelog serve`: preview the site locally (mkdocs serve on the generated pages)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from ..errors import MissingExtra, UserError
from ..locate import require_checkout
from .common import context, examples

HELP = "preview the site locally (run `build` first)"
EXAMPLES = examples(
    'aoai-changelog build && aoai-changelog serve',
    'aoai-changelog serve --addr 127.0.0.1:8080',
)


def add_arguments(p) -> None:
    p.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")


def run(args) -> int:
    project, _catalog = context(args)
    require_checkout(str(project.root), "serve")
    if not (project.root / "site" / "index.md").exists():
        raise UserError("the site pages are not generated yet (run `aoai-changelog build`)")
    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable)) or shutil.which("mkdocs")
    if mkdocs is None:
        raise MissingExtra("site", "serve", "mkdocs-material")
    return subprocess.call([mkdocs, "serve", "-f", str(project.root / "mkdocs.yml"), "-a", args.addr], cwd=project.root)
