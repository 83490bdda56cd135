"""The migration guide as text (terminals) and Markdown (the site, pull requests)."""

from __future__ import annotations

import textwrap

from ..formatters.escaping import md_code, md_text, terminal_text
from ..formatters.presentation import LEVEL_MARK

# How many top-level additions a location lists before "+N more" (the JSON form has them all).
NEW_SHOWN = 8


def _wrap(text: str, indent: str, width: int = 110, indent2: str | None = None) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent2 or indent,
                         break_on_hyphens=False, break_long_words=False) or [indent.rstrip()]


def _new_text(new: dict) -> str:
    parts = []
    for location, names in new["top"].items():
        shown = ", ".join(names[:NEW_SHOWN]) + (f" (+{len(names) - NEW_SHOWN} more)" if len(names) > NEW_SHOWN else "")
        parts.append(f"{location}: {shown}")
    folded = f" ({new['nested']} nested in new elements)" if new["nested"] else ""
    return f"{new['count']} additions{folded}" + (": " + "; ".join(parts) if parts else " (see: new across operations)")


def _item_line(item: dict) -> str:
    subject = " ".join(p for p in (item["location"], item["path"]) if p) or item["operation"]
    what = item["message"]
    if item.get("now"):
        what += f" (TO answers {', '.join(item['now'])})"
    names = ", ".join(n["key"].rsplit(" ", 1)[-1] for n in item.get("nested") or [])
    nested = f" (with {len(item['nested'])} nested: {names})" if item.get("nested") else ""
    return f"{subject}: {what}{nested}  [{item['rule']}]"


def _ops_text(operations: list[str]) -> str:
    if len(operations) <= 3:
        return f"{len(operations)} operations: {', '.join(operations)}"
    return f"{len(operations)} operations"


def _split_sentence(s: dict) -> str:
    """How the breaking changes divide between changes shared by several operations and the rest,
    said plainly (no "0 of them are 0 changes")."""
    if not s["groups"]:
        if s["alone_breaking"]:
            return f"All {s['alone_breaking']} are specific to one operation."
        return "Nothing to change."
    shared = (f"{s['grouped_breaking']} of them come from {s['groups']} "
              f"change{'s' if s['groups'] != 1 else ''} shared by several operations (each stated once)")
    return f"{shared}; {s['alone_breaking']} {'is' if s['alone_breaking'] == 1 else 'are'} specific to one operation."


def _headline(guide: dict) -> list[str]:
    s, source, target = guide["summary"], guide["from"]["id"], guide["to"]["id"]
    lines = [f"Migrating from {source} to {target}: {s['breaking']} breaking changes"]
    if guide["operations_filter"] is not None:
        lines.append(f"for the operations: {', '.join(guide['operations_filter'])}")
    lines.append(_split_sentence(s))
    lines.append(f"{s['operations_removed']} operations are gone in {target}; {s['operations_added']} are new.")
    return lines


