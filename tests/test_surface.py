"""The element model: keys at any depth, through every composition construct, stable across formats."""

import pytest

from aoai_changelog.store.snapshots import snapshot_from_file
from aoai_changelog.surface import surface_of
from aoai_changelog.surface.keys import display_path, shape_path, strip_deployment
from conftest import FIXTURES

SPECS = FIXTURES / "specs"


@pytest.fixture(scope="module")
def swagger():
    return surface_of(snapshot_from_file(SPECS / "swagger2_api.json"))


@pytest.fixture(scope="module")
def openapi31():
    return surface_of(snapshot_from_file(SPECS / "openapi31_api.yaml"))


def keys(surface):
    return {e.key for e in surface.elements.values()}


def test_operation_identity_ignores_deployment_prefix_and_parameter_spelling():
    assert strip_deployment("/deployments/{deployment-id}/chat/completions") == ("/chat/completions", True)
    assert strip_deployment("/chat/completions") == ("/chat/completions", False)
    assert display_path("/batches/{batch-id}") == "/batches/{batch_id}"
    assert shape_path("/batches/{batch-id}") == shape_path("/batches/{batch_id}") == "/batches/{}"


def test_swagger2_and_openapi31_spellings_of_one_api_give_the_same_elements(swagger, openapi31):
    """Same API, two formats, different component names, prefix and path parameter spelling."""
    assert set(swagger.elements) == set(openapi31.elements)
    assert keys(swagger) == keys(openapi31)
    for identity, element in swagger.elements.items():
        other = openapi31.elements[identity]
        if element.kind != "operation":
            assert element.attrs == other.attrs, element.key


def test_renamed_path_parameter_and_prefix_are_attributes(swagger, openapi31):
    old = swagger.elements["GET /batches/{}"]
    new = openapi31.elements["GET /batches/{}"]
    assert old.key == new.key == "GET /batches/{batch_id}"
    assert old.attrs["path"] == "/batches/{batch-id}" and new.attrs["path"] == "/batches/{batch_id}"
    widgets = swagger.elements["POST /widgets"]
    assert widgets.attrs["deployment_prefix"] is True
    assert widgets.attrs["path"] == "/deployments/{deployment-id}/widgets"
    # the deployment parameter is part of the operation's path, not an element of its own
    assert not any(" path " in k for k in keys(swagger) if k.startswith("POST /widgets"))


def test_fields_enums_limits_and_nullability(swagger):
    elements = {e.key: e for e in swagger.elements.values()}
    size = elements["POST /widgets request size"]
    assert size.attrs == {"type": "integer", "format": "int32", "nullable": True, "default": 3,
                          "minimum": 1, "maximum": 10, "required": False}
    assert elements["POST /widgets request name"].attrs["required"] is True
    assert elements["POST /widgets request name"].attrs["maxLength"] == 64
    assert "POST /widgets request tags[]=red" in elements
    assert "POST /files request purpose=batch" in elements
    assert elements["POST /files request file"].attrs["format"] == "binary"
    assert elements["POST /files response.201.header Location"].attrs["format"] == "url"
    assert elements["POST /widgets response.200 id"].attrs["readOnly"] is True
    # A property that happens to be called `description` is a fact, not prose.
    assert "POST /widgets response.200 description" in elements


def test_swagger_subtypes_are_variants_labelled_by_discriminator_value(swagger):
    k = keys(swagger)
    assert "POST /widgets request shape<circle>.radius" in k
    assert "POST /widgets request shape<square>.side" in k
    assert "POST /widgets request shape.kind" in k


def test_recursive_schemas_end_in_a_marked_cycle(swagger):
    elements = {e.key: e for e in swagger.elements.values()}
    assert elements["POST /widgets response.200 parent"].attrs.get("recursive") is True
    assert elements["POST /widgets response.200 children[]"].attrs.get("recursive") is True
    assert not any(k.startswith("POST /widgets response.200 parent.") for k in elements)


