"""No false alarms (issue #9): representation changes of one API are not API changes.

One fixture pair (tests/fixtures/specs/fidelity/before.yaml -> after.yaml) holds each family; the
real revisions named in the issue are checked next to it, and so are the real changes beside them.
"""

import json

import pytest

from aoai_changelog.diff import diff_surfaces
from aoai_changelog.diff.attributes import attribute_changes
from aoai_changelog.index.featureindex import build_index
from aoai_changelog.index.indexstore import MemoryStore
from aoai_changelog.index.queries import find, history, presence
from aoai_changelog.store.snapshots import snapshot_from_file
from aoai_changelog.surface import surface_of
from conftest import FIXTURES

FIDELITY = FIXTURES / "specs" / "fidelity"
DELTA_EVENT = "POST /responses response.200 <response.output_text.delta>"


@pytest.fixture(scope="module")
def fixture_diff():
    before = surface_of(snapshot_from_file(FIDELITY / "before.yaml"), "before")
    after = surface_of(snapshot_from_file(FIDELITY / "after.yaml"), "after")
    return before, after, {(c.key, c.kind, c.attribute): c for c in diff_surfaces(before, after).changes}


@pytest.fixture(scope="module")
def real_diff(surface):
    cache = {}

    def get(old: str, new: str) -> dict:
        if (old, new) not in cache:
            cache[old, new] = diff_surfaces(surface(old), surface(new)).changes
        return cache[old, new]

    return get


def keys_of(changes, kind=None, prefix=""):
    return {c.key for c in changes if (kind is None or c.kind == kind) and c.key.startswith(prefix)}


# -- (1) an object that becomes a union is the same thing -------------------------------------------

def test_fixture_object_that_becomes_a_union_keeps_its_fields(fixture_diff):
    before, after, changes = fixture_diff
    name = "POST /chat request tools[]<function>.function.name"
    assert before.elements[name].key == after.elements[name].key == name
    assert not [k for k in changes if k[1] == "removed" and "tools[]" in k[0]]
    # the change is "became a union: variant custom added", not breaking on the request side
    assert changes["POST /chat request tools[]<custom>", "added", None].rule == "request-variant-added"
    assert changes["POST /chat request tools[].type=custom", "added", None].breaking is False
    assert changes["POST /chat request tools[]", "changed", "discriminator"].breaking is False
    # on the response side a new variant is a warning for clients, not a removal
    assert changes["POST /chat response.200 tool_calls[]<custom>", "added", None].level == "warning"


def test_real_chat_tools_2024_10_21_to_v1(real_diff):
    changes = real_diff("2024-10-21", "v1")
    for prefix in ("POST /chat/completions request tools[]",
                   "POST /chat/completions request messages[]<assistant>.tool_calls[]",
                   "POST /chat/completions response.200 choices[].message.tool_calls[]"):
        assert not keys_of(changes, "removed", prefix), prefix
    added = keys_of(changes, "added")
    assert {"POST /chat/completions request tools[]<custom>",
            "POST /chat/completions request tools[].type=custom"} <= added
    assert not [c for c in changes if c.breaking and c.key.startswith("POST /chat/completions request tools[]")]


def test_real_eval_content_parts_at_v1_2026_01_22_keep_their_fields(real_diff):
    changes = real_diff("v1@2025-12-15", "v1@2026-01-22")
    content = "POST /evals/{eval_id} response.200 testing_criteria[]<score_model>.input[]<message>.content"
    assert not keys_of(changes, "removed", content)
    # the real neighbour: content[] items were "anything" and are now described (a narrowing: not breaking)
    assert content + "[]<input_text>.text" in keys_of(changes, "added")
    assert not [c for c in changes if c.breaking and c.key.startswith(content)]


def test_has_and_history_answer_for_the_unlabelled_spelling(surface):
    versions = ["2024-10-21", "v1@2025-11-07", "v1@2025-12-15", "v1"]
    store = MemoryStore(build_index({"versions": [(v, surface(v)) for v in versions]}))
    identities = find(store, "POST /chat/completions request tools[].function.name")
    assert identities == ["POST /chat/completions request tools[]<function>.function.name"]
    seen = presence(store, identities[0])
    assert seen["versions"] == versions and not seen["gaps"]
    assert [e["event"] for e in history(store, identities[0])["events"]] == ["added"]
    assert find(store, "POST /chat/completions request tools[]<custom>.custom.name")


