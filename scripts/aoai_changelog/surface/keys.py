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
(`data_sources[]<azure_search>.parameters.role_information`). A plain object whose `type` holds one
value is that value's variant (`tools[]<function>.function.name` whether `tools[]` is one object or a
union), and a stream's events are variants of the body (`response.200 <response.output_text.delta>.delta`);
README "Element keys" has the whole policy. Paths drop the dated versions'
`/deployments/{deployment-id}` prefix, and path parameters are spelled with `_` (`{batch_id}`).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


# Plain string scanning, no `re`: `has` imports this module and must start fast.

def _parameters(path: str) -> list[tuple[int, int]]:
    """(start, end) of each `{name}` in `path` (name without `}` or `/`), in order."""
    spans: list[tuple[int, int]] = []
    i = 0
    while True:
        start = path.find("{", i)
        if start < 0:
            return spans
        end = path.find("}", start + 1)
        if end < 0:
            return spans
        if "/" in path[start + 1:end]:
            i = start + 1
            continue
        spans.append((start, end))
        i = end + 1


def _rewrite(path: str, name: Callable[[str], str]) -> str:
    out, last = [], 0
    for start, end in _parameters(path):
        out.append(path[last:start] + "{" + name(path[start + 1:end]) + "}")
        last = end + 1
    return "".join(out) + path[last:]


def strip_deployment(path: str) -> tuple[str, bool]:
    """('/chat/completions', True) for '/deployments/{deployment-id}/chat/completions'."""
    prefix = "/deployments/{"
    if path.startswith(prefix):
        end = path.find("}", len(prefix))
        name = path[len(prefix):end] if end > 0 else ""
        if name and "/" not in name and path[end + 1:end + 2] == "/":
            return path[end + 1:], True
    return path, False


def display_path(path: str) -> str:
    """Path parameters spelled one way: `{batch-id}` and `{batch_id}` both become `{batch_id}`."""
    return _rewrite(path, lambda name: name.replace("-", "_"))


def shape_path(path: str) -> str:
    """The path with parameter names erased: `/batches/{}` identifies the operation across renames."""
    return _rewrite(path, lambda name: "")


def path_parameters(path: str) -> list[str]:
    return [path[start + 1:end] for start, end in _parameters(path)]


def element_name(kind: str, key: str) -> str:
    """The bare name a user types: a field or parameter name, an enum value, a variant label, a path."""
    if kind == "operation":
        return key.split(" ", 1)[1]
    if kind == "enum":
        return key.rsplit("=", 1)[1] if "=" in key else key
    last = key.rsplit(" ", 1)[-1]
    while last.endswith(("[]", "{}")):
        last = last[:-2]
    if last.endswith(">") and "<" in last:
        return last[last.rindex("<") + 1:-1]
    return last.rsplit(".", 1)[-1].rsplit(">", 1)[-1]


def key_parts(kind: str, key: str) -> tuple[str, str]:
    """(operation, location) of an element key: `POST /x request a.b` -> ('POST /x', 'request')."""
    parts = key.split(" ", 3)
    return " ".join(parts[:2]), (parts[2] if kind != "operation" and len(parts) > 2 else "")


# Characters with a meaning in a FIELDPATH. In a property name they are escaped with a backslash, so
# that a flat property `a.b` is `a\.b`, never the nested `a` -> `b`; `f=v` is `f\=v`, never enum
# value `v` of `f`; `[]` is `\[\]`, never array items. In a variant label only the brackets are.
_NAME_RESERVED = frozenset(".[]{}<>=\\")
_LABEL_RESERVED = frozenset("<>\\")


def escape_name(name: str) -> str:
    """A property name as one FIELDPATH step (README "Element keys": escaping)."""
    if _NAME_RESERVED.isdisjoint(name):
        return name
    return "".join("\\" + c if c in _NAME_RESERVED else c for c in name)


def variant_step(label: str) -> str:
    """`<label>`: one variant of a union, its label escaped where it holds `<`, `>` or `\\`."""
    if not _LABEL_RESERVED.isdisjoint(label):
        label = "".join("\\" + c if c in _LABEL_RESERVED else c for c in label)
    return f"<{label}>"


def child(parent: str, step: str) -> str:
    """Join a field path and one step (a property name, `[]`, `{}` or `<label>`)."""
    if not parent:
        return step
    if step in ("[]", "{}") or step.startswith("<"):
        return parent + step
    return parent + "." + step


# Characters that follow a field-like element's identity in its children's identities (see child).
_FIELD_STEPS = frozenset(".[{<=")


def descends(root: str, kind: str, identity: str) -> bool:
    """Whether `identity` is inside the subtree of the element `root` of kind `kind` (not itself),
    by the identity grammar alone (formatters/nesting.py lists it)."""
    if len(identity) <= len(root) or not identity.startswith(root):
        return False
    step = identity[len(root)]
    if kind == "operation":
        return step == " "
    if kind == "body":
        return step == " " or identity.startswith(".header ", len(root))
    return step in _FIELD_STEPS
