"""Snapshot -> Surface: walk every operation, parameter, body and field at any depth."""

from __future__ import annotations

import json
import sys
from typing import Any, NamedTuple, Protocol

from .keys import child, display_path, escape_name, path_parameters, shape_path, strip_deployment, variant_step
from .model import Element, Surface, attrs_text
from .schemaview import FLAG_KEYS, Flattener, View

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Hashable, Iterator


# Deeper than any real field path; a guard so that a pathological schema cannot run away.
MAX_DEPTH = 40
# Elements one body, and one whole surface, may expand to: about twice and almost three times the
# largest real ones (v1's POST /responses response with its 53 stream events: 18,600 elements;
# v1-preview: 43,600 in all). A schema graph whose shared sub-schemas fan out at every level (a DAG,
# not a cycle) would otherwise grow exponentially, in time and memory. Past a budget nothing more is
# added (memory and output stay bounded): the element where the walk stopped is marked `truncated`,
# and a warning says how much was cut. (tests/test_fidelity.py checks that no real body is cut.)
MAX_BODY_ELEMENTS = 40_000
MAX_SURFACE_ELEMENTS = 120_000
OPERATIONS_CUT = ""  # the key of `_Walker.cut` that counts operations left out
# The api-version parameter's default and enum are the version itself: not a feature of it.
VERSION_PARAMETER = "api-version"
EVENT_STREAM = "text/event-stream"
# The property whose single value makes a plain object one variant of a would-be union (see single_tag).
PLAIN_OBJECT_TAGS = ("type",)


def _type_of(view: View) -> str | list[str] | None:
    types = set(view.types)
    if view.variants:
        types.add("object")  # variants are objects, whatever else the value may be (`"auto"`, an array)
    if not types:
        if view.props:
            types.add("object")
        elif view.items:
            types.add("array")
    if not types:
        return None
    return next(iter(types)) if len(types) == 1 else sorted(types)


def value_attrs(view: View) -> dict[str, Any]:
    """The facts of a value, as element attributes (only those that are set)."""
    attrs: dict[str, Any] = {}
    kind = _type_of(view)
    if kind is not None:
        attrs["type"] = kind
    if view.formats:
        attrs["format"] = sorted(view.formats)[0] if len(view.formats) == 1 else sorted(view.formats)
    if view.nullable:
        attrs["nullable"] = True
    if view.default is not None:
        attrs["default"] = view.default
    if view.enum:
        attrs["enum"] = sorted(view.enum)
    for key, value in view.limits.items():
        attrs[key] = value
    for flag in FLAG_KEYS:
        if flag in view.flags:
            attrs[flag] = True
    if view.discriminator:
        attrs["discriminator"] = view.discriminator
    if view.open_map:
        attrs["additionalProperties"] = True
    return attrs


class Subtree(NamedTuple):
    """What the walk below one field added (surface/memo.py keeps them by content, for any field
    whose schemas are the same components): replayed under another field's path, it gives the
    elements a walk there would give, when the context allows (see _Walker.replayable)."""

    # Every `add` below the field, in order, skipped ones included: (identity, kind, attributes as
    # canonical text, parent), each identity without the field's own in front.
    rows: list[tuple[str, str, str, str]]
    budget: int  # elements taken from the body's budget
    reach: int  # how much deeper than the field the walk went
    refsets: frozenset  # the `$ref` sets met below: a replay under an ancestor with one of them would differ


class SubtreeMemo(Protocol):
    def key(self, schemas: list, exclude: str | None, kind: str, skip: str | None) -> Hashable | None: ...
    def get(self, key: Hashable) -> Subtree | None: ...
    def put(self, key: Hashable, subtree: Subtree) -> None: ...