# -- (2) OpenAPI 3.2 streams ------------------------------------------------------------------------

def test_fixture_stream_item_schema_gives_the_payload_keys(fixture_diff):
    before, after, changes = fixture_diff
    delta = "POST /chat response.200 <response.output_text.delta>.delta"
    assert delta in before.elements and delta in after.elements
    assert not [k for k in changes if k[1] == "removed" and "<response." in k[0]]
    # the real change beside it is found, and the SSE envelope is not a field
    assert ("POST /chat response.200 <response.output_text.delta>.logprobs", "added", None) in changes
    assert not [k for k in after.elements if k.endswith((" event", ".data", " data"))]


def test_real_responses_stream_at_v1_2026_01_22(real_diff, surface, upstream):
    key = "POST /responses response.200 <response.output_text.delta>.delta"
    assert key in surface("v1@2026-01-22").elements and key in surface("v1").elements
    removed = keys_of(real_diff("v1@2025-12-15", "v1@2026-01-22"), "removed", DELTA_EVENT)
    assert not removed
    # checked against the raw upstream file: the event still carries `delta`, through contentSchema
    raw = json.loads(next((upstream / "revisions/specification/ai/data-plane/OpenAI.v1").glob(
        "azure-v1-v1-generated@2026-01-22_*.json")).read_text())
    responses = raw["paths"]["/responses"]["post"]["responses"]
    stream = responses["200"]["content"]["text/event-stream"]["itemSchema"]["oneOf"]
    [event] = [e for e in stream if e["properties"].get("event", {}).get("const") == "response.output_text.delta"]
    name = event["properties"]["data"]["contentSchema"]["$ref"].rsplit("/", 1)[1]
    assert "delta" in raw["components"]["schemas"][name]["properties"]


def test_real_stream_events_of_2025_04_01_preview_survive_in_v1_preview(real_diff):
    removed = keys_of(real_diff("2025-04-01-preview", "v1-preview"), "removed", DELTA_EVENT)
    assert not removed


# -- (3) allOf narrows ------------------------------------------------------------------------------

def test_fixture_all_of_intersects(fixture_diff):
    _before, after, changes = fixture_diff
    assert not [k for k in changes if k[0].startswith("POST /assistants request tools[]")]
    assert after.elements["POST /assistants request tools[].type"].attrs["required"] is True
    assert after.elements["POST /assistants request name"].attrs == {"type": "string", "maxLength": 256,
                                                                     "required": True}
    temperature = after.elements["POST /assistants request temperature"].attrs
    assert temperature["type"] == "integer" and temperature["minimum"] == 1
    # the one real change: the tighter minimum
    assistants = [k for k in changes if k[0].startswith("POST /assistants")]
    assert assistants == [("POST /assistants request temperature", "changed", "minimum")]


def test_real_assistant_attachment_tools(real_diff, surface):
    tools = "POST /threads/{thread_id}/messages response.200 attachments[].tools[]"
    v1 = {e.key for e in surface("v1-preview").elements.values()}
    assert tools + "=function" not in v1
    assert tools + "<code_interpreter>" in v1 and tools + "<file_search>" in v1
    changes = real_diff("2025-04-01-preview", "v1-preview")
    assert not [c for c in changes if "attachments[].tools[]" in c.key]


# -- (4) verdicts that follow the direction rule ----------------------------------------------------

def test_fixture_direction_rule(fixture_diff):
    _before, _after, changes = fixture_diff
    assert changes["POST /chat request response_format", "changed", "discriminator"].breaking is False
    assert changes["POST /chat query order", "changed", "type"].rule == "request-parameter-type-declared"


def test_real_verdicts(real_diff):
    [discriminator] = [c for c in real_diff("2024-06-01", "2024-10-21")
                       if c.key == "POST /chat/completions request response_format" and c.attribute == "discriminator"]
    assert not discriminator.breaking
    [order] = [c for c in real_diff("2025-03-01-preview", "2025-04-01-preview")
               if c.key == "GET /chat/completions query order" and c.attribute == "type"]
    assert not order.breaking


