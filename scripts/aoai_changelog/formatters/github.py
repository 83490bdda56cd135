"""GitHub Actions workflow commands: one annotation per change, on the line of its operation in
the user's file where the input is a file (`::error file=api.yaml,line=42,title=...::...`).

Levels map to annotation kinds: error -> error, warning -> warning, info -> notice. A closing plain
line gives the summary (it shows in the job log).
"""

from __future__ import annotations

from ..diff.changes import DiffResult

_KIND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    """The message part: %, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A property value: also `:` and `,`, which separate properties."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: DiffResult) -> str:
    result.require_every_change("a listing of every change")
    lines = []
    for change in result.changes:
        props = []
        where = result.location(change)
        if where is not None:
            path, line = where
            props.append(f"file={_property(path)}")
            if line is not None:
                props.append(f"line={line}")
        title = change.rule + (" (breaking)" if change.breaking else "")
        props.append(f"title={_property(title)}")
        lines.append(f"::{_KIND[change.level]} {','.join(props)}::{_data(change.text)}")
    s = result.summary()
    lines.append(f"aoai-changelog: {result.source.get('id', '?')} -> {result.target.get('id', '?')}: "
                 f"{s['total']} changes, {s['breaking']} breaking ({s['levels']['error']} error, "
                 f"{s['levels']['warning']} warning, {s['levels']['info']} info)")
    return "\n".join(lines) + "\n"
