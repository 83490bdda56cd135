"""The `aoai-changelog` command line: a thin layer over the API (api.py). Each sub-command is a
module of commands/ that parses its options, calls the API and prints.

Exit codes: 0 ok; 1 breaking change found (with --fail-on*), feature absent, no match, or check
rejected; 2 bad input (one line on stderr); 130 interrupted."""

from __future__ import annotations

import sys

from . import __version__
from .commands import COMMANDS, load
from .errors import ChangelogError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace
    from collections.abc import Callable
    from typing import NoReturn


def build_parser(only: str | None = None) -> ArgumentParser:
    """The parser; with `only`, just that sub-command's (the others are not even imported)."""
    import argparse

    class OneLineErrors(argparse.ArgumentParser):
        """Misuse is bad input like any other: one line on stderr, exit 2 (argparse adds a usage block)."""

        def error(self, message: str) -> NoReturn:
            self.exit(2, f"aoai-changelog: error: {message} (see `{self.prog} --help`)\n")

    parser = OneLineErrors(
        prog="aoai-changelog",
        description="What changed between Azure OpenAI REST API versions, answered from the specifications.",
        epilog="exit codes: 0 ok; 1 breaking change found (--fail-on*), feature absent or no match; "
               "2 bad input; 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"aoai-changelog {__version__}")
    parser.add_argument("--root", metavar="DIR",
                        help="data folder (default: the checkout here or above, "
                             "else the data installed with the package)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in ([only] if only else COMMANDS):
        module = load(name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP, epilog=getattr(module, "EXAMPLES", None),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(p)
        p.set_defaults(func=module.run)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The sub-command named in argv (skipping `--root DIR`), if it is a known one."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--root":
            skip = True
        elif arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return None
        else:
            return arg if arg in COMMANDS else None
    return None


class _Args:
    """What argparse would give `has`, built without it (see _quick_has): it stands in for the
    argparse.Namespace that commands/has.py's run() is annotated with."""

    func: Callable[..., int]

    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def _quick_has(argv: list[str]) -> _Args | None:
    """`[--root DIR] has FEATURE [--in V] [--format F | --json]`, parsed without argparse (whose import
    is a good part of a whole `has`). Anything else (help, unknown options, misuse) goes to argparse."""
    values: dict[str, object] = {"root": None, "version": None, "json": False, "format": None, "feature": None,
                                 "oldest": False, "channel": None}
    args = list(argv)
    if args[:1] == ["--root"] and len(args) > 1:
        values["root"] = args[1]
        args = args[2:]
    if args[:1] != ["has"]:
        return None
    rest = args[1:]
    while rest:
        arg = rest.pop(0)
        if arg == "--json":
            values["json"] = True
        elif arg == "--in" and rest and not rest[0].startswith("-"):
            values["version"] = rest.pop(0)
        elif arg == "--format" and rest and rest[0] in ("text", "json", "markdown"):
            values["format"] = rest.pop(0)
        elif not arg.startswith("-") and values["feature"] is None:
            values["feature"] = arg
        else:
            return None
    if values["feature"] is None:
        return None
    values["features"] = [values.pop("feature")]
    return _Args(func=load("has").run, command="has", **values)


def _error(message: str) -> int:
    """The one line of a refusal. Messages quote names and paths from the input: spelled visibly."""
    from .formatters.escaping import terminal_text

    print(f"aoai-changelog: error: {terminal_text(message)}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if hasattr(sys.stdout, "reconfigure"):
        # A lone surrogate from a document (JSON allows `"\ud800"`) cannot be written as UTF-8: it is
        # written as that escape, which keeps JSON output valid and text visible, instead of failing.
        sys.stdout.reconfigure(errors="backslashreplace")
    for arg in argv:
        # Bytes that are not UTF-8 arrive as lone surrogates (PEP 383) and could not be printed back.
        if not arg.isascii() and any("\udc80" <= c <= "\udcff" for c in arg):
            from .formatters.escaping import terminal_text

            print(f"aoai-changelog: error: argument is not UTF-8 text: {terminal_text(arg)}", file=sys.stderr)
            return 2
    try:
        args: Namespace | _Args | None = _quick_has(argv)
        if args is None:
            parser = build_parser(_command_in(argv))
            try:
                args = parser.parse_args(argv)
            except SystemExit as exc:  # argparse already printed a one-line usage error (or the help)
                sys.stdout.flush()
                return 2 if exc.code not in (0, None) else 0
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:  # `... | head`: the reader has what it wanted; say nothing, exit 0
        _silence_stdout()
        return 0
    except ChangelogError as exc:
        return _error(str(exc))
    except OSError as exc:  # the file system said no somewhere we did not expect: still one line
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return _error(f"{where}{exc.strerror or exc}")
    except RecursionError:
        print("aoai-changelog: error: a schema is nested too deeply to follow (thousands of levels of $ref or allOf)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("aoai-changelog: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
