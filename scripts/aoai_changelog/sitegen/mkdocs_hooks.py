"""MkDocs hooks (mkdocs.yml `hooks:`): what the site needs from the build beyond the stock plugins.

The search index as a script (search/search_index.js): MkDocs Material reads it instead of
search_index.json when a page is opened from disk (file://, where fetch() is refused). Material's
`offline` plugin does the same but also adds a script from a CDN (iframe-worker) to every page; our
own site/assets/file-worker.js runs the search worker from disk instead. One build serves both: the
files are the same whether the site is hosted or opened from disk.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


@event_priority(-100)  # after the search plugin has written search_index.json
def on_post_build(config: MkDocsConfig, **_kwargs: object) -> None:
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if index.is_file():
        index.with_suffix(".js").write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")


# Pages the site search leaves out, so that every page can afford the search index (< 1 MB, loaded
# by every page): each migration guide repeats hundreds of element keys that the operation pages
# (found by their field names) and the guides' index already lead to.
SEARCH_EXCLUDED = ("guides/migrations/",)


def on_page_markdown(markdown: str, page: Page, **_kwargs: object) -> str:
    uri = page.file.src_uri
    if uri.startswith(SEARCH_EXCLUDED) and not uri.endswith("index.md"):
        page.meta.setdefault("search", {})["exclude"] = True
    return markdown
