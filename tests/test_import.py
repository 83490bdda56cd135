"""The importer on the real upstream files: facts only, reproducible, sha256-checked."""

import json
import re
import shutil

import pytest

from aoai_changelog.store.catalog import catalog_from_manifest, load_catalog
from aoai_changelog.store.project import Project
from aoai_changelog.upstream.importer import import_versions
from conftest import ROOT, make_project, run_cli

PROSE = ("description", "summary", "title", "example", "examples", "externalDocs", "x-ms-examples")


def _prose_keys(node, path="", inside_properties=False):
    """Prose keywords anywhere, except as property names inside a `properties` map (those are facts)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PROSE and not inside_properties and not (key == "title" and path == "/info"):
                found.append(f"{path}/{key}")
            found += _prose_keys(value, f"{path}/{key}", key in ("properties", "mapping"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _prose_keys(value, f"{path}/{i}")
    return found


def test_catalog_lists_all_17_versions_in_order_with_verified_sources(catalog):
    assert catalog.ids() == [
        "2024-02-01", "2024-03-01-preview", "2024-04-01-preview", "2024-05-01-preview", "2024-06-01",
        "2024-07-01-preview", "2024-08-01-preview", "2024-09-01-preview", "2024-10-01-preview", "2024-10-21",
        "2024-12-01-preview", "2025-01-01-preview", "2025-02-01-preview", "2025-03-01-preview",
        "2025-04-01-preview", "v1-preview", "v1",
    ]
    assert catalog.ga_line() == ["2024-02-01", "2024-06-01", "2024-10-21", "v1"]
    for version in catalog.versions:
        expected = ["v1"] if version.id.startswith("v1") else ["inference", "authoring"]
        assert [d.document for d in version.documents] == expected
        assert version.status == "verified", version.id


def test_committed_catalog_matches_the_upstream_manifest(upstream, catalog):
    data = catalog_from_manifest(upstream)
    for entry, version in zip(data["versions"], catalog.versions):
        assert [d["sha256"] for d in entry["documents"]] == [d.sha256 for d in version.documents]


def test_the_committed_catalog_twin_reads_as_the_yaml_in_its_key_order(tmp_path, monkeypatch):
    """A fresh clone's first query takes the catalog from changelog/catalog.json (no YAML parsed),
    and sync writes the versions it does not touch back as read: the twin must keep the YAML's key
    order, or that sync would rewrite every entry of specs/catalog.yaml with its keys sorted."""
    from aoai_changelog.store import catalog as catalog_module

    (tmp_path / "specs").mkdir()
    (tmp_path / "changelog").mkdir()
    shutil.copy2(ROOT / "specs" / "catalog.yaml", tmp_path / "specs" / "catalog.yaml")
    shutil.copy2(ROOT / "changelog" / "catalog.json", tmp_path / "changelog" / "catalog.json")

    def no_yaml(path):
        raise AssertionError(f"parsed {path}: the twin should have answered")

    monkeypatch.setattr(catalog_module, "read_structured", no_yaml)
    data = catalog_module._read_catalog(tmp_path / "specs" / "catalog.yaml")
    assert catalog_module.catalog_text(data) == (ROOT / "specs" / "catalog.yaml").read_text(encoding="utf-8")


def test_every_committed_snapshot_is_facts_only(project, catalog):
    files = [project.snapshot_file(v) for v in catalog.ids()] + sorted(project.revisions_dir.glob("*.json"))
    for version in files:
        snapshot = json.loads(version.read_text())
        assert _prose_keys(snapshot) == [], version
        assert snapshot["openapi"] == "3.1.0"


def test_reimport_reproduces_specs_byte_for_byte(upstream, tmp_path):
    project = Project(make_project(tmp_path))
    catalog = load_catalog(project.catalog_file, project.schema_dir)
    import_versions(project, catalog, upstream, None)
    for version in catalog.ids():
        assert project.snapshot_file(version).read_bytes() == (ROOT / "specs" / f"{version}.json").read_bytes(), version
    written = sorted(p.name for p in project.revisions_dir.glob("*.json"))
    assert written == sorted(p.name for p in (ROOT / "specs" / "revisions").glob("*.json")) and len(written) >= 30
    for name in written:
        assert (project.revisions_dir / name).read_bytes() == (ROOT / "specs" / "revisions" / name).read_bytes(), name


def test_sha256_mismatch_is_an_error_and_leaves_specs_untouched(upstream, tmp_path):
    root = make_project(tmp_path)
    catalog_file = root / "specs" / "catalog.yaml"
    text = catalog_file.read_text()
    good = load_catalog(catalog_file, root / "schema").get("2024-10-21").documents[0].sha256
    catalog_file.write_text(text.replace(good, "a" * 64))
    (root / "specs" / "2024-02-01.json").write_text("previous\n")
    result = run_cli("--root", str(root), "import", "--from", str(upstream), check_rc=2)
    assert "sha256 mismatch" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # Nothing was written, not even the versions that imported fine before the failure.
    assert (root / "specs" / "2024-02-01.json").read_text() == "previous\n"


def test_missing_upstream_file_is_an_error(upstream, tmp_path):
    root = make_project(tmp_path)
    fake = tmp_path / "upstream"
    fake.mkdir()
    shutil.copy(upstream / "MANIFEST.yaml", fake / "MANIFEST.yaml")
    result = run_cli("--root", str(root), "import", "--from", str(fake), "--in", "v1", check_rc=2)
    assert "v1 document not found" in result.stderr


def test_swagger_body_and_form_parameters_become_request_bodies(project):
    snapshot = json.loads(project.snapshot_file("2024-10-21").read_text())
    upload = snapshot["paths"]["/files"]["post"]
    schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(schema["properties"]) >= {"file", "purpose"}
    assert schema["properties"]["file"] == {"format": "binary", "type": "string"}
    assert upload["x-aoai-document"] == "authoring"
    create = snapshot["paths"]["/batches"]["post"]
    assert "application/json" in create["requestBody"]["content"]
    assert not any(p["in"] == "body" for p in create["parameters"])


def test_colliding_component_names_are_kept_apart(project):
    """2025-04-01-preview: inference and authoring both define `Tool` and `InputMessage`, differently."""
    schemas = json.loads(project.snapshot_file("2025-04-01-preview").read_text())["components"]["schemas"]
    assert "Tool" in schemas and "authoring.Tool" in schemas
    assert schemas["Tool"] != schemas["authoring.Tool"]


def test_the_snapshot_check_still_refuses_prose_deep_in_a_schema_it_has_seen_valid(project):
    """The check remembers sub-schemas found valid (an import re-checks the same ones in every
    version): a property schema that changed is checked again, not taken from that memory."""
    from aoai_changelog.errors import UserError
    from aoai_changelog.upstream.importer import validate_snapshot

    snapshot = json.loads(project.snapshot_file("v1").read_text())
    validate_snapshot(snapshot, project.schema_dir, "v1")
    name, component = next((n, c) for n, c in sorted(snapshot["components"]["schemas"].items()) if c.get("properties"))
    field = sorted(component["properties"])[0]
    component["properties"][field] = {**component["properties"][field], "description": "prose"}
    with pytest.raises(UserError, match=f"at components/schemas/{re.escape(name)}: .*'description': 'prose'"):
        validate_snapshot(snapshot, project.schema_dir, "v1")
