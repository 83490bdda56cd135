"""Names, ids and values from a crafted document reach Markdown and the terminal as text, never as
markup, script, links or escape sequences (issue #16, part 1). The site is checked in a browser in
test_site_injection.py."""

from __future__ import annotations

import markdown
import pytest

from conftest import FIXTURES, run_cli, run_main

OLD, NEW = FIXTURES / "untrusted" / "xss_old.yaml", FIXTURES / "untrusted" / "xss_new.yaml"


def test_markdown_diff_of_crafted_names_renders_no_html_and_no_link():
    text = run_cli("diff", str(OLD), str(NEW), "--format", "markdown", check_rc=0).stdout
    html = markdown.markdown(text, extensions=["tables"])
    assert "<img" not in html and "<script" not in html
    assert "href=" not in html  # neither the javascript: default nor the OSC 8 link target
    # The property name with backticks is one code span, shown whole (with the key grammar's escapes).
    assert "<code>request x`\\&lt;img src\\=x onerror\\=alert('key')\\&gt;`</code>" in html
    assert "<code>request ``\\&lt;script\\&gt;alert('fence')\\&lt;/script\\&gt;</code>" in html


def test_text_diff_sends_no_escape_sequence_and_no_extra_line_to_the_terminal():
    out = run_cli("diff", str(OLD), str(NEW), "--format", "text", check_rc=0).stdout
    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.startswith("FAKE LINE") for line in out.splitlines())
    assert "request \\x1b\\]8;;https://evil\\.example\\x07click" in out  # shown, spelled out


@pytest.mark.parametrize("value", ["a`b", "``", "`", "x``` y", "", " ", "<b>", "a|b", "\\`"])
def test_code_spans_hold_any_value(value):
    from aoai_changelog.formatters.escaping import md_code

    html = markdown.markdown(md_code(value))
    expected = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").strip()
    assert f"<code>{expected}</code>" in html or (not value.strip() and "<code>" in html), html


def test_markdown_text_makes_no_markup():
    from aoai_changelog.formatters.escaping import md_text

    payload = "*a* _b_ [l](javascript:x) ![i](x) <i>h</i> {: #id } https://e.example www.e.example `c` a|b \\"
    html = markdown.markdown(md_text(payload), extensions=["tables", "attr_list"])
    assert html.count("<") == 2  # just <p> and </p>
    assert "javascript:x" in html and "https:&#47;&#47;e.example" in html


def test_site_templates_escape_every_value_also_next_to_a_code_span():
    """The site's Markdown templates escape every value by default (`finalize`), also where a
    template joins one with a code span of ours: no link or HTML comes out of an upstream title."""
    from aoai_changelog.sitegen.render import _env

    title = "[docs](javascript:alert(1)) <img src=x onerror=alert(2)> *b*"
    env = _env()
    assert env.autoescape  # escaping by default (Markdown's: sitegen/pagetext.py)
    template = env.from_string('{{ t }} | {{ op|code ~ " " ~ t }} | {{ [op|code, t]|join(" ") }} | '
                               '{{ t|replace("docs", "d") }} | {{ op|code + " " + t }} | {{ "%s"|format(t) }}')
    html = markdown.markdown(template.render(t=title, op="POST /x"))
    assert "href=" not in html and "<img" not in html and "<em>" not in html, html
    assert html.count("[docs](javascript:alert(1))") == 5, html  # shown as text
    assert "<code>POST /x</code>" in html  # added to a code span, a title stays beside it, escaped


def test_show_writes_crafted_keys_and_values_as_text_too():
    out = run_cli("show", str(NEW), "--format", "text", check_rc=0).stdout
    assert "\x1b" not in out and not any(line.startswith("FAKE LINE") for line in out.splitlines())
    html = markdown.markdown(run_main("show", str(NEW), "--format", "markdown", check_rc=0).stdout)
    assert "<img" not in html and "<script" not in html and "href=" not in html
