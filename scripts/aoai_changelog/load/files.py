"""Read a JSON or YAML file into Python data, with one-line errors for everything that can go wrong."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import InputFileError


def read_structured(path: Path) -> Any:
    """Parse `path` as JSON (by extension .json) or YAML (anything else); JSON first, it is faster."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a directory, expected a file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(raw.decode("utf-8"))  # JSON text is UTF-8 (RFC 8259): no guessing
        except UnicodeDecodeError:
            raise InputFileError(path, "not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise InputFileError(path, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    import yaml  # only YAML files pay for it

    # The C loader is an order of magnitude faster on the 1 MB v1 documents; fall back when absent.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputFileError(path, f"YAML that cannot be loaded{where}: {problem}") from None
    except UnicodeDecodeError:
        raise InputFileError(path, "not UTF-8 text") from None


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
        raise InputFileError(path, "neither an OpenAPI 3.x nor a Swagger 2.0 document (no 'openapi: 3.x' or 'swagger: 2.0' key)")
    if not isinstance(document.get("paths", {}), dict):
        raise InputFileError(path, "'paths' is not a mapping")
    return document, fmt


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()
