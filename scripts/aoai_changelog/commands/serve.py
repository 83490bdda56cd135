"""`aoai-changelog serve`: preview the site locally (mkdocs serve on the generated pages)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from ..errors import UserError
from .common import context

HELP = "preview the site locally (run `build` first)"


def add_arguments(p) -> None:
    p.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")


def run(args) -> int:
    project, _catalog = context(args)
    if not (project.root / "site" / "index.md").exists():
        raise UserError("the site pages are not generated yet (run `aoai-changelog build`)")
    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable)) or shutil.which("mkdocs")
    if mkdocs is None:
        raise UserError("mkdocs is not installed (pip install mkdocs-material)")
    return subprocess.call([mkdocs, "serve", "-f", str(project.root / "mkdocs.yml"), "-a", args.addr], cwd=project.root)
