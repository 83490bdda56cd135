"""Atom feeds of the versions that change in place (v1, v1-preview): one entry per upstream revision.

They are generated data, like the dated changelog they are made from: `build` and `sync` write them
into changelog/revisions/<version>/feed.xml (see timelines.py), and the site publishes them at
feeds/<version>.xml. Their links point at the site's timeline pages, at DEFAULT_SITE_URL; a site
built for another address (`build --site-url`) renders them again with the same function.
"""

from __future__ import annotations

from pathlib import Path

from ..formatters.escaping import xml_text as escape

DEFAULT_SITE_URL = "https://aoai-changelog.github.io/"


def atom_feed(version: str, revisions: list[dict], site_url: str = DEFAULT_SITE_URL) -> str:
    """`revisions` as in changelog/revisions/index.json (oldest first); only imported ones are entries."""
    entries = [r for r in revisions if r["imported"]]
    updated = f"{entries[-1]['date']}T00:00:00Z" if entries else "1970-01-01T00:00:00Z"
    page = f"{site_url.rstrip('/')}/timeline/{version}.html"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>Azure OpenAI {escape(version)}: upstream specification changes</title>",
        f"  <id>tag:aoai-changelog,2025:{escape(version)}</id>",
        f'  <link rel="alternate" href="{escape(page)}"/>',
        f"  <updated>{updated}</updated>",
        "  <author><name>aoai-changelog</name></author>",
    ]
    for r in reversed(entries):
        s = r.get("summary")
        if s:
            text = (f"{s['total']} changes ({s['added']} added, {s['removed']} removed, {s['changed']} changed), "
                    f"{s['breaking']} breaking; operations: {s['operations']['added']} added, "
                    f"{s['operations']['removed']} removed, {s['operations']['changed']} changed.")
        else:
            text = "First revision of the specification."
        title = f"{r['date']} — {r['title'] or 'upstream revision'}"
        out += [
            "  <entry>",
            f"    <title>{escape(title)}</title>",
            f"    <id>tag:aoai-changelog,2025:{escape(r['id'])}</id>",
            f'    <link rel="alternate" href="{escape(page)}"/>',
            f"    <updated>{r['date']}T00:00:00Z</updated>",
            f"    <summary>{escape(text)} Upstream commit {escape(r['commit'])}.</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def published_feed(changelog: Path, version: str, revisions: list[dict], site_url: str) -> str:
    """The site's copy of changelog/revisions/<version>/feed.xml (rendered again for another site URL)."""
    if site_url.rstrip("/") == DEFAULT_SITE_URL.rstrip("/"):
        return (changelog / "revisions" / version / "feed.xml").read_text(encoding="utf-8")
    return atom_feed(version, revisions, site_url)
