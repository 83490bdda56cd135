"""The loader: formats, $ref resolution, and a one-line error for each kind of bad file."""

from pathlib import Path

import pytest

from aoai_changelog.errors import UserError
from aoai_changelog.load import RefResolver, read_document, spec_format
from aoai_changelog.normalize import convert_document
from conftest import FIXTURES

BAD = FIXTURES / "bad"
SPECS = FIXTURES / "specs"


def test_formats_are_recognized():
    assert spec_format({"swagger": "2.0"}) == "swagger-2.0"
    assert spec_format({"openapi": "3.0.3"}) == "openapi-3.0"
    assert spec_format({"openapi": "3.1.0"}) == "openapi-3.1"
    assert spec_format({"openapi": "3.2.0"}) == "openapi-3.2"
    assert spec_format({"hello": "world"}) == ""


@pytest.mark.parametrize("name, message", [
    ("malformed.json", "malformed JSON at line 1"),
    ("refused.yaml", "YAML that cannot be loaded at line"),
    ("not_openapi.json", "neither an OpenAPI 3.x nor a Swagger 2.0 document"),
])
def test_bad_files_give_one_line_errors(name, message):
    with pytest.raises(UserError) as err:
        read_document(BAD / name)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_dangling_ref_is_reported_with_its_json_pointer():
    with pytest.raises(UserError, match=r"dangling \$ref '#/components/schemas/Missing'"):
        convert_document(BAD / "dangling_ref.json", "file")


def test_ref_outside_the_input_tree_is_refused():
    with pytest.raises(UserError, match="outside the input tree"):
        convert_document(BAD / "outside_ref.json", "file", tree=BAD)


def test_cross_file_refs_are_followed_and_recursion_survives():
    part = convert_document(SPECS / "crossfile" / "main.json", "file")
    schema = part["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/common.Thing"}
    thing = part["schemas"]["common.Thing"]
    # nullable (3.0) becomes a 3.1 type list; the recursive reference points back at itself.
    assert thing["type"] == ["object", "null"]
    assert thing["properties"]["next"] == {"$ref": "#/components/schemas/common.Thing"}


def test_resolver_follows_chains(tmp_path: Path):
    doc = {"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}}
    resolver = RefResolver(tmp_path / "x.json", doc)
    value, _ = resolver.resolve_chain(doc["a"])
    assert value == {"type": "string"}


def test_real_upstream_yaml_loads_with_the_c_loader_and_matches_json(upstream):
    """A YAML twin from the same commit says the same as its JSON file (2025-03-01-preview inference)."""
    from aoai_changelog.load import read_structured

    base = (upstream / "azure-rest-api-specs/specification/cognitiveservices/data-plane/AzureOpenAI/inference/preview"
            / "2025-03-01-preview")
    as_yaml = read_structured(base / "inference.yaml")
    as_json = read_structured(base / "inference.json")
    assert sorted(as_yaml["paths"]) == sorted(as_json["paths"])
    assert len(as_yaml["components"]["schemas"]) > 300
