"""The browsable site: Markdown pages generated with jinja2 from changelog/, built by MkDocs.

    data.py      read changelog/ (versions, diffs, feature index, revisions) into page models
    areas.py     which API area an operation belongs to (chat, audio, assistants, ...)
    charts.py    the home page chart, as inline SVG (no script, no CDN)
    render.py    templates/ -> site/ (generated pages and the static JSON API), then mkdocs build
"""
