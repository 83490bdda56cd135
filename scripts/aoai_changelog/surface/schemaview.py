"""A schema as a client sees it: `$ref`, `allOf`, `oneOf`/`anyOf` and nullability resolved away.

`flatten` folds a schema into a `View`: the union of its types, enum values, limits and flags, its
properties (each a list of sub-schemas still to be flattened), and its discriminated variants.
Composition is resolved the way a reader would: `allOf` intersects (every member holds: enums and
types intersect, limits take the tighter bound, `required` unions; see View.conjoin), a
`oneOf`/`anyOf` without a discriminator is a union (a property is required only if every object
alternative requires it), and one with a discriminator (or a Swagger base whose subtypes extend it
with `allOf`, or alternatives each tagged with one `type`/`role` value) yields variants.
Schema component names are used only to detect cycles, never in what a View says.
"""

from __future__ import annotations

from typing import Any

REF_PREFIX = "#/components/schemas/"
LIMIT_KEYS = (
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "pattern",
    "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
)
FLAG_KEYS = ("deprecated", "readOnly", "writeOnly")
_RARE_KEYS = frozenset((*LIMIT_KEYS, *FLAG_KEYS, "additionalProperties", "unevaluatedProperties", "oneOf", "anyOf"))
# What view_of keeps, summed over its cached views (properties' schemas, enum values, items, ...). Real
# documents keep under 18,000 (v1-preview); a hostile one, with many distinct `$ref`s to one huge
# schema, would otherwise keep a copy of its view per reference (1.2 GB for a 0.9 MB file): past the
# budget, views are folded afresh and dropped after use, as before the cache.
_VIEW_CACHE_WEIGHT = 100_000
# Lower bounds: the bigger one is the tighter. Upper bounds: the smaller one.
LOWER_LIMITS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_LIMITS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
# Synthetic schemas the flattener writes for itself (the importer keeps no x-aoai-* keyword in a schema):
# several schemas that must all hold at one place, and several that each may (a union's members).
CONJOINED = "x-aoai-all"
MERGED = "x-aoai-any"
# Property names that tag the alternatives of an undeclared discriminated union (see _implicit_tags).
IMPLICIT_TAGS = ("type", "role")


