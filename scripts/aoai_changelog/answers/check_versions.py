"""`check` over versions: one verdict per version, and its text and Markdown forms."""

from __future__ import annotations

from typing import Any

from ..errors import UserError
from ..formatters.escaping import terminal_text
from ..store.catalog import Catalog
from ..store.project import Project
from .bodycheck import find_request, known_request_paths, make_validator, reasons_for, unknown_fields

# Verdicts, in the order a table reads them.
ACCEPTED, REJECTED, NO_OPERATION, NO_BODY = "accepted", "rejected", "no such operation", "takes no JSON body"


def check_in_version(project: Project, catalog: Catalog, body: Any, identity: str, version: str) -> dict:
    from ..store.snapshots import load_snapshot, load_surface

    if not catalog.knows(version):
        catalog.revision(version) if "@" in version else catalog.get(version)  # raises the helpful error
        raise UserError(f"unknown version '{version}'")
    snapshot = load_snapshot(project, catalog, version)
    request = find_request(snapshot, identity)
    if request is None:
        return {"version": version, "result": NO_OPERATION, "reasons": [], "unknown_fields": []}
    method_path = f"{request['method'].upper()} {request['path']}"
    if request["pointer"] is None:
        return {"version": version, "result": NO_BODY, "operation": method_path, "reasons": [], "unknown_fields": []}
    reasons = reasons_for(make_validator(snapshot, request["pointer"]), body)
    rows = load_surface(project, catalog, version).rows
    operation_key = next((row[0] for i, row in rows.items() if row[1] == "operation" and i == identity), "")
    known, open_below = known_request_paths(rows, operation_key)
    return {"version": version, "result": REJECTED if reasons else ACCEPTED, "operation": method_path,
            "media_type": request["media_type"], "reasons": reasons,
            "unknown_fields": unknown_fields(body, known, open_below)}


def check_body(project: Project, catalog: Catalog, body: Any, identity: str, versions: list[str]) -> dict:
    results = [check_in_version(project, catalog, body, identity, v) for v in versions]
    if all(r["result"] == NO_OPERATION for r in results):
        raise UserError(f"'{identity}' is not an operation of "
                        f"{', '.join(versions) if len(versions) < 4 else 'any version'}")
    return {"operation": identity, "results": results,
            "accepted_by": [r["version"] for r in results if r["result"] == ACCEPTED]}


def render_text(report: dict) -> str:
    results = report["results"]
    width = max(len(r["version"]) for r in results)
    lines = [f"{report['operation']} with {report['body']}: accepted by "
             f"{len(report['accepted_by'])} of {len(results)} version{'s' if len(results) != 1 else ''}"]
    for r in results:
        lines.append(f"  {r['version'].ljust(width)}  {r['result']}")
        for reason in r["reasons"]:
            lines.append(f"  {' ' * width}    - {reason}")
        if r["unknown_fields"]:
            lines.append(f"  {' ' * width}    warning: fields this version does not know: "
                         f"{', '.join(r['unknown_fields'])}")
    return "\n".join(terminal_text(line) for line in lines) + "\n"


def render_markdown(report: dict) -> str:
    from ..formatters.escaping import md_code
    from .migration_render import _md

    lines = [f"{md_code(report['operation'])} with {md_code(report['body'])}", "",
             "| version | result | reasons | unknown fields |", "|---|---|---|---|"]
    for r in report["results"]:
        lines.append(f"| {_md(r['version'])} | {r['result']} | {'<br>'.join(_md(x) for x in r['reasons'])} | "
                     f"{', '.join(_md(f) for f in r['unknown_fields'])} |")
    return "\n".join(lines) + "\n"