# -- (5) one operation, one identity, one notion of "changed" ---------------------------------------

def test_fixture_renamed_path_parameter_never_splits_the_operation(fixture_diff):
    _before, _after, changes = fixture_diff
    models = [c for c in changes.values() if "/models/" in c.key]
    assert {c.operation for c in models} == {"GET /models/{model}"}
    assert ("GET /models/{model} response.200 owned_by", "removed", None) in changes  # the real removal stays


def test_real_models_operation_is_one_operation(real_diff):
    changes = real_diff("2024-10-21", "v1")
    assert {c.operation for c in changes if c.operation.startswith("GET /models/{")} == {"GET /models/{model}"}
    assert "GET /models/{model} response.200 capabilities" in keys_of(changes, "removed")  # real: v1's Model has none


def test_history_and_diff_share_one_notion_of_an_attribute_change(surface):
    versions = ["2024-10-21", "v1"]
    store = MemoryStore(build_index({"versions": [(v, surface(v)) for v in versions]}))
    [identity] = find(store, "GET /batches/{batch_id}")
    events = history(store, identity)["events"]
    reported = {c["attribute"] for e in events for c in e.get("changes", [])}
    assert "path_parameters" not in reported and "document" not in reported
    old, new = surface("2024-10-21").elements[identity], surface("v1").elements[identity]
    assert reported == {a for a, _, _ in attribute_changes("operation", old.attrs, new.attrs)}
    diffed = diff_surfaces(surface("2024-10-21"), surface("v1")).changes
    assert reported == {c.attribute for c in diffed if c.identity == identity}


def test_index_spells_every_element_with_its_operations_newest_key(surface):
    store = MemoryStore(build_index({"versions": [(v, surface(v)) for v in ("2024-10-21", "v1")]}))
    [identity] = find(store, "GET /models/{model} response.200 capabilities")  # present in 2024-10-21 only
    assert store.entry(identity)["key"] == "GET /models/{model} response.200 capabilities"
    assert store.entry(identity)["operation"] == "GET /models/{model}"


def test_swagger_subtypes_narrow_their_base_tag_to_their_own_value(tmp_path):
    """A oneOf of Swagger subtypes (x-ms-discriminator-value, allOf a discriminated base) without a
    discriminator of its own: each subtype holds only its own tag value (allOf narrows), so the union
    is labelled, and the base's other values are not values of this union."""
    spec = {
        "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
        "paths": {"/search": {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {"source": {"oneOf": [{"$ref": "#/components/schemas/Endpoint"},
                                                                  {"$ref": "#/components/schemas/Deployment"}]}}}}}},
            "responses": {"200": {"description": "OK"}}}}},
        "components": {"schemas": {
            "Source": {"type": "object", "required": ["type"], "discriminator": {"propertyName": "type"},
                       "properties": {"type": {"type": "string",
                                               "enum": ["endpoint", "deployment_name", "integrated"]}}},
            "Endpoint": {"allOf": [{"$ref": "#/components/schemas/Source"},
                                   {"properties": {"endpoint": {"type": "string"}}}],
                         "x-ms-discriminator-value": "endpoint"},
            "Deployment": {"allOf": [{"$ref": "#/components/schemas/Source"},
                                     {"properties": {"deployment_name": {"type": "string"}}}],
                           "x-ms-discriminator-value": "deployment_name"}}},
    }
    path = tmp_path / "subtypes.json"
    path.write_text(json.dumps(spec))
    keys = {e.key for e in surface_of(snapshot_from_file(path)).elements.values()}
    assert {"POST /search request source<endpoint>.endpoint",
            "POST /search request source<deployment_name>.deployment_name",
            "POST /search request source.type=endpoint", "POST /search request source.type=deployment_name"} <= keys
    assert "POST /search request source.type=integrated" not in keys


def test_real_terminal_stream_events_are_named_by_their_base(surface):
    """v1's itemSchema lists 20 terminal events without a schema; their base's mapping names exactly
    20 other payloads, so `<response.completed>` is still an event of the stream."""
    keys = {e.key for e in surface("v1").elements.values()}
    assert "POST /responses response.200 <response.completed>.response.id" in keys
    assert "POST /responses response.200 <response.output_text.done>.text" in keys
    # the whole stream fits the walker's budgets: nothing real is cut short
    assert not [e.key for e in surface("v1").elements.values() if e.attrs.get("truncated")]


