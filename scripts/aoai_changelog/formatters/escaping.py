"""How an untrusted value is written into each output format: one function per format.

Every name, value and title we print comes from a document someone else wrote (a property name, an
operationId, a `default`, an upstream pull-request title). Each writer passes them through the
function of its format, and only that one:

    terminal_text   text for a terminal: no escape sequences, no control characters, one line
    md_text         Markdown text: no markup, no raw HTML, no live link, one line
    md_code         a Markdown code span that holds any value, whatever backticks it contains
    html_text       HTML text or a double-quoted attribute value
    xml_text        XML 1.0 text (the Atom feeds): HTML's escaping minus what XML cannot hold
    url_part        a piece of a relative link target (a version id, a page slug): percent-encoded

All of them first make invisible characters visible (`visible`): a newline or an ANSI/OSC escape in a
property name is shown as `\\n` or `\\x1b`, never obeyed.
"""

from __future__ import annotations

# No imports at module level: `has` writes through terminal_text and keeps its start-up path free
# of `re` (which `html` and `urllib.parse` import).

# C0 and C1 controls, DEL, and the Unicode characters that move or reorder text (line/paragraph
# separators, bidi embeddings/overrides/isolates: "Trojan Source"), lone surrogates included below.
_INVISIBLE = {c for c in range(0x20)} | {0x7F} | set(range(0x80, 0xA0)) | {0x2028, 0x2029} \
    | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0xFEFF}
_VISIBLE_TABLE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _INVISIBLE}
_VISIBLE_TABLE.update({0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"})


def visible(value: object) -> str:
    """`value` as one line of printable text: control and reordering characters spelled as escapes."""
    text = value if isinstance(value, str) else str(value)
    text = text.translate(_VISIBLE_TABLE)
    # Lone surrogates cannot be encoded as UTF-8. (ASCII first: most values are, and the scan is per character.)
    if not text.isascii() and any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        text = "".join(f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


def terminal_text(value: object) -> str:
    return visible(value)


_HTML_TABLE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#x27;"}


def html_text(value: object) -> str:
    return visible(value).translate(_HTML_TABLE)


def xml_text(value: object) -> str:
    return visible(value).translate(_HTML_TABLE)


# Markdown: characters that start markup in CommonMark/GFM or in Python-Markdown (the site). HTML's
# three are written as entities (Python-Markdown does not honour `\<`); `|` too, so that a value
# never splits a table cell; emphasis, code, link brackets and attribute lists are backslash-escaped.
# `://` and `www.` are broken up with an entity so that GitHub's autolinker makes no link of a value.
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_MD_BACKSLASHED = "\\`*_[]{}"
_MD_TABLE = {ord(c): e for c, e in _MD_ENTITIES.items()}
_MD_TABLE.update({ord(c): "\\" + c for c in _MD_BACKSLASHED})


def md_text(value: object) -> str:
    text = visible(value).translate(_MD_TABLE)
    return text.replace("://", ":&#47;&#47;").replace("www.", "www&#46;")


def md_code(value: object) -> str:
    """A code span holding `value` literally: fenced with one backtick more than the longest run of
    backticks inside it, padded with a space when the value starts or ends with a backtick."""
    text = visible(value)
    longest = run = 0
    for c in text if "`" in text else "":  # a scan per character: only for the rare value with a backtick
        run = run + 1 if c == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    if not text.strip():
        text = text or " "
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def url_part(value: object) -> str:
    """Percent-encoded: no `javascript:` scheme, quote, space or parenthesis survives into a link."""
    from urllib.parse import quote

    return quote(visible(value), safe="/-_.~")
