"""`aoai-changelog check`: would each version accept this request body, and if not, why."""

from __future__ import annotations

import sys

from .common import examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace
    from typing import Any


HELP = "validate a request body against each version's request schema of an operation"
EXAMPLES = examples(
    'aoai-changelog check body.json --operation "POST /chat/completions"            # every version',
    ('aoai-changelog check body.json --operation "POST /chat/completions" --in 2024-10-21'
     '   # exit 0 accepted, 1 rejected'),
    'echo \'{"input": "hi"}\' | aoai-changelog check - --operation "POST /embeddings" --format json',
)
# A request body bigger than this is not a request body a person wrote.
MAX_BODY_BYTES = 16 * 1024 * 1024


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("body", metavar="BODY.json", help="the request body (JSON file; `-` reads stdin)")
    p.add_argument("--operation", metavar="OP", required=True, help="`POST /chat/completions`")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--in", dest="in_version", metavar="V",
                       help="one version or revision id: exit 0 accepted, 1 rejected")
    which.add_argument("--all", action="store_true", help="every version (the default): exit 0 when one accepts it")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="default: text")


def read_body(name: str) -> Any:
    import json

    from ..errors import UserError

    try:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_BODY_BYTES + 1)
        else:
            with open(name, "rb") as handle:
                raw = handle.read(MAX_BODY_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a directory, not a JSON file") from None
    if len(raw) > MAX_BODY_BYTES:
        raise UserError(f"{name}: larger than {MAX_BODY_BYTES // (1024 * 1024)} MB; not a request body")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UserError(f"{name}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{name}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise UserError(f"{name}: JSON nested too deeply") from None


def run(args: Namespace) -> int:
    from ..answers.check_versions import render_markdown, render_text
    from ..api import check
    from ..formatters.jsonout import canonical_json

    body = read_body(args.body)
    report = check(body, args.operation, version=args.in_version, root=args.root).to_json()
    report["body"] = args.body
    render = {"text": render_text, "markdown": render_markdown, "json": canonical_json}[args.format]
    sys.stdout.write(render(report))
    results = report["results"]
    return 0 if any(r["result"] == "accepted" for r in results) else 1
