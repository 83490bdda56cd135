"""`aoai-changelog show`: the elements of one version (or of an OpenAPI/Swagger file)."""

from __future__ import annotations

import sys

from .common import add_format_option, examples, format_attrs, output_format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace


HELP = "the elements of one version (or of an OpenAPI/Swagger file)"
EXAMPLES = examples(
    'aoai-changelog show 2024-10-21 --operation "POST /chat/completions"',
    "aoai-changelog show v1@2025-11-07 --operation /batches --format json",
    "aoai-changelog show my-api.yaml          # any OpenAPI 3.x / Swagger 2.0 file",
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("spec", metavar="VERSION", help="a version or revision id (see `versions`) or a path to a spec file")
    p.add_argument("--operation", metavar="TEXT", help="only elements of operations whose key contains TEXT")
    add_format_option(p)


def run(args: Namespace) -> int:
    from ..api import show

    result = show(args.spec, operation=args.operation, root=args.root)
    fmt = output_format(args)
    if fmt == "json":
        from ..formatters.jsonout import canonical_json

        sys.stdout.write(canonical_json(result.to_json()))
        return 0
    version = result.version
    md = fmt == "markdown"
    head = (f"{version['id']}: {result.operations} operations, {result.total} elements"
            + (f" ({len(result.elements)} shown for operation ~ '{args.operation}')" if args.operation else ""))
    from ..formatters.escaping import md_code, md_text, terminal_text

    # Keys, values and titles come from the documents: written for the format, never obeyed.
    text = md_text if md else terminal_text
    print(f"# {text(head)}\n" if md else text(head))
    if "date" in version:
        print(f"revision of {version['date']}: {text(version['title'] or '(no upstream change title)')}")
    if "status" in version:
        print(f"status: {version['status']}" + ("\n" if md else ""))
        for doc in version["documents"]:
            where = doc.get("upstream_path") or ""
            print(("- " if md else "  ")
                  + f"{doc['document']}: {doc['status']}, upstream commit {doc['upstream_commit'] or '?'}, "
                  f"sha256 {(doc['sha256'] or '?')[:16]}…" + (f", {where}" if where else ""))
        if md:
            print()
    for element in result.elements:
        attrs = format_attrs(element.attrs)
        if md:
            print(f"- {md_code(element.key)}" + (f" ({md_text(attrs)})" if attrs else ""))
        else:
            print(terminal_text(element.key) + (f"  [{terminal_text(attrs)}]" if attrs else ""))
    return 0
