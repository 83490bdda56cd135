"""The exceptions of aoai-changelog: one base, ChangelogError, and subclasses that carry fields.

The command line turns any ChangelogError into one line on stderr and exit code 2; the message is
shown as is, without a traceback. Python callers can catch the base, or a subclass and read its
fields (`except UnknownVersion as e: e.known`).
"""

from __future__ import annotations


class ChangelogError(Exception):
    """Bad input or an unusable environment: unknown version, unreadable file, malformed document,
    sha256 mismatch, a file that cannot be written, ... `str(error)` is the one-line message."""


# The name most of the code base raises: a plain message, no fields.
UserError = ChangelogError


class InputFileError(ChangelogError):
    """A file the user gave (or the project holds) that cannot be read or understood."""

    def __init__(self, path: object, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnknownVersion(ChangelogError):
    """A version or revision id that the catalog does not know. `known` lists the valid ids."""

    def __init__(self, id: str, known: list[str], hint: str = ""):
        self.id = id
        self.known = list(known)
        kind = "revision" if "@" in id else "version"
        super().__init__(f"unknown {kind} '{id}' (known: {', '.join(self.known) or 'none'}{hint})")


class RevisionNotImported(ChangelogError):
    """A revision listed in the catalog whose snapshot was not imported (and why)."""

    def __init__(self, id: str, reason: str):
        self.id = id
        self.reason = reason
        super().__init__(f"{id}: this revision is not imported: {reason}")


class WriteError(ChangelogError):
    """A file or folder that cannot be written; nothing was left half-written."""

    def __init__(self, path: object, reason: str = ""):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot write {self.path}" + (f": {reason}" if reason else ""))


class NoData(ChangelogError):
    """Neither a checkout nor the data installed with the package could be found."""


class MissingExtra(ChangelogError):
    """A command that needs an optional part of the package (`pip install 'aoai-changelog[site]'`)."""

    def __init__(self, extra: str, command: str, module: str):
        self.extra = extra
        self.command = command
        self.module = module
        super().__init__(f"`{command}` needs the '{extra}' extra ({module} is not installed): "
                         f"pip install 'aoai-changelog[{extra}]' (in a checkout: pip install -e '.[{extra}]')")


class WaiverFileError(InputFileError):
    """A waivers file (--ignore FILE) that is malformed: every entry needs a rule or key and a reason."""