def test_an_all_of_that_no_value_can_satisfy_is_read_as_the_union_it_means(tmp_path):
    """2025-04-01-preview writes some unions as allOf (a string and tagged objects; graders with
    different `type` values). Nothing satisfies such an allOf, so it is read as oneOf."""
    def part(tag: str) -> dict:
        return {"type": "object", "required": ["type"],
                "properties": {"type": {"enum": [tag]}, "text": {"type": "string"}}}

    content = {"allOf": [{"type": "string"}, part("input_text"), part("output_text")]}
    spec = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/evals": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"content": content}}}}},
                "responses": {"200": {"description": "OK"}}}}}}
    path = tmp_path / "exclusive.json"
    path.write_text(json.dumps(spec))
    elements = {e.key: e for e in surface_of(snapshot_from_file(path)).elements.values()}
    assert {"POST /evals request content<input_text>.text",
            "POST /evals request content<output_text>.text"} <= set(elements)
    assert elements["POST /evals request content"].attrs["type"] == ["object", "string"]


def test_real_eval_graders_of_2025_04_01_preview_are_variants(surface):
    keys = {e.key for e in surface("2025-04-01-preview").elements.values()}
    assert "GET /evals response.200 data[].testing_criteria[]<text_similarity>.evaluation_metric" in keys
    assert "GET /evals response.200 data[].testing_criteria[].evaluation_metric" not in keys


# -- an enum list lifted is not a value taken away ---------------------------------------------------

def _spec_with_purpose(purpose: dict) -> dict:
    return {"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/files": {"get": {
                "parameters": [{"name": "purpose", "in": "query", "schema": purpose}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"object": purpose}}}}}}}}}}


def test_an_enum_list_lifted_accepts_every_value_still(tmp_path):
    """A string that listed its values and now lists none accepts them all: not a removal that
    breaks a client. On the response side clients may meet other values (a warning). A value taken
    out of a list that remains is still a breaking removal."""
    surfaces = {}
    for name, purpose in (("listed", {"type": "string", "enum": ["batch", "fine-tune"]}), ("plain", {"type": "string"}),
                          ("fewer", {"type": "string", "enum": ["batch"]})):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(_spec_with_purpose(purpose)))
        surfaces[name] = surface_of(snapshot_from_file(path), name)
    lifted = {c.key: c for c in diff_surfaces(surfaces["listed"], surfaces["plain"]).changes}
    request, response = lifted["GET /files query purpose=batch"], lifted["GET /files response.200 object=batch"]
    assert (request.rule, request.breaking, request.level) == ("request-enum-value-unlisted", False, "info")
    assert (response.rule, response.breaking, response.level) == ("response-enum-value-unlisted", False, "warning")
    narrowed = {c.key: c for c in diff_surfaces(surfaces["listed"], surfaces["fewer"]).changes}
    gone = narrowed["GET /files query purpose=fine-tune"]
    assert (gone.rule, gone.breaking) == ("request-enum-value-removed", True)


def test_real_files_purpose_filter_in_v1_is_a_plain_string(real_diff, upstream):
    """v1's GET /files `purpose` query parameter is `{"type": "string"}` upstream: 2024-10-21's six
    listed values are accepted still. POST /files `purpose` keeps a list, without two values: those
    two removals stay breaking."""
    v1_file = upstream / "azure-rest-api-specs/specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.json"
    v1 = json.loads(v1_file.read_text())
    purpose = next(p for p in v1["paths"]["/files"]["get"]["parameters"] if p["name"] == "purpose")
    assert purpose["schema"] == {"type": "string"}
    changes = {c.key: c for c in real_diff("2024-10-21", "v1")}
    filters = [c for key, c in changes.items() if key.startswith("GET /files query purpose=")]
    assert len(filters) == 6 and all(c.rule == "request-enum-value-unlisted" and not c.breaking for c in filters)
    assert changes["POST /files request purpose=fine-tune-results"].rule == "request-enum-value-removed"
    assert changes["POST /files request purpose=fine-tune-results"].breaking
