"""Operations named by a user (`POST /chat/completions`, with or without the deployment prefix)."""

from __future__ import annotations

from ..errors import UserError
from ..surface import Surface
from ..surface.keys import display_path, shape_path, strip_deployment

METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


def operation_identity_of(name: str) -> str:
    """`POST /batches/{}` for `post /batches/{batch-id}` or `POST /deployments/{d}/batches/{id}`."""
    parts = name.split()
    if len(parts) != 2 or parts[0].upper() not in METHODS or not parts[1].startswith("/"):
        raise UserError(f"'{name}' is not an operation: write METHOD /path, e.g. 'POST /chat/completions'")
    path, _ = strip_deployment(parts[1])
    return f"{parts[0].upper()} {shape_path(display_path(path))}"


def resolve_operations(names: list[str], surfaces: list[Surface]) -> dict[str, str | None]:
    """{identity: the operation's key in the first surface that has it, or None when none has it}."""
    keys: dict[str, str] = {}
    for surface in reversed(surfaces):
        for element in surface.operations():
            keys[element.identity] = element.key
    return {identity: keys.get(identity) for identity in map(operation_identity_of, names)}