class _Walker:
    def __init__(self, snapshot: dict, subtrees: SubtreeMemo | None = None):
        self.flattener = Flattener((snapshot.get("components") or {}).get("schemas") or {})
        # identity -> Element; or, replayed from a Subtree, its row (model.rows_of reads both)
        self.elements: dict[str, Element | tuple] = {}
        self.budget = MAX_BODY_ELEMENTS
        self.cut: dict[str, int] = {}  # body key -> elements not added because a budget was spent
        self.cuts = 0  # how many times a budget stopped the walk (a subtree walked with a cut is not kept)
        # The subtree memo, and what recording a subtree needs: every add since the outermost
        # recording began (an Element, or a replayed (identity, kind, text, parent)), and the $ref
        # sets and depth met since the innermost one.
        self.subtrees = subtrees
        self.recording = 0
        self.log: list[Element | tuple[str, str, str, str]] = []
        self.refsets: set[frozenset] = set()
        self.deepest = 0
        servers = {}
        for doc in (snapshot.get("x-aoai-snapshot") or {}).get("documents") or []:
            url = (doc.get("servers") or [None])[0]
            # `https://{endpoint}/openai` and `{endpoint}/openai` (endpoint with its scheme) are one place.
            servers[doc.get("document")] = url[len("https://"):] if url and url.startswith("https://{") else url
        self.servers = servers

    def add(self, key: str, identity: str, kind: str, operation: str, location: str, attrs: dict, parent: str) -> None:
        # The first spelling wins if two upstream spellings meet (e.g. a field in two media types).
        if identity not in self.elements:
            if len(self.elements) >= MAX_SURFACE_ELEMENTS:
                self.cut[operation] = self.cut.get(operation, 0) + 1
                self.cuts += 1
                return
            element = self.elements[identity] = Element(key, identity, kind, operation, location, attrs, parent)
            if self.recording:
                self.log.append(element)
        elif self.recording:
            self.log.append(Element(key, identity, kind, operation, location, attrs, parent))

    def spent(self, op_key: str, location: str, parent_identity: str, count: int = 1) -> bool:
        """Take `count` elements from the body's budget; when none is left, count the cut and mark
        the element where the walk stops `truncated`."""
        self.budget -= count
        if self.budget >= 0 and len(self.elements) < MAX_SURFACE_ELEMENTS:
            return False
        where = f"{op_key} {location}"
        self.cut[where] = self.cut.get(where, 0) + count
        self.cuts += 1
        parent = self.elements.get(parent_identity)
        if parent is not None:  # a copy: attrs may be shared with a recorded subtree
            if not isinstance(parent, Element):  # a replayed row
                key, kind, operation, place, text, grandparent = parent
                parent = Element(key, parent_identity, kind, operation, place, json.loads(text), grandparent)
            self.elements[parent_identity] = parent._replace(attrs={**parent.attrs, "truncated": True})
        return True

    # -- operations --------------------------------------------------------------------------------

    def walk(self, snapshot: dict) -> None:
        calls = list(self.operation_calls(snapshot))
        for index, args in enumerate(calls):
            if len(self.elements) >= MAX_SURFACE_ELEMENTS:
                self.cut[OPERATIONS_CUT] = len(calls) - index
                return
            self.operation(*args)

    @staticmethod
    def operation_calls(snapshot: dict) -> Iterator[tuple]:  # (method, path, stripped, had_prefix, op)
        """The arguments of each `operation` call, in walking order (surface/memo.py replays them)."""
        from ..load.structure import METHODS

        paths = snapshot.get("paths") or {}
        # Only the methods are operations (a hand-edited snapshot may hold other keys beside them).
        methods = {path: sorted(key for key in paths[path] if key in METHODS) for path in paths}
        # A stripped operation that collides with an unprefixed one keeps its prefix: both exist.
        plain = {(m, shape_path(p)) for p in paths if not strip_deployment(p)[1] for m in methods[p]}
        for path in sorted(paths):
            for method in methods[path]:
                stripped, had_prefix = strip_deployment(path)
                if had_prefix and (method, shape_path(stripped)) in plain:
                    stripped, had_prefix = path, False
                yield method, path, stripped, had_prefix, paths[path][method]

    def operation(self, method: str, path: str, stripped: str, had_prefix: bool, op: dict) -> None:
        op_key = f"{method.upper()} {display_path(stripped)}"
        op_id = f"{method.upper()} {shape_path(stripped)}"
        attrs: dict[str, Any] = {"path": path, "document": op.get("x-aoai-document")}
        if had_prefix:
            attrs["deployment_prefix"] = True
        if op.get("operationId"):
            attrs["operationId"] = op["operationId"]
        if op.get("deprecated"):
            attrs["deprecated"] = True
        server = self.servers.get(op.get("x-aoai-document"))
        if server:
            attrs["server"] = server
        attrs["path_parameters"] = path_parameters(stripped)
        self.add(op_key, op_id, "operation", op_key, "", attrs, "")

        positions = {name: i for i, name in enumerate(attrs["path_parameters"])}
        # The parameters' enum values take from a budget of their own, not from what the operation
        # walked before left (which depends on walking order: surface/memo.py walks fewer).
        self.budget = MAX_BODY_ELEMENTS
        for param in op.get("parameters") or []:
            self.parameter(op_key, op_id, param, positions)
        body = op.get("requestBody")
        if body:
            self.body(op_key, op_id, "request", body.get("content") or {}, {"required": bool(body.get("required"))})
        for status, response in sorted((op.get("responses") or {}).items()):
            location = f"response.{status}"
            self.body(op_key, op_id, location, response.get("content") or {}, {})
            for name, header in sorted((response.get("headers") or {}).items()):
                view = self.flattener.view_of([header.get("schema") or {}])
                attrs = value_attrs(view)
                attrs["required"] = bool(header.get("required"))
                hloc = f"{location}.header"
                self.add(f"{op_key} {hloc} {name}", f"{op_id} {hloc} {name.lower()}", "header", op_key, hloc, attrs,
                         f"{op_id} {location}")

    def parameter(self, op_key: str, op_id: str, param: dict, positions: dict[str, int]) -> None:
        name, where = param["name"], param["in"]
        if where == "path":
            if name not in positions:  # the stripped deployment parameter: an attribute of the operation
                return
            key_name = name.replace("-", "_")
            identity = f"{op_id} path #{positions[name]}"
        else:
            key_name = name
            identity = f"{op_id} {where} {name.lower() if where == 'header' else name}"
        key = f"{op_key} {where} {key_name}"
        view = self.flattener.view_of([param.get("schema") or {}])
        attrs = value_attrs(view)
        attrs["required"] = bool(param.get("required"))
        if param.get("deprecated"):
            attrs["deprecated"] = True
        if name == VERSION_PARAMETER:
            attrs.pop("default", None)
            attrs.pop("enum", None)
            self.add(key, identity, "parameter", op_key, where, attrs, op_id)
            return
        self.add(key, identity, "parameter", op_key, where, attrs, op_id)
        self.values(key, identity, op_key, where, view)
        if view.items:
            items = self.flattener.view_of(view.items)
            self.values(key + "[]", identity + "[]", op_key, where, items, parent=identity)

    # -- bodies ------------------------------------------------------------------------------------

    def body(self, op_key: str, op_id: str, location: str, content: dict, attrs: dict) -> None:
        schemas = []
        for media_type in sorted(content):
            media = content[media_type] or {}
            schema = media.get("schema")
            if schema is None and "itemSchema" in media:  # OpenAPI 3.2: a stream, described item by item
                item = media["itemSchema"]
                schema = self.flattener.stream_payloads(item) if media_type == EVENT_STREAM else item
            if schema is not None:
                schemas.append(schema)
        attrs = dict(attrs, media_types=sorted(content))
        key, identity = f"{op_key} {location}", f"{op_id} {location}"
        view = self.flattener.view_of(schemas) if schemas else None
        if view is not None:
            # The body's own value facts (a string body becoming an integer is a change), as for fields.
            facts = value_attrs(view)
            if facts.get("type") == "string" and facts.get("format") == "binary":
                # Raw bytes: OpenAPI 3.0 says `type: string, format: binary`, 3.1 a schema with only
                # `contentMediaType` (or none). One fact, two spellings: neither is compared.
                del facts["type"], facts["format"]
            attrs.update({k: v for k, v in facts.items() if k not in attrs})
        self.add(key, identity, "body", op_key, location, attrs, op_id)
        if view is not None:
            self.budget = MAX_BODY_ELEMENTS
            self.fields(op_key, op_id, location, "", view, [frozenset(view.refs)], 0)

    def fields(self, op_key: str, op_id: str, location: str, path: str, view: View, ancestors: list, depth: int,
               skip: str | None = None) -> None:
        """Emit the children of `view` (whose own element is already emitted) at field path `path`.
        `skip` is a variant's tag property, which is reported once, on the union (see _hoist_tag)."""
        # Children are flattened one at a time, after checking the budget: flattening is the costly part.
        here = f"{op_id} {location}" + (f" {path}" if path else "")
        children: list[tuple] = [(child(path, escape_name(name)), view.props[name], None, name in view.required,
                                  "field", None) for name in sorted(view.props) if name != skip]
        if view.items:
            children.append((child(path, "[]"), view.items, None, None, "field", None))
        if view.additional:
            children.append((child(path, "{}"), view.additional, None, None, "field", None))
        labels: set[str] = set()
        for label, schema, base in view.variants:
            step = variant_step(label)
            name = self.flattener.ref_name(schema) if step in labels else None
            if name and name.rsplit(".", 1)[-1] == label:
                # Labelled by schema name without its namespace: `ns1.Cat` and `ns2.Cat` stay apart.
                # (Two alternatives with one tag value are one variant to a client: they still merge.)
                step = variant_step(name)
            labels.add(step)
            children.append((child(path, step), [schema], base, None, "variant", view.discriminator))
        for index, (step_path, schemas, exclude, required, kind, tag) in enumerate(children):
            if self.budget <= 0 or len(self.elements) >= MAX_SURFACE_ELEMENTS:
                self.spent(op_key, location, here, len(children) - index)
                return
            self.field(op_key, op_id, location, step_path, self.flattener.view_of(schemas, exclude), required,
                       ancestors, depth, kind=kind, skip=tag, parent=path, source=(schemas, exclude))

    def field(self, op_key: str, op_id: str, location: str, path: str, view: View, required: bool | None,
              ancestors: list, depth: int, kind: str = "field", skip: str | None = None, parent: str = "",
              source: tuple[list, str | None] | None = None) -> None:
        """Emit the field at `path` and everything below it. `source`: the schemas (and the base
        left out) that `view` was folded from, which key the subtree memo."""
        parent_identity = f"{op_id} {location}" + (f" {parent}" if parent else "")
        if self.spent(op_key, location, parent_identity):
            return
        attrs = value_attrs(view)
        if required is not None:
            attrs["required"] = bool(required)
        refs = frozenset(view.refs)
        recursive = bool(refs) and refs in ancestors
        if self.recording:
            if refs:
                self.refsets.add(refs)
            if depth > self.deepest:
                self.deepest = depth
        if recursive:
            attrs["recursive"] = True
        elif depth >= MAX_DEPTH:
            attrs["truncated"] = True
        key = f"{op_key} {location} {path}"
        identity = f"{op_id} {location} {path}"
        self.add(key, identity, kind, op_key, location, attrs, parent_identity)
        self.values(key, identity, op_key, location, view)
        if recursive or depth >= MAX_DEPTH:
            return
        memo_key = None
        if self.subtrees is not None and source is not None and (view.props or view.items or view.additional
                                                                   or view.variants):
            memo_key = self.subtrees.key(source[0], source[1], kind, skip)
        if memo_key is None:
            self.descend(op_key, op_id, location, path, view, refs, ancestors, depth, kind, skip, source)
            return
        known = self.subtrees.get(memo_key)  # type: ignore[union-attr]
        if known is not None and self.replayable(known, ancestors, depth):
            self.replay(known, key, identity, op_key, location, depth)
            return
        # Walk it, recording: what it adds, and the context it depended on.
        start, cuts, budget = len(self.log), self.cuts, self.budget
        outer_refsets, outer_deepest = self.refsets, self.deepest
        self.refsets, self.deepest = set(), depth
        self.recording += 1
        try:
            self.descend(op_key, op_id, location, path, view, refs, ancestors, depth, kind, skip, source)
        finally:
            self.recording -= 1
        refsets, deepest = self.refsets, self.deepest
        outer_refsets |= refsets
        self.refsets, self.deepest = outer_refsets, max(outer_deepest, deepest)
        # Kept when the walk below depended only on the schemas: no budget stopped it, no depth
        # limit was near, and no $ref set met below is one of the ancestors' (a recursion that a
        # walk from elsewhere would not see).
        if self.cuts == cuts and deepest < MAX_DEPTH and refsets.isdisjoint(ancestors):
            self.subtrees.put(memo_key, Subtree(_relative(self.log[start:], len(identity)),  # type: ignore[union-attr]
                                                budget - self.budget, deepest - depth, frozenset(refsets)))
        if not self.recording:
            self.log.clear()

    def descend(self, op_key: str, op_id: str, location: str, path: str, view: View, refs: frozenset,
                ancestors: list, depth: int, kind: str, skip: str | None, source: tuple | None) -> None:
        """Emit what is below the field at `path` (its own element is emitted)."""
        tag = self.single_tag(view) if kind == "field" else None
        if tag is None:
            self.fields(op_key, op_id, location, path, view, ancestors + [refs], depth + 1, skip)
            return
        # A plain object that carries one tag value IS the variant of that value (README "Element
        # keys"): its tag stays on the object, everything else lives under `<value>`, so the day it
        # becomes a union only the new variants are new.
        prop, label = tag
        self.field(op_key, op_id, location, child(path, escape_name(prop)), self.flattener.view_of(view.props[prop]),
                   prop in view.required, ancestors + [refs], depth + 1, parent=path, source=(view.props[prop], None))
        self.field(op_key, op_id, location, child(path, variant_step(label)), view, None, ancestors, depth + 1,
                   kind="variant", skip=prop, parent=path, source=source)

    def replayable(self, subtree: Subtree, ancestors: list, depth: int) -> bool:
        """Would walking here give what `subtree` recorded? Yes when no budget or depth limit would
        stop the walk, and no ancestor's $ref set is one met below (that would make it recursive)."""
        return (self.budget - subtree.budget >= 1 and depth + subtree.reach < MAX_DEPTH
                and len(self.elements) + len(subtree.rows) < MAX_SURFACE_ELEMENTS
                and subtree.refsets.isdisjoint(ancestors))

    def replay(self, subtree: Subtree, key: str, identity: str, op_key: str, location: str, depth: int) -> None:
        """Add what `subtree` recorded, under the field `key`/`identity` (as `add` would: the first
        spelling of an identity wins)."""
        same = key == identity
        elements = self.elements
        log = self.log if self.recording else None
        op_key, location = sys.intern(op_key), sys.intern(location)  # as model.rows_of makes them
        # Each parent is the string object of its own identity (as rows_of shares them), found by
        # its relative identity: the field's own, or one made before it here.
        made = {"": identity}
        for below, kind, text, parent_below in subtree.rows:
            child_identity = made[below] = identity + below
            parent = made.get(parent_below) or identity + parent_below
            if child_identity not in elements:
                child_key = child_identity if same else key + below
                elements[child_identity] = (child_key, kind, op_key, location, text, parent)
            if log is not None:
                log.append((child_identity, kind, text, parent))
        self.budget -= subtree.budget
        if log is not None:
            self.refsets |= subtree.refsets
            self.deepest = max(self.deepest, depth + subtree.reach)

    def single_tag(self, view: View) -> tuple[str, str] | None:
        """(tag property, its one value) of a plain object (no variants) tagged like a union member:
        by its discriminator, else `type`, holding exactly one value. (Not `role`: a message object
        whose role enum grows from one value to two stays one plain object, and must keep its keys.)"""
        if view.variants or not view.props or view.enum or not view.types <= {"object"}:
            return None  # a union folded into one view (`"auto" | {type: function, ...}`) is no plain object
        for prop in ((view.discriminator,) if view.discriminator else ()) + PLAIN_OBJECT_TAGS:
            if prop in view.props:
                values = self.flattener.view_of(view.props[prop]).enum
                if len(values) == 1:
                    return prop, next(iter(values))
        return None

    def values(self, key: str, identity: str, op_key: str, location: str, view: View,
               parent: str | None = None) -> None:
        texts = sorted(view.enum)
        for index, text in enumerate(texts):
            if self.budget <= 0 or len(self.elements) >= MAX_SURFACE_ELEMENTS:
                self.spent(op_key, location, parent or identity, len(texts) - index)
                return
            self.budget -= 1
            self.add(f"{key}={text}", f"{identity}={text}", "enum", op_key, location, {"value": view.enum[text]},
                     parent or identity)


