"""Operation identity and the key grammar.

Key grammar (documented in README "Element keys"):

    operation   METHOD /path                         POST /chat/completions
    parameter   OP path|query|header NAME            POST /audio/transcriptions query api-version
    body        OP request | OP response.STATUS      POST /chat/completions response.200
    header      OP response.STATUS.header NAME       POST /chat/completions response.200.header apim-request-id
    field       OP LOCATION FIELDPATH                POST /chat/completions request stream_options.include_usage
    enum value  OP LOCATION FIELDPATH=VALUE          POST /audio/speech request response_format=wav

FIELDPATH joins property names with '.', `[]` steps into array items (`messages[].role`), `{}` into
map values (`metadata{}`), and `<label>` into one variant of a discriminated union
(`data_sources[]<azure_search>.parameters.role_information`). Paths drop the dated versions'
`/deployments/{deployment-id}` prefix, and path parameters are spelled with `_` (`{batch_id}`).
"""

from __future__ import annotations

import re

_DEPLOYMENT_PREFIX = re.compile(r"^/deployments/\{[^}/]+\}(?=/)")
_PARAM = re.compile(r"\{([^}/]*)\}")


def strip_deployment(path: str) -> tuple[str, bool]:
    """('/chat/completions', True) for '/deployments/{deployment-id}/chat/completions'."""
    stripped = _DEPLOYMENT_PREFIX.sub("", path, count=1)
    return stripped, stripped != path


def display_path(path: str) -> str:
    """Path parameters spelled one way: `{batch-id}` and `{batch_id}` both become `{batch_id}`."""
    return _PARAM.sub(lambda m: "{" + m.group(1).replace("-", "_") + "}", path)


def shape_path(path: str) -> str:
    """The path with parameter names erased: `/batches/{}` identifies the operation across renames."""
    return _PARAM.sub("{}", path)


def path_parameters(path: str) -> list[str]:
    return _PARAM.findall(path)


def child(parent: str, step: str) -> str:
    """Join a field path and one step (a property name, `[]`, `{}` or `<label>`)."""
    if not parent:
        return step
    if step in ("[]", "{}") or step.startswith("<"):
        return parent + step
    return parent + "." + step
