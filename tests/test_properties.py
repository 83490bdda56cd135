"""Properties that hold for any API description (hypothesis, with a bounded number of examples)."""

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aoai_changelog.diff import diff_surfaces
from aoai_changelog.formatters import FORMATS
from aoai_changelog.index.featureindex import build_index
from aoai_changelog.index.indexstore import MemoryStore
from aoai_changelog.store.snapshots import snapshot_from_file
from aoai_changelog.surface import surface_of

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

names = st.sampled_from(["id", "name", "size", "kind", "items", "meta", "mode", "tags", "model", "store", "user"])
scalar = st.sampled_from([{"type": "string"}, {"type": "integer"}, {"type": "boolean"},
                          {"type": "number", "format": "double"}, {"type": "string", "enum": ["a", "b"]},
                          {"type": "string", "enum": ["a", "b", "c"], "default": "a"},
                          {"type": "integer", "minimum": 0, "maximum": 9}, {"type": "string", "nullable": True}])


def schemas(depth=2):
    if depth == 0:
        return scalar
    child = schemas(depth - 1)
    obj = st.builds(lambda props, req: {"type": "object", "properties": props,
                                        "required": sorted(set(req) & set(props))},
                    st.dictionaries(names, child, max_size=4), st.lists(names, max_size=3))
    arr = st.builds(lambda item: {"type": "array", "items": item}, child)
    ref = st.sampled_from([{"$ref": "#/components/schemas/Shared"}])
    union = st.builds(lambda a, b: {"oneOf": [a, b]}, child, child)
    return st.one_of(scalar, obj, arr, ref, union)


@st.composite
def specs(draw):
    paths = {}
    path_names = st.sampled_from(["/a", "/b/{id}", "/deployments/{deployment-id}/c", "/d"])
    for path in draw(st.lists(path_names, min_size=1, max_size=4, unique=True)):
        operations = {}
        for method in draw(st.lists(st.sampled_from(["get", "post", "delete"]), min_size=1, max_size=2, unique=True)):
            op = {"responses": {"200": {"description": "OK",
                                        "content": {"application/json": {"schema": draw(schemas())}}}}}
            params = [{"name": n[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
                      for n in path.split("/") if n.startswith("{")]
            params += [{"name": q, "in": "query", "schema": draw(scalar)}
                       for q in draw(st.lists(names, max_size=2, unique=True))]
            op["parameters"] = params
            if method == "post":
                op["requestBody"] = {"content": {"application/json": {"schema": draw(schemas())}}}
            operations[method] = op
        paths[path] = operations
    shared = draw(schemas(1))
    if "$ref" in json.dumps(shared):
        shared = {"type": "string"}
    return {"openapi": "3.0.0", "info": {"title": "generated", "version": "1"}, "paths": paths,
            "components": {"schemas": {"Shared": shared}}}


def surface(tmp_path, doc, name):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc))
    return surface_of(snapshot_from_file(path), name)


@SETTINGS
@given(specs())
def test_diff_of_a_spec_with_itself_is_empty(tmp_path, spec):
    s = surface(tmp_path, spec, "a")
    assert diff_surfaces(s, s).changes == []


@SETTINGS
@given(specs(), specs())
def test_diff_is_the_mirror_of_the_reverse_diff(tmp_path, a, b):
    sa, sb = surface(tmp_path, a, "a"), surface(tmp_path, b, "b")
    forward, backward = diff_surfaces(sa, sb).changes, diff_surfaces(sb, sa).changes
    assert {c.identity for c in forward if c.kind == "added"} == {c.identity for c in backward if c.kind == "removed"}
    assert {c.identity for c in forward if c.kind == "removed"} == {c.identity for c in backward if c.kind == "added"}
    assert sorted((c.identity, c.attribute) for c in forward if c.kind == "changed") == \
        sorted((c.identity, c.attribute) for c in backward if c.kind == "changed")


@SETTINGS
@given(st.lists(specs(), min_size=2, max_size=4))
def test_the_feature_index_reproduces_every_pairwise_diff(tmp_path, docs):
    surfaces = [surface(tmp_path, d, f"v{i}") for i, d in enumerate(docs)]
    store = MemoryStore(build_index({"versions": [(s.version, s) for s in surfaces]}))

    def present(identity, position):
        return any(a <= position <= b for a, b in store.entry(identity)["present"]["versions"])

    for i in range(len(surfaces)):
        for j in range(len(surfaces)):
            changes = diff_surfaces(surfaces[i], surfaces[j]).changes
            added = {c.identity for c in changes if c.kind == "added"}
            removed = {c.identity for c in changes if c.kind == "removed"}
            ids = store._elements
            assert added == {x for x in ids if present(x, j) and not present(x, i)}
            assert removed == {x for x in ids if present(x, i) and not present(x, j)}


def _shuffled(value, rng):
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


@SETTINGS
@given(specs(), specs(), st.integers(0, 2**32 - 1))
def test_same_input_gives_byte_identical_output_whatever_the_order(tmp_path, a, b, seed):
    """Key order in the files (and so the order things are met) does not change a byte of output."""
    rng = random.Random(seed)
    outputs = []
    for attempt in range(2):
        docs = (a, b) if attempt == 0 else (_shuffled(a, rng), _shuffled(b, rng))
        sa, sb = surface(tmp_path, docs[0], f"a{attempt}"), surface(tmp_path, docs[1], f"b{attempt}")
        result = diff_surfaces(sa, sb, {"id": "a"}, {"id": "b"})
        outputs.append(tuple(render(result) for render in FORMATS.values()))
        snapshot = json.dumps(snapshot_from_file(tmp_path / f"a{attempt}.json")["paths"], sort_keys=True)
        outputs[-1] += (snapshot,)
    assert outputs[0] == outputs[1]
