"""`aoai-changelog serve`: preview the site locally (mkdocs serve on the generated pages)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from ..errors import MissingExtra, UserError
from ..store.locate import require_checkout
from .common import context, examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "preview the site locally (run `build` first)"
EXAMPLES = examples(
    'aoai-changelog build && aoai-changelog serve',
    'aoai-changelog serve --addr 127.0.0.1:8080',
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")


def run(args: Namespace) -> int:
    _check_address(args.addr)
    project, _catalog = context(args)
    require_checkout(str(project.root), "serve")
    if not (project.root / "site" / "index.md").exists():
        raise UserError("the site pages are not generated yet (run `aoai-changelog build`)")
    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable)) or shutil.which("mkdocs")
    if mkdocs is None:
        raise MissingExtra("site", "serve", "mkdocs-material")
    code = subprocess.call([mkdocs, "serve", "-f", str(project.root / "mkdocs.yml"), "-a", args.addr], cwd=project.root)
    if code not in (0, -2, 130):  # stopped with Ctrl-C is a normal end
        raise UserError(f"mkdocs serve stopped with exit code {code} (see its messages above)")
    return 0


def _check_address(addr: str) -> None:
    """Say in one line what mkdocs would say in a traceback: a malformed address, or one in use."""
    import socket

    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UserError(f"--addr {addr!r}: expected HOST:PORT, e.g. 127.0.0.1:8000")
    with socket.socket(socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET) as probe:
        try:
            probe.bind((host.strip("[]"), int(port)))
        except OSError as exc:
            raise UserError(f"cannot serve on {addr}: {exc.strerror or exc} (try --addr 127.0.0.1:PORT)") from None
