"""The one exception type that the CLI turns into a one-line message and exit code 2."""


class UserError(Exception):
    """Bad input: unknown version, missing file, malformed document, sha256 mismatch, ...

    The message is shown to the user as is, on one line, without a traceback.
    """
