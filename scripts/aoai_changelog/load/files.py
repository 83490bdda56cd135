"""Read a JSON or YAML file into Python data, with one-line errors for everything that can go wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import InputFileError

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


# The largest real upstream document is 1.5 MB. Seven times that still loads and diffs in well under
# a minute and 1 GB (element budgets bound the rest); a larger file is refused, not left to exhaust memory.
MAX_INPUT_BYTES = 10 * 1024 * 1024


def warn(message: str) -> None:
    """A warning on stderr: the command goes on (its exit code does not change)."""
    import sys

    from ..formatters.escaping import terminal_text

    print(f"aoai-changelog: warning: {terminal_text(message)}", file=sys.stderr)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; only a regular file (a FIFO or a device would block or never end)."""
    import stat

    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(path, "is a directory, expected a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(path, "not a regular file (a FIFO, socket or device): refused")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputFileError(path,
                                 f"{info.st_size:,} bytes, over the {MAX_INPUT_BYTES // 2**20} MB input limit: refused")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)  # a file that grows while we read is still bounded
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a directory, expected a file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputFileError(path, f"over the {MAX_INPUT_BYTES // 2**20} MB input limit: refused")
    return raw


def _number_problem(exc: ValueError) -> str:
    text = str(exc).splitlines()[0]
    return "an integer with more than 4,300 digits" if "4300 digits" in text else text


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def _read_json(raw: bytes, path: Path) -> tuple[Any, list[str]]:
    duplicated: list[tuple[str, int]] = []

    def pairs_to_dict(pairs: list) -> dict:
        data = dict(pairs)
        if len(data) != len(pairs) and len(duplicated) < 100:
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicated.append((key, id(data)))
                seen.add(key)
        return data

    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=pairs_to_dict, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise InputFileError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(path, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:  # NaN/Infinity, or an integer over Python's 4,300-digit limit
        raise InputFileError(path, f"malformed JSON: {_number_problem(exc)}") from None
    notes = []
    if duplicated:
        pointers = _pointers_of({ident for _, ident in duplicated}, data)
        notes = [f"duplicate key '{key}' in {pointers.get(ident, '?') or '/'}" for key, ident in duplicated]
    return data, notes


def _pointers_of(wanted: set[int], data: Any) -> dict[int, str]:
    """JSON pointers of the containers whose id() is in `wanted` (for messages; rare, so a plain walk)."""
    found: dict[int, str] = {}
    stack = [(data, "")]
    while stack and len(found) < len(wanted):
        node, pointer = stack.pop()
        if id(node) in wanted:
            found[id(node)] = pointer
        if isinstance(node, dict):
            stack.extend((v, f"{pointer}/{escape_token(k)}") for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(node) if isinstance(v, (dict, list)))
    return found


def escape_token(key: str) -> str:
    """One JSON pointer token (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


def check_values(data: Any, path: Path) -> None:
    """Refuse what JSON output cannot hold: NaN or infinite numbers, and lone surrogates (which no
    UTF-8 text can carry). One line, with the JSON pointer of the first one."""
    import math

    seen: set[int] = set()
    stack = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, str):
            if not node.isascii() and any("\ud800" <= c <= "\udfff" for c in node):
                raise InputFileError(path, f"{pointer or '/'}: a lone surrogate (not Unicode text)")
        elif isinstance(node, float):
            if not math.isfinite(node):
                raise InputFileError(path, f"{pointer or '/'}: {node!r} is not a JSON number")
        elif isinstance(node, (dict, list)):
            if id(node) in seen:  # a YAML alias: checked once
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                for key, value in node.items():
                    child = f"{pointer}/{escape_token(key)}"
                    if not key.isascii() and any("\ud800" <= c <= "\udfff" for c in key):
                        raise InputFileError(path, f"{pointer or '/'}: a lone surrogate (not Unicode text) in a key")
                    stack.append((value, child))
            else:
                stack.extend((value, f"{pointer}/{i}") for i, value in enumerate(node))


def read_structured(path: Path) -> Any:
    """Parse `path` as JSON (by extension .json) or YAML (anything else); JSON first, it is faster.

    Bounded (size, YAML aliases) and checked (values JSON can hold); duplicate keys are warned about."""
    path = Path(path)
    raw = _read_bytes(path)
    try:
        if path.suffix.lower() == ".json":
            data, notes = _read_json(raw, path)
            # Lone surrogates can only come from \ud8xx-\udfxx escapes: look for one before walking.
            if b"\\u" in raw and _SURROGATE_ESCAPE.search(raw):
                check_values(data, path)
        else:
            data, notes = _read_yaml(raw, path)
            check_values(data, path)
    except RecursionError:
        raise InputFileError(path, "nested too deeply to read (thousands of levels)") from None
    for note in notes[:10]:
        warn(f"{path}: {note} (the last one wins)")
    if len(notes) > 10:
        warn(f"{path}: {len(notes) - 10} more duplicate keys")
    return data


def _read_yaml(raw: bytes, path: Path) -> tuple[Any, list[str]]:
    import yaml  # only YAML files pay for it

    from .yamlsafe import load_yaml

    try:
        return load_yaml(raw, str(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputFileError(path, f"YAML that cannot be loaded{where}: {problem}") from None
    except UnicodeDecodeError:
        raise InputFileError(path, "not UTF-8 text") from None
    except ValueError as exc:  # an integer over Python's 4,300-digit limit, a malformed number
        raise InputFileError(path, f"YAML value that cannot be read: {_number_problem(exc)}") from None


def spec_format(document: Any) -> str:
    """'swagger-2.0', 'openapi-3.0', 'openapi-3.1' or 'openapi-3.2'; '' when it is neither."""
    if not isinstance(document, dict):
        return ""
    swagger = document.get("swagger")
    if isinstance(swagger, str) and swagger.startswith("2."):
        return "swagger-2.0"
    openapi = document.get("openapi")
    if isinstance(openapi, str):
        for minor in ("3.0", "3.1", "3.2"):
            if openapi == minor or openapi.startswith(minor + "."):
                return "openapi-" + minor
    return ""


def read_document(path: Path) -> tuple[dict, str]:
    """Read an OpenAPI or Swagger document; returns (document, format)."""
    document = read_structured(path)
    fmt = spec_format(document)
    if not fmt:
        raise InputFileError(path, "neither an OpenAPI 3.x nor a Swagger 2.0 document "
                             "(no 'openapi: 3.x' or 'swagger: 2.0' key)")
    from .structure import check_structure

    check_structure(document, str(path))  # the parts we read have the types we read them as
    return document, fmt


def sha256_of(path: Path) -> str:
    import hashlib  # the importer's check and a file's provenance: a query on versions loads no OpenSSL

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()
