"""Write files so that a reader never sees a half-written one: temporary file, then rename."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import UserError


def canonical_json(data: Any) -> str:
    """The one JSON spelling used for every file we write: sorted keys, 1-space indent, final newline."""
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write_text(path: Path, text: str) -> bool:
    """Atomically replace `path` with `text`. Returns False when the content was already identical."""
    path = Path(path)
    data = text.encode("utf-8")
    try:
        if path.exists() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        _remove_quietly(tmp)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        _remove_quietly(tmp)
        raise
    return True


def write_json(path: Path, data: Any) -> bool:
    return write_text(path, canonical_json(data))


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