class View:
    __slots__ = ("types", "formats", "enum", "default", "limits", "flags", "nullable", "props", "required",
                 "items", "additional", "open_map", "variants", "discriminator", "refs")

    def __init__(self) -> None:
        self.types: set[str] = set()
        self.formats: set[str] = set()
        self.enum: dict[str, Any] = {}  # canonical text -> value, keeps first-seen order
        self.default: Any = None
        self.limits: dict[str, Any] = {}
        self.flags: set[str] = set()
        self.nullable = False
        self.props: dict[str, list] = {}
        self.required: set[str] = set()
        self.items: list = []
        self.additional: list = []
        self.open_map = False
        self.variants: list[tuple[str, Any, str | None]] = []  # (label, schema, base to leave out)
        self.discriminator: str | None = None
        self.refs: set[str] = set()

    def add_enum(self, values: list) -> None:
        for value in values:
            if value is None:
                self.nullable = True
            else:
                self.enum.setdefault(enum_text(value), value)

    def absorb(self, other: View) -> None:
        """Fold in one more alternative, exactly as if it had been flattened into this view."""
        self._add_values(other)
        self.flags |= other.flags
        self.required |= other.required
        self.discriminator = other.discriminator or self.discriminator

    def _add_values(self, other: View) -> None:
        """What an alternative adds to the values this place may hold, the same whether it was written
        beside the others (absorb) or in a oneOf/anyOf (merge_union): types, formats, enum values,
        limits and fields. Flags, `required` and the discriminator are for each caller to combine."""
        self.types |= other.types
        self.formats |= other.formats
        for text, value in other.enum.items():
            self.enum.setdefault(text, value)
        if self.default is None:
            self.default = other.default
        for key, value in other.limits.items():
            self.limits.setdefault(key, value)
        self.nullable |= other.nullable
        for name, schemas in other.props.items():
            self.props.setdefault(name, []).extend(schemas)
        self.items.extend(other.items)
        self.additional.extend(other.additional)
        self.open_map |= other.open_map
        self.variants.extend(other.variants)
        self.refs |= other.refs

    def conjoin(self, other: View) -> None:
        """`allOf`: both views hold at once. Enums and types intersect, limits take the tighter
        bound, `required` unions, and a property said by both must satisfy both. (A contradiction,
        e.g. two disjoint enums, keeps both sides: the document is wrong, and saying nothing would hide it.)"""
        self.types = _intersect_types(self.types, other.types)
        if _declares_values(self) and _declares_values(other):
            self.nullable = self.nullable and other.nullable
        else:
            self.nullable = self.nullable or other.nullable
        self.formats |= other.formats
        if self.enum and other.enum:
            common = {text: value for text, value in self.enum.items() if text in other.enum}
            if common:
                self.enum = common
            else:
                self.absorb_enum(other)
        elif other.enum:
            self.enum = dict(other.enum)
        if self.default is None:
            self.default = other.default
        for key, value in other.limits.items():
            mine = self.limits.get(key)
            if mine is None:
                self.limits[key] = value
            elif _numbers(mine, value) and key in LOWER_LIMITS:
                self.limits[key] = max(mine, value)
            elif _numbers(mine, value) and key in UPPER_LIMITS:
                self.limits[key] = min(mine, value)
        self.flags |= other.flags
        for name, schemas in other.props.items():
            self.props[name] = _both(self.props[name], schemas) if name in self.props else list(schemas)
        self.required |= other.required
        self.items = _both(self.items, other.items) if self.items and other.items else self.items or list(other.items)
        self.additional = (_both(self.additional, other.additional) if self.additional and other.additional
                           else self.additional or list(other.additional))
        self.open_map |= other.open_map
        self.variants.extend(other.variants)
        self.discriminator = self.discriminator or other.discriminator
        self.refs |= other.refs

    def absorb_enum(self, other: View) -> None:
        for text, value in other.enum.items():
            self.enum.setdefault(text, value)

    def merge_union(self, alternatives: list[View]) -> None:
        """Fold the alternatives of a oneOf/anyOf (no discriminator) into this view."""
        object_alts = [alt for alt in alternatives if alt.props]
        for alt in alternatives:
            self._add_values(alt)
            self.discriminator = self.discriminator or alt.discriminator
        if object_alts:
            self.required |= set.intersection(*(alt.required for alt in object_alts))
        # An alternative that is entirely deprecated does not make the union deprecated.
        if alternatives and all("deprecated" in alt.flags for alt in alternatives):
            self.flags.add("deprecated")


def _declares_values(view: View) -> bool:
    """Does the view restrict its values (types or enum)? Only then can it refuse null."""
    return bool(view.types or view.nullable or view.enum)


def _common_types(mine: set[str], theirs: set[str]) -> set[str]:
    """The types both allow (integer is a kind of number); empty when they allow nothing in common."""
    common = mine & theirs
    if "number" in mine and "integer" in theirs or "integer" in mine and "number" in theirs:
        common.add("integer")
    return common


def _intersect_types(mine: set[str], theirs: set[str]) -> set[str]:
    if not mine or not theirs:
        return set(mine or theirs)
    return _common_types(mine, theirs) or (mine | theirs)


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _both(mine: list, theirs: list) -> list:
    """One schema that means "each list holds" (each list is itself a union of its schemas)."""
    def one(schemas: list) -> Any:
        return schemas[0] if len(schemas) == 1 else {MERGED: list(schemas)}
    return [{CONJOINED: [one(mine), one(theirs)]}]


