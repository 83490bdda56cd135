"""The bad-input corpus: every case gives one clear line on stderr, exit code 2, no traceback, and
leaves existing outputs untouched. Plus inputs that must not break or hang us."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, UPSTREAM, make_project, run_cli, run_main, small_project

BAD = FIXTURES / "bad"
GOOD = FIXTURES / "specs" / "openapi31_api.yaml"


def assert_one_line_error(result, *needles):
    assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr[-1500:])
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("aoai-changelog: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize("name, needles", [
    ("malformed.json", ["malformed JSON at line 1"]),
    ("binary.json", ["not UTF-8 text"]),
    ("refused.yaml", ["YAML that cannot be loaded", "second occurrence"]),
    ("not_openapi.json", ["neither an OpenAPI 3.x nor a Swagger 2.0 document"]),
    ("not_a_mapping.yaml", ["neither an OpenAPI 3.x nor a Swagger 2.0 document"]),
    ("bad_path_item.yaml", ["/paths/~1a: expected a mapping, found a list"]),
    ("dangling_ref.json", ["dangling $ref '#/components/schemas/Missing'", "nothing at that JSON pointer"]),
    ("outside_ref.json", ["outside the input tree"]),
    ("parameter_cycle.json", ["circular reference"]),
])
def test_bad_spec_files(name, needles):
    assert_one_line_error(run_cli("diff", str(BAD / name), str(GOOD)), *needles)
    assert_one_line_error(run_main("show", str(BAD / name)), *needles)  # the same refusal, in this process


def test_yaml_that_pyyaml_refuses_from_the_real_upstream_history():
    """Historical upstream revisions with duplicate anchors (fixed upstream later by 'Fix yml cannot load
    into pyyaml problem')."""
    path = (UPSTREAM / "revisions/specification/cognitiveservices/data-plane/AzureOpenAI/inference/preview"
            / "2024-05-01-preview/inference@2024-05-14_da326fe4c9.yaml")
    if not path.exists():
        pytest.skip(f"real upstream revision absent: {path}")
    assert_one_line_error(run_cli("show", str(path)), "YAML that cannot be loaded at line 4489", "second occurrence")


def test_circular_references_through_allof_items_and_additional_properties_end_in_marked_cycles():
    result = run_cli("show", str(BAD / "circular.yaml"), "--json", check_rc=0)
    elements = {e["key"]: e for e in json.loads(result.stdout)["elements"]}
    assert elements["POST /nodes request children[]"]["attrs"].get("recursive") is True
    assert elements["POST /nodes request by_name{}"]["attrs"].get("recursive") is True
    kind = elements["POST /nodes request kind"]["attrs"]
    assert kind["nullable"] is True and kind["enum"] == ["node"]  # 3.1 type list with null, and const
    assert "POST /nodes request kind=node" in elements
    same = run_main("diff", str(BAD / "circular.yaml"), str(BAD / "circular.yaml"), "--format", "json", check_rc=0)
    assert json.loads(same.stdout)["changes"] == []


def test_unknown_versions_and_revisions():
    assert_one_line_error(run_cli("diff", "2023-01-01", "v1"), "unknown version '2023-01-01'")
    assert_one_line_error(run_main("show", "v1@1999-01-01"), "unknown revision 'v1@1999-01-01'")
    assert_one_line_error(run_main("has", "store", "--in", "v7"), "unknown version 'v7'")
    assert_one_line_error(run_main("revisions", "nope"), "unknown version 'nope'")


def test_same_version_on_both_sides_is_an_empty_diff_not_an_error():
    data = json.loads(run_cli("diff", "2024-10-21", "2024-10-21", "--format", "json", check_rc=0).stdout)
    assert data["changes"] == [] and data["summary"]["total"] == 0


def test_catalog_entry_without_files(upstream, tmp_path):
    root = make_project(tmp_path)
    catalog = root / "specs" / "catalog.yaml"
    import yaml

    data = yaml.safe_load(catalog.read_text())
    doc = data["versions"][0]["documents"][1]
    doc.update(file=None, sha256=None, upstream_commit=None, status="missing", note="no source")
    catalog.write_text(yaml.safe_dump(data, sort_keys=False))
    assert_one_line_error(run_cli("--root", str(root), "import", "--from", str(upstream), "--in", "2024-02-01"),
                          "2024-02-01: the catalog has no source file for its authoring document (status: missing)")
    versions = run_main("--root", str(root), "versions", "--json")
    assert "incomplete: authoring missing" in versions.stdout


def test_malformed_catalog_and_missing_project(tmp_path):
    root = make_project(tmp_path)
    (root / "specs" / "catalog.yaml").write_text("versions: 3\n")
    assert_one_line_error(run_cli("--root", str(root), "versions"), "not a catalog")
    assert_one_line_error(run_main("--root", str(tmp_path / "nowhere"), "versions"), "not an aoai-changelog project")


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _as_nobody():
    """Root writes anywhere: run the command as an unprivileged user so a read-only folder is one."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder read-only for the command")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import aoai_changelog"], capture_output=True, cwd="/")
    if probe.returncode != 0:
        pytest.skip("the unprivileged user cannot run this checkout's Python (its folders are private to root)")
    return prefix


def test_read_only_output_folder_is_a_clear_error_and_nothing_changes():
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="aoai-readonly-"))  # /tmp itself: reachable by the unprivileged user
    os.chmod(tmp_path, 0o755)
    root = small_project(tmp_path / "project")
    snapshot = root / "specs" / "2024-04-01-preview.json"
    # Change the input so that the build has something new to write.
    data = json.loads(snapshot.read_text())
    data["paths"].pop("/assistants")
    snapshot.write_text(json.dumps(data))
    before = _tree_digest(root / "changelog")
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        os.chmod(folder, 0o555)
    for path in root.rglob("*"):
        if path.is_file():
            os.chmod(path, 0o444)
    try:
        env = dict(os.environ, HOME=str(tmp_path))
        result = subprocess.run([*_as_nobody(), sys.executable, "-m", "aoai_changelog", "--root", str(root),
                                 "build", "--no-site"],
                                capture_output=True, text=True, env=env, cwd=tmp_path)
    finally:
        for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
            os.chmod(folder, 0o755)
    try:
        assert_one_line_error(result, "cannot write")
        assert _tree_digest(root / "changelog") == before
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_very_large_synthetic_spec_finishes_in_bounded_memory(tmp_path):
    """4,000 schemas whose properties fan out to shared sub-schemas (a DAG with exponential paths).

    Each schema refers to three others (cycles included), so every body has more paths than any
    memory holds whatever the count: only the walk's budgets bound it (40,000 elements per body,
    120,000 per document, both spent here). 4,000 schemas (880 KB, five times the largest real
    document's 852) cost a third of 20,000's time; the load, linear in the size, is not the subject."""
    count = 4_000
    schemas = {}
    for i in range(count):
        props = {"name": {"type": "string"}, "size": {"type": "integer", "enum": [1, 2, 3]}}
        for j in (2 * i + 1, 2 * i + 2):
            if j < count:
                props[f"child{j % 2}"] = {"$ref": f"#/components/schemas/S{j}"}
        props["wide"] = {"$ref": f"#/components/schemas/S{(i * 7919) % count}"}
        schemas[f"S{i}"] = {"type": "object", "properties": props}
    refs = [{"$ref": f"#/components/schemas/S{i}"} for i in range(0, 40)]
    paths = {f"/things{i}": {"post": {"requestBody": {"content": {"application/json": {"schema": refs[i]}}},
                                      "responses": {"200": {"description": "OK"}}}} for i in range(0, 40)}
    spec = tmp_path / "large.json"
    spec.write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "large", "version": "1"}, "paths": paths,
                                "components": {"schemas": schemas}}))
    code = ("import resource, sys\nfrom aoai_changelog.cli import main\n"
            "rc = main(['diff', sys.argv[1], sys.argv[1], '--format', 'json'])\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)\nraise SystemExit(rc)")
    result = subprocess.run([sys.executable, "-c", code, str(spec)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=1200)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["changes"] == []
    *warnings, peak = result.stderr.strip().splitlines()
    assert any("over the budget of 120,000 elements per document" in w for w in warnings), warnings
    assert any("POST /things0 request: over the budget of 40,000 elements per body" in w for w in warnings), warnings
    peak_mb = int(peak)
    assert peak_mb < 3072, f"peak memory {peak_mb} MB"
    print(f"large synthetic spec: peak memory {peak_mb} MB")
    # Where a body's walk stopped, `show` marks it; one operation over the same schemas is enough
    # (the document's budget, three bodies' worth, was spent above).
    one = tmp_path / "large-one-operation.json"
    one.write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "large", "version": "1"},
                               "paths": {"/things0": paths["/things0"]}, "components": {"schemas": schemas}}))
    shown = json.loads(run_cli("show", str(one), "--json", check_rc=0).stdout)
    assert {e["operation"] for e in shown["elements"]} == {"POST /things0"}
    assert any(e["attrs"].get("truncated") for e in shown["elements"])
