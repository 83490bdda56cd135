"""`aoai-changelog sync --repo PATH [--since DATE] [--dry-run]`: catch up with the upstream git history."""

from __future__ import annotations

import json
import time
from datetime import date

from ..errors import UserError
from .common import add_format_option, examples, output_format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace

    from ..upstream.sync import Plan


HELP = "read new upstream revisions from a clone of Azure/azure-rest-api-specs; import them; rebuild changelog/"
EXAMPLES = examples(
    "aoai-changelog sync --repo ../azure-rest-api-specs --dry-run      # what would change",
    "aoai-changelog sync --repo ../azure-rest-api-specs --since 2025-11-01",
)


def add_arguments(p: ArgumentParser) -> None:
    p.add_argument("--repo", required=True, metavar="PATH",
                   help="a clone of Azure/azure-rest-api-specs (`git clone --filter=blob:none --sparse` is enough)")
    p.add_argument("--since", metavar="DATE",
                   help="read upstream commits from DATE (YYYY-MM-DD) on; "
                        "earlier revisions stay as the catalog has them")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    add_format_option(p)


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> str:
    raise UserError(f"--since {value!r}: expected a date as YYYY-MM-DD")


def run(args: Namespace) -> int:
    from pathlib import Path

    from ..pipeline.parallel import allow_helpers

    allow_helpers()  # the build's work on both cores

    from ..store.project import Project, find_project
    from ..upstream.sync import run_sync

    since = _check_date(args.since)
    in_root = args.root and (Path(args.root) / "specs").is_dir()
    project = Project(Path(args.root)) if in_root else find_project(args.root)
    if not args.dry_run:
        from ..store.locate import require_checkout

        require_checkout(str(project.root), "sync")
    started = time.perf_counter()
    plan, facts = run_sync(project, Path(args.repo), since, args.dry_run)
    lines = report(plan, facts, args.dry_run)
    elapsed = time.perf_counter() - started
    footer = f"({plan.commits} upstream commits read{' since ' + since if since else ''}; {elapsed:.1f} s)"
    fmt = output_format(args)
    if fmt == "json":
        print(json.dumps({"dry_run": args.dry_run, "nothing_new": plan.nothing_new, "commits_read": plan.commits,
                          "lines": lines, "seconds": round(elapsed, 1)}, indent=2))
    elif fmt == "markdown":  # e.g. the description of the daily pull request
        from ..formatters.escaping import md_text

        print("\n".join(["## aoai-changelog sync", "", *(f"- {md_text(line)}" for line in lines), "", md_text(footer)]))
    else:
        from ..formatters.escaping import terminal_text

        print("\n".join(terminal_text(line) for line in [*lines, footer]))
    return 0


def _summary(s: dict) -> str:
    ops = s["operations"]
    return (f"{s['total']} changes ({s['added']} added, {s['removed']} removed, {s['changed']} changed), "
            f"{s['breaking']} breaking; operations +{ops['added']} -{ops['removed']} ~{ops['changed']}")


def report(plan: Plan, facts: dict, dry_run: bool) -> list[str]:
    """What is new, one line each, with a one-line summary of its changes."""
    if plan.nothing_new:
        return ["nothing new upstream: catalog, specs/ and changelog/ unchanged"]
    index = facts.get("index") or {"diffs": [], "timelines": {}, "versions": {}}
    lines = []
    for version in plan.new_versions:
        entry = next(v for v in plan.data["versions"] if v["id"] == version)
        count = len(entry["revisions"])
        line = f"new version {version} ({entry['channel']}, {count} upstream revision{'s' if count > 1 else ''})"
        diff = next((d for d in index["diffs"] if d["to"] == version and "timeline" in d["lines"]), None)
        if diff:
            line += f": {_summary(diff['summary'])} since {diff['from']}"
        lines.append(line)
    for version, revision in plan.new_revisions:
        lines.append(f"new revision {revision['id']} ({revision['title'] or 'no change title'}): "
                     + ("to be imported" if dry_run and revision["imported"]
                        else _revision_summary(index, version, revision)))
    for _version, old, new in plan.changed_revisions:
        lines.append(f"changed revision {new['id']}: " + _what_changed(old, new))
    for _version, revision in plan.gone_revisions:
        lines.append(f"revision {revision['id']} is no longer in the upstream history: removed from the catalog")
    for version, old_id, new_id in plan.canonical_moves:
        lines.append(f"canonical snapshot of {version}: {old_id or 'none'} -> {new_id}")
    if plan.updated:
        lines.append(f"updated upstream facts (change titles, reasons, file locations) of {len(plan.updated)} entries: "
                     + ", ".join(plan.updated[:8]) + (", …" if len(plan.updated) > 8 else ""))
    for version, why in plan.skipped:
        lines.append(f"version {version} not added yet: {why}")
    if dry_run:
        lines.append(f"would import {len(plan.jobs)} snapshots and rebuild changelog/ (dry run: nothing written)")
    else:
        lines.append(f"imported {len(plan.jobs)} snapshots, rebuilt changelog/ ({facts['changelog_files']} files)")
    return lines


def _what_changed(old: dict, new: dict) -> str:
    parts = []
    if old["commit"] != new["commit"]:
        parts.append(f"upstream commit {old['commit']} -> {new['commit']}")
    old_bytes = [(d["document"], d["sha256"]) for d in old["documents"]]
    if old_bytes != [(d["document"], d["sha256"]) for d in new["documents"]]:
        parts.append("other document bytes")
    if old["imported"] != new["imported"]:
        parts.append("now imported" if new["imported"] else f"no longer imported: {new['reason']}")
    return ", ".join(parts) or "provenance"


def _revision_summary(index: dict, version: str, revision: dict) -> str:
    if not revision["imported"]:
        return f"listed, not imported: {revision['reason']}"
    item = next((r for r in index["timelines"].get(version, []) if r["id"] == revision["id"]), None)
    if item and item.get("summary"):
        return f"{_summary(item['summary'])} since {item['previous']}"
    counts = index["versions"].get(version, {}).get("counts") if revision["canonical"] else None
    if counts:
        return f"first imported revision: {counts['operation']} operations, {sum(counts.values())} elements"
    return "first imported revision"