def test_the_view_cache_keeps_a_bounded_weight_whatever_the_references():
    """view_of caches by the identity of the schemas folded: distinct `$ref`s to one big schema are
    distinct keys. Past its weight budget the cache keeps no more (a 0.9 MB file with 300 such
    references to a 30,000-property schema kept 1.2 GB); the answers stay the same."""
    from aoai_changelog.surface.schemaview import _VIEW_CACHE_WEIGHT, Flattener

    flattener = Flattener({"Big": {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(2000)}}})
    for _ in range(200):
        assert len(flattener.view_of([{"$ref": "#/components/schemas/Big"}]).props) == 2000
    assert flattener._cached_weight <= _VIEW_CACHE_WEIGHT
    assert len(flattener._views) < 60
    one = {"$ref": "#/components/schemas/Big"}
    assert flattener.view_of([one]) is not flattener.view_of([one])  # past the budget: folded afresh


# -- the real specifications ---------------------------------------------------------------------

@pytest.mark.parametrize("version, key", [
    ("2024-09-01-preview", "POST /chat/completions request max_completion_tokens"),
    ("2024-09-01-preview", "POST /chat/completions request stream_options.include_usage"),
    ("2024-09-01-preview", "POST /chat/completions response.200 usage.completion_tokens_details.reasoning_tokens"),
    ("2024-09-01-preview", "POST /chat/completions request parallel_tool_calls"),
    ("2024-12-01-preview", "POST /chat/completions request store"),
    ("2024-12-01-preview", "POST /chat/completions request reasoning_effort"),
    ("2024-06-01", "POST /chat/completions request data_sources[]<azure_search>.parameters.role_information"),
    ("2024-06-01", "POST /chat/completions request messages[]<system>.content"),
    ("2024-10-21", "POST /audio/transcriptions query api-version"),
    ("2024-10-21", "GET /batches/{batch_id} path batch_id"),
    ("v1", "POST /chat/completions request max_completion_tokens"),
    ("v1", "POST /chat/completions request stream_options.include_usage"),
    ("v1", "POST /chat/completions response.200 usage.completion_tokens_details.reasoning_tokens"),
    ("2025-04-01-preview", "POST /audio/speech request response_format=wav"),
    ("v1-preview", "POST /audio/speech request response_format=wav"),
    ("v1", "GET /batches/{batch_id} path batch_id"),
])
def test_real_specs_have_the_documented_elements(surface, version, key):
    assert key in keys(surface(version))


def test_real_specs_absent_elements_are_absent(surface):
    assert "POST /chat/completions request max_completion_tokens" not in keys(surface("2024-08-01-preview"))
    assert "POST /chat/completions request store" not in keys(surface("2024-10-21"))


def test_chat_completions_is_one_operation_in_dated_versions_and_v1(surface):
    dated = surface("2024-10-21").elements["POST /chat/completions"]
    v1 = surface("v1").elements["POST /chat/completions"]
    assert dated.attrs["path"] == "/deployments/{deployment-id}/chat/completions"
    assert dated.attrs["deployment_prefix"] is True
    assert v1.attrs["path"] == "/chat/completions" and "deployment_prefix" not in v1.attrs
    assert v1.attrs["server"] == "{endpoint}/openai/v1"


def test_batch_operation_survives_the_path_parameter_rename(surface):
    """`{batch-id}` (2024-10-21, Swagger 2.0) and `{batch_id}` (v1, OpenAPI 3.2) are one operation."""
    old, new = surface("2024-10-21").elements["GET /batches/{}"], surface("v1").elements["GET /batches/{}"]
    assert old.key == new.key == "GET /batches/{batch_id}"
    assert (old.attrs["path_parameters"], new.attrs["path_parameters"]) == (["batch-id"], ["batch_id"])


def test_every_version_has_operations_and_no_runaway_recursion(surface, catalog):
    for version in catalog.ids():
        s = surface(version)
        assert len(s.operations()) >= 20, version
        assert len(s) < 100_000, version
        assert all(e.key.count(".") < 45 for e in s.elements.values())