def _relative(log: list, base: int) -> list[tuple[str, str, str, str]]:
    """A Subtree's rows from the log of its walk: identities (and parents) without their first
    `base` characters (the field's identity), attributes as canonical text."""
    out = []
    for item in log:
        if isinstance(item, Element):
            out.append((item.identity[base:], item.kind, attrs_text(item.attrs), item.parent[base:]))
        else:
            identity, kind, text, parent = item
            out.append((identity[base:], kind, text, parent[base:]))
    return out


def surface_of(snapshot: dict, version: str | None = None) -> Surface:
    walker = _Walker(snapshot)
    walker.walk(snapshot)
    version = version or (snapshot.get("info") or {}).get("version") or "?"
    report_cuts(version, walker.cut)
    return Surface(version, dict(sorted(walker.elements.items())))  # type: ignore[arg-type]  # no replays here


def report_cuts(version: str, cut: dict[str, int]) -> None:
    """A few warning lines: where a budget stopped the walk, and how much was left out there."""
    from ..load.files import warn

    cut = dict(cut)
    operations = cut.pop(OPERATIONS_CUT, 0)
    if operations:
        warn(f"{version}: over the budget of {MAX_SURFACE_ELEMENTS:,} elements per document: "
             f"the last {operations:,} operations are left out")
    for where, count in sorted(cut.items())[:3]:
        warn(f"{version}: {where}: over the budget of {MAX_BODY_ELEMENTS:,} elements per body: {count:,} fields and "
             "enum values left out where the walk stopped (marked `truncated`)")
    if len(cut) > 3:
        warn(f"{version}: {len(cut) - 3:,} more bodies over the budget ({sum(cut.values()):,} fields and enum values "
             "left out in all)")
