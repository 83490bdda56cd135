"""--scope: which changes of a diff to keep, by key.

A change is kept when its key matches any of the texts (substring) or any of the regular
expressions. An enum value's key ends in `=VALUE` (`POST /files request purpose=assistants`): the
value takes part only when the text or pattern itself holds `=`, so `--scope assistants` means the
assistants operations, not every enum value spelled `assistants`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .changes import Change


def _subject(change: Change) -> str:
    """The key without its enum value (for an enum change)."""
    if change.element == "enum" and "=" in change.key:
        return change.key.rsplit("=", 1)[0]
    return change.key


class Scope:
    def __init__(self, texts: list[str], patterns: list[str]):
        import re

        from ..errors import UserError

        self.texts = [t for t in texts if t]
        self.regexes = []
        for pattern in patterns:
            try:
                self.regexes.append(re.compile(pattern))
            except re.error as exc:
                raise UserError(f"--scope-regex {pattern!r}: not a regular expression: {exc}") from None

    @classmethod
    def of(cls, texts: str | list[str] | None, patterns: str | list[str] | None = None) -> Scope | None:
        """A Scope from one or several texts and patterns; None when nothing restricts."""
        texts = [texts] if isinstance(texts, str) else list(texts or [])
        patterns = [patterns] if isinstance(patterns, str) else list(patterns or [])
        scope = cls(texts, patterns)
        return scope if scope.texts or scope.regexes else None

    def __call__(self, change: Change) -> bool:
        subject = _subject(change)
        for text in self.texts:
            if text in (change.key if "=" in text else subject):
                return True
        for regex in self.regexes:
            if regex.search(change.key if "=" in regex.pattern else subject):
                return True
        return False
