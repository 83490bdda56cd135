"""`aoai-changelog has`: is FEATURE (a key, an operation or a bare name) present, and since when.

This is the command people run most, so its path stays light: cli._quick_has parses it without
argparse, and nothing here imports json, re or pathlib unless JSON is asked for.
"""

from __future__ import annotations

import sys

from .common import examples, open_index, output_format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace

    from ..index.indexstore import IndexStore
    from ..results import FeatureAnswer


def canonical_json(data: object) -> str:
    from ..formatters.jsonout import canonical_json as dump  # JSON only: the text path never imports json

    return dump(data)


HELP = ("is FEATURE (a key, an operation or a bare name) present, and since when; "
        "several FEATUREs: all of them, per operation")
EXAMPLES = examples(
    "aoai-changelog has max_completion_tokens --in 2024-08-01-preview   # exit 0 present, 1 absent",
    'aoai-changelog has "POST /videos" --in v1@2025-11-07                 # a revision id',
    "aoai-changelog has max_completion_tokens stream_options.include_usage --oldest --format json",
)


def add_arguments(p: ArgumentParser) -> None:
    from .common import add_format_option

    p.add_argument("features", metavar="FEATURE", nargs="+",
                   help="`POST /chat/completions request store`, `POST /batches`, `/batches`, `max_completion_tokens`, "
                        "`stream_options.include_usage`, `wav`")
    p.add_argument("--oldest", action="store_true",
                   help="the oldest version (and oldest GA) with all FEATUREs, v1's since-date, "
                        "and what holds each other version back")
    p.add_argument("--channel", choices=("ga", "preview"), help="only versions of this channel")
    p.add_argument("--in", dest="version", metavar="V",
                   help="a version or revision id (v1@2025-11-07): exit 0 when present in V, 1 when absent")
    add_format_option(p)


def _run_several(args: Namespace, index: IndexStore, fmt: str) -> int:
    """Several features, --oldest or --channel: all of them together, per operation."""
    from ..answers.features import render_text
    from ..api import several_features

    result = several_features(index, args.features, args.version, args.channel, root=args.root)
    combined = result.to_json()  # the per-operation answer (HasResult.combined): one form for each format
    if fmt == "json":
        sys.stdout.write(canonical_json(combined))
    else:
        text = render_text(combined, args.oldest, args.version, index)
        sys.stdout.write(f"```text\n{text}```\n" if fmt == "markdown" else text)
    return 0 if result.present else 1


def run(args: Namespace) -> int:
    from ..api import feature_answer

    index = open_index(args)
    fmt = output_format(args)
    if len(args.features) > 1 or getattr(args, "oldest", False) or getattr(args, "channel", None):
        return _run_several(args, index, fmt)
    from .common import context

    feature = args.features[0]
    _, catalog = context(args)
    answer = feature_answer(index, feature, args.version, {v.id: v.channel for v in catalog.versions})
    if fmt == "json":
        sys.stdout.write(canonical_json(answer.to_json()))
    elif fmt == "markdown":
        sys.stdout.write(render_markdown(index, answer))
    elif not answer.matches:
        near = answer.suggestions
        print(f"no element matches '{feature}'" + (f"; did you mean: {', '.join(near)}?" if near else ""))
    else:
        _print_text(args, index, answer)
    return 0 if answer.present else 1


def _print_text(args: Namespace, index: IndexStore, answer: FeatureAnswer) -> None:
    matches = [m.to_json() for m in answer.matches]
    if args.version:
        from ..formatters.escaping import terminal_text

        print(terminal_text(headline(answer)))
    if len({m["operation"] for m in matches}) > 1 and not args.version and not answer.feature.startswith("/"):
        from ..answers.features import render_grouped
        from .common import context

        _, catalog = context(args)
        sys.stdout.write(render_grouped(index, answer.feature, matches, {v.id: v.channel for v in catalog.versions}))
        return
    from ..answers.features import gate_lines
    from ..formatters.escaping import terminal_text

    gated = {op: gate_lines(index, op) for op in {m["operation"] for m in matches}}
    for m in matches:
        mark = "" if not args.version else ("[present] " if m["in_version"] else "[absent]  ")
        print(f"{mark}{terminal_text(m['key'])}")
        for line in _presence_lines(index, m):
            print(f"    {line}")
        for line in gated[m["operation"]]:
            print(f"    {line}")


def headline(answer: FeatureAnswer) -> str:
    """`'X' is present in V`, or, when X matches several operations, which ones have it in V: the
    answer (and the exit code) is the best-ranked operation's, and the others are named so that a
    yes at one operation is never read as a yes at another."""
    feature, version, ops = answer.feature, answer.version, answer.operations
    if len(ops) <= 1:
        return f"'{feature}' is {'present' if answer.present else 'absent'} in {version}"
    have = [o["operation"] for o in ops if o["in_version"]]
    lack = [o["operation"] for o in ops if not o["in_version"]]

    def some(names: list[str]) -> str:
        return names[0] + (f" (+{len(names) - 1} more)" if len(names) > 1 else "")

    best = ops[0]["operation"]
    if not lack:
        return f"'{feature}' is present in {version} at all {len(ops)} operations it matches (best match: {best})"
    if not have:
        return f"'{feature}' is absent in {version} at all {len(ops)} operations it matches (best match: {best})"
    if answer.present:
        also = f"; also present at {some(have[1:])}" if len(have) > 1 else ""
        return f"'{feature}' is present in {version} at {best}, the best match{also}; absent at {some(lack)}"
    return (f"'{feature}' is absent in {version} at {best}, the best match; "
            f"present at {some(have)} (name the operation or the full key to ask about it)")


def _presence_lines(index: IndexStore, m: dict) -> list[str]:
    """Where one match is present: versions, then each version's dated revisions."""
    out = []
    if m["versions"]:
        gaps = f"; absent in {', '.join(m['gaps'])}" if m["gaps"] else ""
        out.append(f"first seen {m['first_seen']}, last seen {m['last_seen']}{gaps} "
                   f"({len(m['versions'])} of {len(index.versions)} versions)")
    for name, seen in m["revisions"].items():
        total = len(index.timelines[name])
        line = f"{name}: since {seen['first_date']} ({seen['first_title'] or 'upstream revision'})"
        if seen["last_seen"] != index.timelines[name][-1]:
            line += f", last seen {seen['last_date']}"
        if seen["gaps"]:
            line += f", absent in {', '.join(seen['gaps'])}"
        out.append(line + f" [{len(seen['versions'])} of {total} revisions]")
    return out


def render_markdown(index: IndexStore, answer: FeatureAnswer) -> str:
    """The answer as a Markdown list: each matching element (as code), then where it is present."""
    from ..formatters.escaping import md_code, md_text

    if not answer.matches:
        near = answer.suggestions
        return (f"No element matches {md_code(answer.feature)}"
                + (f"; did you mean: {', '.join(md_code(n) for n in near)}?" if near else "") + "\n")
    out = []
    if answer.version:
        out += [md_text(headline(answer)), ""]
    for m in answer.matches:
        mark = "" if not answer.version else ("present: " if m.in_version else "absent: ")
        out.append(f"- {mark}{md_code(m.key)}")
        out += [f"  - {md_text(line)}" for line in _presence_lines(index, m.to_json())]
    return "\n".join(out) + "\n"