def enum_text(value: Any) -> str:
    """How an enum value is written in keys: strings as they are, anything else as JSON."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    return repr(value) if isinstance(value, float) else str(value)


def _is_null_schema(schema: Any) -> bool:
    return (isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])
            and len(schema) == 1)


class Flattener:
    def __init__(self, components: dict[str, Any]):
        self.components = components
        self.subtypes = self._index_subtypes(components)
        # view_of's results by the identity of the schemas folded (and `exclude`): a component used
        # by many operations is folded once. The schemas are kept with their view, so that their
        # ids cannot be reused by other objects while the cache lives (one snapshot's walk).
        self._views: dict[tuple, tuple[list, View]] = {}
        self._cached_weight = 0  # the cached views' sizes (see _VIEW_CACHE_WEIGHT)

    @staticmethod
    def _index_subtypes(components: dict[str, Any]) -> dict[str, list[str]]:
        """Swagger-style inheritance: base name -> names of the schemas whose allOf names the base."""
        subtypes: dict[str, list[str]] = {}
        for name, schema in components.items():
            for member in (schema.get("allOf") or []) if isinstance(schema, dict) else []:
                ref = member.get("$ref") if isinstance(member, dict) else None
                if isinstance(ref, str) and ref.startswith(REF_PREFIX):
                    subtypes.setdefault(ref[len(REF_PREFIX):], []).append(name)
        for names in subtypes.values():
            names.sort()
        return subtypes

    def ref_name(self, schema: Any) -> str | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            return ref[len(REF_PREFIX):]
        return None

    def resolve(self, schema: Any) -> Any:
        seen = set()
        while (name := self.ref_name(schema)) is not None and name not in seen:
            seen.add(name)
            schema = self.components.get(name, {})
        return schema

    def stream_payloads(self, item: Any) -> Any:
        """What a server-sent event stream carries: each event's `data`, decoded through its
        `contentSchema` (JSON Schema 2020-12), as a union of the payloads. The SSE envelope
        (`event`, `data`, `id`, `retry`) is transport, not a field; an event whose payload is not
        described (a terminal `[DONE]`) adds nothing, unless the base below names it. A stream once
        described by a plain `schema` of its payloads and then by `itemSchema` gives the same elements.

        Terminal events: upstream's generator lists them (`x-ms-sse-terminal-event`) without their
        schema. When every described payload extends one discriminated base, and that base's mapping
        names exactly as many other payloads as there are undescribed events, those are the terminal
        events' payloads (v1's `POST /responses`: 33 described + 20 terminal = the 53 of
        `ResponseStreamEvent`); otherwise they stay undescribed."""
        payloads: list = []
        undescribed = self._collect_payloads(item, payloads, set())
        unique = []
        for payload in payloads:
            if payload not in unique:
                unique.append(payload)
        if undescribed:
            unique += self._terminal_payloads(unique, undescribed)
        if not unique:
            return None
        return unique[0] if len(unique) == 1 else {"oneOf": unique}

    def _collect_payloads(self, item: Any, payloads: list, seen: set) -> int:
        """Append the payload schema of each event to `payloads`; return how many events have none."""
        name = self.ref_name(item)
        if name is not None:
            if name in seen:
                return 0
            seen = seen | {name}
        item = self.resolve(item)
        if not isinstance(item, dict):
            return 0
        alternatives = [alt for keyword in ("oneOf", "anyOf") for alt in item.get(keyword) or []]
        if alternatives:
            return sum(self._collect_payloads(alt, payloads, seen) for alt in alternatives)
        data = self.resolve((item.get("properties") or {}).get("data"))
        if not isinstance(data, dict):
            return 0
        if isinstance(data.get("contentSchema"), dict):
            payloads.append(data["contentSchema"])
        elif data.get("properties") or data.get("oneOf") or data.get("anyOf") or data.get("$ref"):
            payloads.append(data)  # the payload described in place
        else:
            return 1
        return 0

    def _terminal_payloads(self, payloads: list, undescribed: int) -> list:
        """The base's other subtypes, when they are exactly as many as the undescribed events."""
        bases: set[str] | None = None
        for payload in payloads:
            resolved = self.resolve(payload)
            members = resolved.get("allOf") if isinstance(resolved, dict) else None
            found = {name for name in map(self.ref_name, members or []) if name is not None
                     and isinstance(self.components.get(name), dict)
                     and isinstance((self.components[name].get("discriminator") or {}).get("mapping"), dict)}
            bases = found if bases is None else bases & found
        if not bases or len(bases) != 1:
            return []
        mapping = self.components[next(iter(bases))]["discriminator"]["mapping"]
        known = {payload.get("$ref") for payload in payloads if isinstance(payload, dict)}
        others = [target for target in mapping.values() if isinstance(target, str) and target not in known]
        others = list(dict.fromkeys(others))
        return [{"$ref": target} for target in others] if len(others) == undescribed else []

    def view_of(self, schemas: list, exclude: str | None = None) -> View:
        """What these schemas (alternatives of one place) say, folded. The View is shared by every
        caller asking about the same schemas: read-only."""
        key = (*map(id, schemas), exclude)
        known = self._views.get(key)
        if known is not None:
            return known[1]
        view = View()
        for schema in schemas:
            self.flatten(schema, view, frozenset(), top=True, exclude=exclude)
        weight = (1 + sum(map(len, view.props.values())) + len(view.enum) + len(view.items) + len(view.additional)
                  + len(view.variants))
        if self._cached_weight + weight <= _VIEW_CACHE_WEIGHT:
            self._cached_weight += weight
            self._views[key] = (list(schemas), view)
        return view

    def flatten(self, schema: Any, view: View, seen: frozenset, top: bool, exclude: str | None = None) -> None:
        """Fold `schema` into `view`. What is already in `view` is an alternative (a union), so a
        schema with `allOf` is folded on its own first: its members constrain each other, not the view."""
        if not isinstance(schema, dict):
            return
        if MERGED in schema:  # several schemas said of one place (see View.conjoin): each one folds in
            for part in schema[MERGED]:
                self.flatten(part, view, seen, top, exclude)
            return
        members = schema.get(CONJOINED) or schema.get("allOf")
        if not members or not isinstance(members, list):
            self._flatten_own(schema, view, seen, top, exclude)
            return
        local = View()
        if CONJOINED in schema:
            member_top = top
        else:
            self._flatten_own(schema, local, seen, top, exclude)
            # `allOf: [X]` alone is a wrapper (TypeSpec writes them): X is the schema itself, so a
            # discriminated base behind it still brings its subtypes. Next to own properties it is a parent.
            member_top = top and len(members) == 1 and not schema.get("properties")
            members = members + self._subtype_tag(schema, members)
        parts = []
        for member in members:
            part = View()
            self.flatten(member, part, seen, top=member_top, exclude=exclude)
            parts.append(part)
        if CONJOINED not in schema and self._exclusive(parts):
            # Members that can never hold together (a string and an object, or objects that each fix
            # a different value of one tag): no value satisfies this allOf. The document means one of
            # them (2025-04-01-preview's testing_criteria and message content), so it is read as that
            # union, the way the later documents write it.
            self._alternatives({}, members, local, seen, exclude)
            view.absorb(local)
            return
        for index, part in enumerate(parts):
            if index == 0 and CONJOINED in schema:
                local = part
            else:
                local.conjoin(part)
        view.absorb(local)

    def _exclusive(self, parts: list[View]) -> bool:
        """Are these allOf members mutually exclusive (disjoint types, or distinctly tagged objects)?"""
        if len(parts) < 2:
            return False
        typed = [part.types for part in parts if part.types]
        if len(typed) > 1:
            common = typed[0]
            for types in typed[1:]:
                common = _common_types(common, types)
            if not common:
                return True
        objects = [part for part in parts if part.props]
        return len(objects) > 1 and self._implicit_tags(objects) is not None

    def _subtype_tag(self, schema: dict, members: list) -> list:
        """A Swagger subtype (`x-ms-discriminator-value: v`, allOf a base discriminated by `p`) holds
        `p = v` only: one more allOf member, so its tag is narrowed as any allOf narrows."""
        value = schema.get("x-ms-discriminator-value")
        if not isinstance(value, str):
            return []
        for member in members:
            base = self.resolve(member)
            discriminator = base.get("discriminator") if isinstance(base, dict) else None
            prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
            if isinstance(prop, str):
                return [{"properties": {prop: {"enum": [value]}}}]
        return []

    def _flatten_own(self, schema: dict, view: View, seen: frozenset, top: bool, exclude: str | None) -> None:
        """Everything `schema` says except its allOf (see flatten)."""
        name = self.ref_name(schema)
        if name is not None:
            if name in seen or name == exclude:
                return
            view.refs.add(name)
            target = self.components.get(name)
            if target is not None:
                self.flatten(target, view, seen | {name}, top, exclude)
                if (top and isinstance(target, dict) and "discriminator" in target
                        and not target.get("oneOf") and not target.get("anyOf")):
                    self._swagger_variants(name, target, view)
        kind = schema.get("type")
        if isinstance(kind, str):
            (view.types.add(kind) if kind != "null" else setattr(view, "nullable", True))
        elif isinstance(kind, list):
            for k in kind:
                (view.types.add(k) if k != "null" else setattr(view, "nullable", True))
        if isinstance(schema.get("format"), str):
            view.formats.add(schema["format"])
        if isinstance(schema.get("enum"), list):
            view.add_enum(schema["enum"])
        if "const" in schema:
            view.add_enum([schema["const"]])
        if "default" in schema and view.default is None:
            view.default = schema["default"]
        # Most schemas have a handful of keys: the rare keywords are looked for only when present.
        rare = _RARE_KEYS.intersection(schema)
        if rare:
            for key in LIMIT_KEYS:
                if key in rare:
                    view.limits.setdefault(key, schema[key])
            for key in FLAG_KEYS:
                if key in rare and schema[key] is True:
                    view.flags.add(key)
        properties = schema.get("properties")
        if properties:
            for prop, sub in properties.items():
                view.props.setdefault(prop, []).append(sub)
        required = schema.get("required")
        if required:
            view.required.update(required)
        if isinstance(schema.get("items"), dict):
            view.items.append(schema["items"])
        if rare:
            # OpenAPI 3.1 documents spell map values `unevaluatedProperties`; to a client they are the same.
            for keyword in ("additionalProperties", "unevaluatedProperties"):
                additional = schema.get(keyword)
                if isinstance(additional, dict) and additional:
                    view.additional.append(additional)
                elif additional is True or additional == {}:  # the empty schema allows anything, as `true` does
                    view.open_map = True
            for keyword in ("oneOf", "anyOf"):
                if isinstance(schema.get(keyword), list):
                    self._alternatives(schema, schema[keyword], view, seen, exclude)
        if isinstance(schema.get("contentSchema"), dict):
            # A string that carries an encoded document (contentMediaType): its fields are the document's.
            self.flatten(schema["contentSchema"], view, seen, top, exclude)

    def _alternatives(self, owner: dict, alternatives: list, view: View, seen: frozenset, exclude: str | None) -> None:
        real = []
        for alt in alternatives:
            if _is_null_schema(alt):
                view.nullable = True
            else:
                real.append(alt)
        discriminator = owner.get("discriminator") if isinstance(owner.get("discriminator"), dict) else None
        if discriminator and len(real) > 1:
            prop = discriminator.get("propertyName")
            view.discriminator = prop
            tags = {ref: tag for tag, ref in (discriminator.get("mapping") or {}).items()}
            subviews = []
            for index, alt in enumerate(real):
                view.variants.append((self.label(alt, prop, tags, index), alt, None))
                sub = View()
                self.flatten(alt, sub, seen, top=True, exclude=exclude)
                subviews.append(sub)
            self._hoist_tag(view, prop, subviews)
            return
        if len(real) == 1:  # the `anyOf: [X, null]` / single-member wrapper pattern
            self.flatten(real[0], view, seen, top=True, exclude=exclude)
            return
        subviews = []
        for alt in real:
            sub = View()
            self.flatten(alt, sub, seen, top=True, exclude=exclude)
            subviews.append(sub)
        tagged = self._implicit_tags(subviews)
        if tagged:
            prop, labels = tagged
            view.discriminator = prop
            view.variants.extend((label, alt, None) for label, alt in zip(labels, real, strict=True))
            self._hoist_tag(view, prop, subviews)
            return
        # `"auto" | {type: function, ...} | [...]`: the object alternatives, when each carries its own
        # tag value, are variants all the same; the others (a string, an array) stay plain values.
        # So a union that gains or loses its string spelling, or is regrouped, keeps its variants' keys.
        objects = [i for i, sub in enumerate(subviews) if sub.props and sub.types <= {"object"} and not sub.enum]
        tagged = self._implicit_tags([subviews[i] for i in objects]) if 0 < len(objects) < len(subviews) else None
        if tagged:
            prop, labels = tagged
            view.discriminator = prop
            view.variants.extend((label, real[i], None) for label, i in zip(labels, objects, strict=True))
            self._hoist_tag(view, prop, [subviews[i] for i in objects])
            view.merge_union([sub for i, sub in enumerate(subviews) if i not in objects])
            return
        view.merge_union(subviews)

    @staticmethod
    def _hoist_tag(view: View, prop: str | None, subviews: list[View]) -> None:
        """The tag property belongs to the union, not to each variant: `shape.kind`, never
        `shape<circle>.kind`. Swagger-style bases already declare it themselves; this makes a oneOf
        with a discriminator read the same way, so a change of style is not a change of keys."""
        if not prop:
            return
        for sub in subviews:
            view.props.setdefault(prop, []).extend(sub.props.get(prop, []))
        if subviews and all(prop in sub.required for sub in subviews):
            view.required.add(prop)

    def _implicit_tags(self, subviews: list[View]) -> tuple[str, list[str]] | None:
        """Alternatives told apart by a `type` or `role` property with one distinct value each are a
        discriminated union whether or not the document says so (older documents often do not):
        labelling them the same way in every version keeps keys stable across versions."""
        for prop in IMPLICIT_TAGS:
            labels = []
            for sub in subviews:
                if prop not in sub.props:
                    break
                tag_view = View()
                for schema in sub.props[prop]:
                    self.flatten(schema, tag_view, frozenset(), top=False)
                if len(tag_view.enum) != 1:
                    break
                labels.append(next(iter(tag_view.enum)))
            else:
                if len(set(labels)) == len(labels):
                    return prop, labels
        return None

    def _swagger_variants(self, base: str, target: dict, view: View) -> None:
        """A base schema with a discriminator: its subtypes are variants (Swagger 2.0 / allOf style)."""
        prop = (target.get("discriminator") or {}).get("propertyName")
        view.discriminator = prop
        mapping = (target.get("discriminator") or {}).get("mapping") or {}
        tags = {ref: tag for tag, ref in mapping.items()}
        names = list(self.subtypes.get(base, []))
        for ref in mapping.values():
            name = ref[len(REF_PREFIX):] if ref.startswith(REF_PREFIX) else None
            if name and name not in names and name != base:
                names.append(name)
        known = {label for label, _, _ in view.variants}
        known_refs = {schema.get("$ref") for _, schema, _ in view.variants if isinstance(schema, dict)}
        added = []
        for index, name in enumerate(names):
            ref = REF_PREFIX + name
            label = self.label({"$ref": ref}, prop, tags, index)
            if label in known and ref not in known_refs and name.rsplit(".", 1)[-1] == label != name:
                label = name  # `ns1.Cat` and `ns2.Cat` are two variants, not one `Cat` (issue #16)
            if label not in known:
                known.add(label)
                added.append(label)
                view.variants.append((label, {"$ref": ref}, base))
        if prop and added:
            # The subtypes' values are the tag's values, whether or not the base lists them.
            view.props.setdefault(prop, []).append({"enum": added})

    def label(self, alt: Any, prop: str | None, tags: dict[str, str], index: int) -> str:
        """A variant's name: discriminator mapping, x-ms-discriminator-value, the tag property's single
        value, or, last, the schema name without its namespace."""
        ref = alt.get("$ref") if isinstance(alt, dict) else None
        if ref in tags:
            return tags[ref]
        resolved = self.resolve(alt)
        if isinstance(resolved, dict) and isinstance(resolved.get("x-ms-discriminator-value"), str):
            return resolved["x-ms-discriminator-value"]
        if prop:
            sub = View()
            self.flatten(alt, sub, frozenset(), top=False)
            if prop in sub.props:
                tag_view = View()
                for schema in sub.props[prop]:
                    self.flatten(schema, tag_view, frozenset(), top=False)
                if len(tag_view.enum) == 1:
                    return next(iter(tag_view.enum))
        name = self.ref_name(alt)
        if name:
            return name.rsplit(".", 1)[-1]
        return f"#{index + 1}"
