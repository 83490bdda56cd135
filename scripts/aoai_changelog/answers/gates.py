"""What is preview inside a version, and how a client opts in, read from the element model.

Three signs, none of them a list of features:
- a request header whose allowed value is a preview word (`aoai-evals: preview`): the gate is the
  header, and its value is what to send;
- a path segment that is a preview word (`/fine_tuning/alpha/graders/run`);
- an operation present only in the version's preview twin (`v1-preview` for `v1`: same id plus
  `-preview` in the catalog), reached with the `api-version` value(s) only the twin accepts.
"""

from __future__ import annotations

from ..errors import UserError
from ..formatters.escaping import terminal_text
from ..store.catalog import Catalog
from ..store.project import Project
from ..surface import Surface
from .features import PREVIEW_WORDS, is_preview_word  # noqa: F401 - one definition of a preview word


def header_gates(surface: Surface) -> list[dict]:
    """[{header, value, operations}] for request headers whose allowed value is a preview word."""
    gates: dict[tuple[str, str], list[str]] = {}
    for key, kind, operation, location, _attrs, _parent in surface.rows.values():
        if kind != "enum" or location != "header" or "=" not in key:
            continue
        name, _, value = key[len(operation) + len(" header "):].rpartition("=")
        if is_preview_word(value):
            gates.setdefault((name, value), []).append(operation)
    return [{"header": h, "value": v, "operations": sorted(ops)} for (h, v), ops in sorted(gates.items())]


def path_gates(surface: Surface) -> list[dict]:
    """[{segment, operations}] for operations whose path has a preview word as a segment."""
    gates: dict[str, list[str]] = {}
    for element in surface.operations():
        for segment in str(element.attrs.get("path", "")).split("/"):
            if segment and not segment.startswith("{") and is_preview_word(segment):
                gates.setdefault(segment, []).append(element.key)
    return [{"segment": s, "operations": sorted(ops)} for s, ops in sorted(gates.items())]


def twin_of(catalog: Catalog, spec: str) -> tuple[str, str] | None:
    """(stable side, preview side) for a version or revision and its preview twin, at the same date
    for revisions (the twin's newest revision not after it). None when there is no twin."""
    version_id = spec.split("@", 1)[0]
    if version_id.endswith("-preview") and catalog.knows(version_id[: -len("-preview")]):
        other, spec_is_preview = version_id[: -len("-preview")], True
    elif catalog.knows(version_id + "-preview"):
        other, spec_is_preview = version_id + "-preview", False
    else:
        return None
    if "@" in spec:
        _, revision = catalog.revision(spec)
        earlier = [r for r in catalog.imported_revisions(other) if r["date"] <= revision["date"]]
        if not earlier:
            return None
        partner = other if earlier[-1]["canonical"] else earlier[-1]["id"]
    else:
        partner = other
    return (partner, spec) if spec_is_preview else (spec, partner)


def _api_versions(snapshot: dict) -> set[str]:
    """The values the `api-version` query parameter accepts in a snapshot (through one `$ref`)."""
    values: set[str] = set()
    schemas = (snapshot.get("components") or {}).get("schemas") or {}
    for item in (snapshot.get("paths") or {}).values():
        for operation in (item or {}).values():
            for parameter in (operation.get("parameters") or []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and parameter.get("name") == "api-version":
                    schema = parameter.get("schema") or {}
                    ref = schema.get("$ref", "")
                    if ref.startswith("#/components/schemas/"):
                        schema = {**schemas.get(ref.rsplit("/", 1)[1], {}), **schema}
                    values.update(str(v) for v in schema.get("enum") or [])
                    if "default" in schema:
                        values.add(str(schema["default"]))
    return values


def preview_report(project: Project, catalog: Catalog, spec: str) -> dict:
    from ..store.snapshots import load_snapshot, load_surface

    if not catalog.knows(spec):
        catalog.revision(spec) if "@" in spec else catalog.get(spec)
        raise UserError(f"unknown version '{spec}'")
    surface = load_surface(project, catalog, spec)
    channel = catalog.get(spec.split("@", 1)[0]).channel
    report: dict = {"version": spec, "channel": channel, "header_gates": header_gates(surface),
                    "path_gates": path_gates(surface), "preview_only": None}
    twin = twin_of(catalog, spec)
    if twin:
        stable, preview = twin
        stable_ops = {e.identity: e.key for e in load_surface(project, catalog, stable).operations()}
        preview_ops = {e.identity: e.key for e in load_surface(project, catalog, preview).operations()}
        accepted = _api_versions(load_snapshot(project, catalog, preview))
        opt_in = sorted(accepted - _api_versions(load_snapshot(project, catalog, stable)))
        report["preview_only"] = {"stable": stable, "preview": preview, "api_version": opt_in,
                                  "api_version_accepted": sorted(accepted),
                                  "operations": sorted(preview_ops[i] for i in preview_ops.keys() - stable_ops.keys())}
    return report


def render_text(report: dict) -> str:
    lines = [f"{report['version']}: what is preview, and how to opt in"]
    if report["channel"] == "preview":
        lines.append(f"The whole of {report['version']} is a preview version (catalog channel: preview).")
    lines.append("")
    if report["header_gates"]:
        lines.append("Gated by a request header (send it with this value):")
        for gate in report["header_gates"]:
            lines.append(f"  {gate['header']}: {gate['value']}  ({len(gate['operations'])} operations)")
            lines += [f"    {op}" for op in gate["operations"]]
    else:
        lines.append("No operation is gated by a preview request header.")
    if report["path_gates"]:
        lines.append("On a preview path segment:")
        for gate in report["path_gates"]:
            lines.append(f"  /{gate['segment']}/  ({len(gate['operations'])} operations)")
            lines += [f"    {op}" for op in gate["operations"]]
    only = report["preview_only"]
    if only and only["operations"]:
        if only["api_version"]:
            how = f" (with api-version={' or '.join(only['api_version'])})"
        else:
            accepted = only["api_version_accepted"]
            how = f" (its document accepts api-version {' or '.join(accepted)})" if accepted else ""
        lines.append(f"Only in {only['preview']}, not in {only['stable']}{how}:")
        lines += [f"  {op}" for op in only["operations"]]
    elif only:
        lines.append(f"Every operation of {only['preview']} is in {only['stable']}.")
    return "\n".join(terminal_text(line) for line in lines) + "\n"


def render_markdown(report: dict) -> str:
    from ..formatters.escaping import md_code
    from .migration_render import _md

    lines = [f"# {_md(report['version'])}: what is preview, and how to opt in", ""]
    if report["header_gates"]:
        lines += ["## Gated by a request header", "", "| header | value | operations |", "|---|---|---|"]
        lines += [f"| {md_code(g['header'])} | {md_code(g['value'])} | "
                  + "<br>".join(md_code(op) for op in g["operations"]) + " |"
                  for g in report["header_gates"]]
        lines.append("")
    if report["path_gates"]:
        lines += ["## On a preview path segment", ""]
        lines += [f"- `/{g['segment']}/`: " + ", ".join(md_code(op) for op in g["operations"])
                  for g in report["path_gates"]]
        lines.append("")
    only = report["preview_only"]
    if only and only["operations"]:
        how = f" (`api-version={' or '.join(only['api_version'])}`)" if only["api_version"] else ""
        lines += [f"## Only in {_md(only['preview'])}{how}", ""] + [f"- {md_code(op)}" for op in only["operations"]]
    return "\n".join(lines).rstrip() + "\n"
