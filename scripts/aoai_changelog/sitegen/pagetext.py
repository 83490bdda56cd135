"""PageText: what the site's Markdown templates write, escaped for a Markdown page by default.

The environment (render._env) autoescapes, and every `{{ value }}` goes through PageText.escape
(its `finalize`): a value is written as Markdown text (no markup, HTML or link can come out of a
name, an operationId or an upstream change title) unless it is PageText already, which only the
filters and the page parts we write ourselves make (a code span, HTML, a URL, a chart).

Jinja's own autoescaping is HTML's: where a template joins PageText with another value (`~`,
`join`, `replace`), Jinja returns plain Markup holding that value HTML-escaped. HTML escaping does
not stop a Markdown link, so plain Markup is never trusted: it is read back as the text it holds
and written as Markdown text, as any value is.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..formatters.escaping import md_text


class PageText(Markup):
    """Text already written for its place on a Markdown page. Anything added to it, joined with
    it or formatted into it is escaped as Markdown text (see escape)."""

    __slots__ = ()

    @classmethod
    def escape(cls, value: Any) -> PageText:
        if isinstance(value, PageText):
            return value
        if isinstance(value, Markup):  # Jinja's HTML escaping: the text it holds, escaped for Markdown
            value = value.unescape()
        return cls(md_text(value))