def render_text(guide: dict) -> str:
    target = guide["to"]["id"]
    lines = _headline(guide)
    for identity in guide["unknown_operations"]:
        lines.append(f"{identity}: no such operation in {guide['from']['id']} or in {target}")
    if guide["groups"]:
        lines += ["", "Across operations"]
        for group in guide["groups"]:
            lines += _wrap(f"{group['id']}  {LEVEL_MARK[group['level']]} {group['text']}  [{group['rule']}]", "  ",
                           indent2="        ")
            if group.get("nested"):
                lines += _wrap("with: " + "; ".join(group["nested"]), "        ")
            lines += _wrap(f"applies to {len(group['operations'])} operations: {', '.join(group['operations'])}",
                           "        ")
    if guide["new_across"]:
        lines += ["", "New across operations"]
        for new in guide["new_across"]:
            lines += _wrap(f"{new['location']}: {', '.join(new['paths'])}  ({_ops_text(new['operations'])})", "  ",
                           indent2="      ")
    if guide["removed_operations"]:
        lines += ["", f"Gone in {target} ({len(guide['removed_operations'])} operations)"]
        for entry in guide["operations"]:
            if entry["status"] == "removed":
                lines.append(f"  {entry['operation']}")
                for item in entry["must_change"]:
                    if item["rule"] != "operation-removed":  # anything else the diff says about it
                        lines += _wrap(f"{LEVEL_MARK[item['level']]} {_item_line(item)}", "    ", indent2="       ")
    lines += ["", "Per operation"]
    if not any(e["status"] != "removed" for e in guide["operations"]):
        lines.append(f"  no operation changed from {guide['from']['id']} to {target}")
    for entry in guide["operations"]:
        if entry["status"] == "removed":
            continue
        also = f"  (also {', '.join(entry['groups'])})" if entry["groups"] else ""
        lines.append(f"  {entry['operation']}{also}")
        if entry["status"] == "unchanged":
            lines.append(f"      no changes in {target}")
            continue
        for item in entry["must_change"]:
            lines += _wrap(f"{LEVEL_MARK[item['level']]} {_item_line(item)}", "    ", indent2="       ")
        if not entry["must_change"]:
            lines.append("      nothing more than the changes across operations" if entry["groups"]
                         else "      no breaking change")
        if entry["new"]["count"]:
            lines += _wrap(f"new: {_new_text(entry['new'])}", "      ")
    if guide["added_operations"]:
        total = sum(len(ops) for ops in guide["added_operations"].values())
        lines += ["", f"New in {target} ({total} operations)"]
        lines += _wrap("  ".join(f"{area} ({len(ops)})" for area, ops in guide["added_operations"].items()), "  ")
    return "\n".join(terminal_text(line) for line in lines) + "\n"


def _md(text: str) -> str:
    """Markdown text that shows as written (keys hold `_`, `*`, `<`, `[]`; names are untrusted)."""
    return md_text(text)


def render_markdown(guide: dict) -> str:
    target = guide["to"]["id"]
    head = _headline(guide)
    lines = [f"# {_md(head[0])}", "", *(_md(line) + "  " for line in head[1:]), ""]
    for identity in guide["unknown_operations"]:
        lines.append(f"- {md_code(identity)}: no such operation in {_md(guide['from']['id'])} or in {_md(target)}")
    if guide["groups"]:
        lines += ["## Across operations", ""]
        for group in guide["groups"]:
            lines.append(f"- **{group['id']}** {_md(group['text'])} {md_code(group['rule'])}")
            if group.get("nested"):
                lines.append(f"  - with: {_md('; '.join(group['nested']))}")
            lines.append(f"  - applies to {len(group['operations'])} operations: "
                         + ", ".join(md_code(op) for op in group["operations"]))
        lines.append("")
    if guide["new_across"]:
        lines += ["## New across operations", ""]
        for new in guide["new_across"]:
            lines.append(f"- {_md(new['location'])}: {_md(', '.join(new['paths']))} — "
                         f"{len(new['operations'])} operations: " + ", ".join(md_code(op) for op in new["operations"]))
        lines.append("")
    if guide["removed_operations"]:
        lines += [f"## Gone in {_md(target)}", ""]
        for entry in guide["operations"]:
            if entry["status"] == "removed":
                lines.append(f"- {md_code(entry['operation'])}")
                lines += [f"  - {_md(_item_line(i))}" for i in entry["must_change"] if i["rule"] != "operation-removed"]
        lines.append("")
    lines += ["## Per operation", ""]
    for entry in guide["operations"]:
        if entry["status"] == "removed":
            continue
        also = f" (also {', '.join(entry['groups'])})" if entry["groups"] else ""
        lines += [f"### {md_code(entry['operation'])}{also}", ""]
        if entry["status"] == "unchanged":
            lines += [f"No changes in {_md(target)}.", ""]
            continue
        lines += [f"- {_md(_item_line(item))}" for item in entry["must_change"]]
        if not entry["must_change"]:
            lines.append("- nothing more than the changes across operations" if entry["groups"]
                         else "- no breaking change")
        if entry["new"]["count"]:
            lines.append(f"- new: {_md(_new_text(entry['new']))}")
        lines.append("")
    if guide["added_operations"]:
        lines += [f"## New in {_md(target)}", ""]
        lines += [f"- {md_code(area)}: " + ", ".join(md_code(op) for op in ops)
                  for area, ops in guide["added_operations"].items()]
    return "\n".join(lines).rstrip() + "\n"
