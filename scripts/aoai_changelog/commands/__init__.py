"""The sub-commands, one module each. Each module has HELP, add_arguments(parser) and run(args).

The registry names modules instead of importing them, so that `has` pays only for `has`.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType


COMMANDS = {
    "catalog": "catalog",
    "import": "importing",
    "sync": "sync",
    "versions": "versions",
    "show": "show",
    "diff": "diff",
    "has": "has",
    "history": "history",
    "revisions": "revisions",
    "migrate": "migrate",
    "check": "check",
    "preview": "preview",
    "build": "build",
    "serve": "serve",
    "completion": "completion",
}


def load(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{COMMANDS[name]}")
