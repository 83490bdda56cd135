"""Crafted and odd input documents (issue #16, parts 2 and 3): bounded resources, and one line with
exit code 2 (never a traceback, never exit 1) for what we cannot read.

The resource tests run the real command under a 1 GB address-space limit (resource.setrlimit in the
child), so an unbounded expansion fails the test instead of the machine."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, run_cli, run_main
from test_bad_input import assert_one_line_error

ODD = FIXTURES / "untrusted" / "odd"
GOOD = FIXTURES / "specs" / "openapi31_api.yaml"
ONE_GB = 1 << 30


def run_limited(*args: str) -> subprocess.CompletedProcess:
    """The command line under a 1 GB memory limit and a CPU-time limit."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ONE_GB, ONE_GB))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    return subprocess.run([sys.executable, "-m", "aoai_changelog", *args], cwd=ROOT, capture_output=True, text=True,
                          preexec_fn=limit)


# -- bounded resources -------------------------------------------------------------------------------

def _alias_bomb(levels: int = 24) -> str:
    lines = ["openapi: 3.0.3", "info: {title: bomb, version: '1'}", "paths: {}", "x-ms-bomb:",
             "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_in_one_line_within_the_memory_limit(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_alias_bomb())
    assert bomb.stat().st_size < 2500  # 2 KB that would stand for 9**24 nodes
    assert_one_line_error(run_limited("diff", str(bomb), str(GOOD)), "YAML aliases expand past 1,000,000 extra nodes")


def test_a_yaml_alias_that_contains_itself_is_refused(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.write_text("openapi: 3.0.3\ninfo: {title: loop, version: '1'}\npaths: {}\nx-loop: &a [1, *a]\n")
    assert_one_line_error(run_cli("show", str(loop)), "a YAML alias contains itself")


def test_an_oversized_document_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "w") as handle:
        handle.write('{"openapi": "3.0.3", "info": {"title": "big", "version": "1"}, "paths": {}, "x-pad": "')
        handle.write("x" * (11 * 2**20))
        handle.write('"}')
    assert_one_line_error(run_limited("diff", str(big), str(GOOD)), "over the 10 MB input limit")


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "spec.json"
    os.mkfifo(fifo)
    assert_one_line_error(run_limited("show", str(fifo)), "not a regular file")


def _fan_out(width: int = 60, levels: int = 8, enum: int = 30) -> dict:
    """One operation whose body is a DAG of shared schemas: width ** levels fields if walked whole."""
    schemas = {}
    for level in range(levels):
        props = {f"p{j}": ({"$ref": f"#/components/schemas/S{level + 1}"} if level + 1 < levels and j % 2 == 0
                           else {"type": "string", "enum": [f"v{k}" for k in range(enum)]}) for j in range(width)}
        schemas[f"S{level}"] = {"type": "object", "properties": props}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}
    return {"openapi": "3.0.3", "info": {"title": "fan-out", "version": "1"}, "components": {"schemas": schemas},
            "paths": {"/a": {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}}}


def test_the_element_budget_bounds_memory_and_output_and_says_what_was_cut(tmp_path):
    from aoai_changelog.surface.walker import MAX_BODY_ELEMENTS

    doc = tmp_path / "fan.json"
    doc.write_text(json.dumps(_fan_out(width=100)))
    result = run_limited("diff", str(GOOD), str(doc), "--format", "json")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    warnings = result.stderr.strip().splitlines()
    assert 1 <= len(warnings) <= 4 and all(w.startswith("aoai-changelog: warning: ") for w in warnings), warnings
    assert f"POST /a request: over the budget of {MAX_BODY_ELEMENTS:,} elements per body" in warnings[0]
    changes = json.loads(result.stdout)["changes"]
    assert MAX_BODY_ELEMENTS * 0.9 < len(changes) < MAX_BODY_ELEMENTS * 1.1  # the budget, not 100**8
    body = next(c for c in changes if c["key"] == "POST /a request")
    truncated = [c for c in changes if (c.get("new") or {}).get("truncated") or "truncated" in json.dumps(c)]
    assert body and truncated


# -- odd documents: one line and exit 2, or a normal answer ------------------------------------------

REFUSED = {
    "big_integer.json": "an integer with more than 4,300 digits",
    "nan.json": "NaN is not a JSON value",
    "infinity.yaml": "/paths/~1a/post/parameters/0/schema/maximum: inf is not a JSON number",
    "binary_value.yaml": "a !!binary value at line 8",
    "lone_surrogate.json": "/paths/~1a/get/operationId: a lone surrogate",
    "content_list.yaml": "/paths/~1a/post/requestBody/content: expected a mapping, found a list",
    "responses_number.yaml": "/paths/~1a/post/responses: expected a mapping, found a number (5)",
    "headers_list.yaml": "/paths/~1a/post/responses/200/headers: expected a mapping, found a list",
    "tags_mapping.yaml": "/paths/~1a/post/tags: expected a list of strings, found a mapping",
    "discriminator_list.yaml": "/schema/discriminator: expected a string or a mapping, found a list",
    "required_string.yaml": "/schema/required: expected a list of strings, found a string ('id')",
    "swagger_base_path.json": "/basePath: expected a string, found a number (5)",
    "swagger_consumes.json": "/consumes: expected a list of strings, found a string",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_odd_documents_are_refused_in_one_line_with_a_json_pointer(name):
    assert_one_line_error(run_cli("diff", str(ODD / name), str(GOOD)), REFUSED[name])
    assert_one_line_error(run_main("show", str(ODD / name)), REFUSED[name])  # the same refusal, in this process


@pytest.mark.parametrize("name, expected", [
    ("date_default.yaml", {"POST /a query since": {"default": "2024-01-01"}}),  # a YAML date stays its text
    ("integer_keys.yaml", {"POST /a request 1": {"type": "string"}, "POST /a request true": {"type": "boolean"},
                           "POST /a response.200": {}}),
    ("null_key.yaml", {"POST /a response.null": {}}),
    ("querystring.yaml", {"GET /a querystring q": {}}),            # OpenAPI 3.2 `in: querystring`
    ("query_method.yaml", {"QUERY /search request q": {"type": "string"}}),  # OpenAPI 3.2 `query` method
])
def test_odd_but_readable_documents_are_read_as_json_would_have_them(name, expected):
    # In this process: the next two tests run `show` on odd documents as real processes.
    elements = {e["key"]: e["attrs"]
                for e in json.loads(run_main("show", str(ODD / name), "--json", check_rc=0).stdout)["elements"]}
    for key, attrs in expected.items():
        assert key in elements, (key, sorted(elements))
        assert attrs.items() <= elements[key].items(), elements[key]


def test_upper_case_methods_are_read_with_a_warning():
    result = run_cli("show", str(ODD / "upper_case_method.yaml"), "--json", check_rc=0)
    keys = {e["key"] for e in json.loads(result.stdout)["elements"]}
    assert {"POST /a", "GET /a"} <= keys
    assert "method 'POST' is not lower-case as OpenAPI requires; read as 'post'" in result.stderr


def test_duplicate_keys_are_warned_about_on_stderr(tmp_path):
    result = run_cli("show", str(ODD / "duplicate_keys.json"), "--json", check_rc=0)
    assert result.stderr.strip() == ("aoai-changelog: warning: " + str(ODD / "duplicate_keys.json")
                                     + ": duplicate key '/a' in /paths (the last one wins)")
    yaml_doc = tmp_path / "dup.yaml"
    yaml_doc.write_text("openapi: 3.0.3\ninfo: {title: d, version: '1'}\npaths:\n  /a:\n    get: {responses: {}}\n"
                        "  /a:\n    post: {responses: {}}\n")
    result = run_main("show", str(yaml_doc), check_rc=0)
    assert "duplicate key '/a' at line 6 column 3 (the last one wins)" in result.stderr


def test_two_files_are_read_at_once_yet_say_their_warnings_and_errors_in_order(tmp_path):
    """`diff OLD NEW` reads NEW in a forked child while it reads OLD: OLD's warnings still come
    first, NEW's once, and an error in either is OLD's first, one line, exit 2."""
    old, new, bad = tmp_path / "old.json", tmp_path / "new.json", tmp_path / "bad.json"
    for path, method in ((old, "get"), (new, "post")):
        path.write_text('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": '
                        '{"/a": {"get": {"responses": {}}}, "/a": {"' + method + '": {"responses": {}}}}}')
    bad.write_text('{"openapi": "3.0.3", "paths": ')
    result = run_cli("diff", str(old), str(new), check_rc=0)  # GET /a removed, POST /a added
    warning = "aoai-changelog: warning: {}: duplicate key '/a' in /paths (the last one wins)"
    assert result.stderr.splitlines() == [warning.format(old), warning.format(new)]
    assert "GET /a" in result.stdout and "POST /a" in result.stdout
    result = run_cli("migrate", str(old), str(new), "--operation", "GET /a", check_rc=0)
    assert result.stderr.splitlines() == [warning.format(old), warning.format(new)]  # each side read once
    # Started with SIGCHLD ignored, the kernel reaps the child: the command does the work itself.
    ignoring = subprocess.run([sys.executable, "-m", "aoai_changelog", "diff", str(old), str(new)], cwd=ROOT,
                              capture_output=True, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN))
    plain = run_cli("diff", str(old), str(new))
    assert (ignoring.returncode, ignoring.stdout, ignoring.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    # The Python API never forks its host (which may reap children itself).
    api = subprocess.run([sys.executable, "-c", "import os, signal, aoai_changelog as ac\n"
                          "signal.signal(signal.SIGCHLD, signal.SIG_IGN)\n"
                          "os.fork = None  # a fork would fail loudly\n"
                          f"print(len(ac.diff({str(old)!r}, {str(new)!r}).changes))"],
                         cwd=ROOT, capture_output=True, text=True)
    assert (api.returncode, api.stdout) == (0, "2\n"), api.stderr
    result = run_cli("diff", str(old), str(bad))
    assert result.returncode == 2 and result.stderr.count("warning") == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].endswith(f"{old}: duplicate key '/a' in /paths (the last one wins)")
    assert str(bad) in result.stderr.splitlines()[1] and len(result.stderr.splitlines()) == 2
    result = run_cli("diff", str(bad), str(new))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and str(bad) in result.stderr


def test_arguments_that_are_not_utf8_are_refused():
    result = subprocess.run([sys.executable, "-m", "aoai_changelog", "has", b"\xff".decode("utf-8", "surrogateescape")],
                            cwd=ROOT, capture_output=True, text=True)
    assert_one_line_error(result, "argument is not UTF-8 text")


def test_a_schema_like_one_checked_before_passes_a_changed_one_is_checked(tmp_path):
    """The structure check skips a component schema or an operation equal to one already checked
    in the process (revisions share most of theirs): the one that changed is still read, and its
    error named."""
    from conftest import make_project

    project = make_project(tmp_path)
    snapshot = {"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/A"}}}}}}}},
        "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                                   "B": {"type": "string"}}}}
    (project / "specs" / "v1.json").write_text(json.dumps(snapshot))
    assert run_main("--root", str(project), "show", "v1").returncode == 0
    snapshot["components"]["schemas"]["B"] = {"type": "string", "enum": 5}
    (project / "specs" / "v1.json").write_text(json.dumps(snapshot))
    assert_one_line_error(run_main("--root", str(project), "show", "v1"), "/components/schemas/B/enum: expected a list")
    snapshot["components"]["schemas"]["B"] = {"type": "string"}
    snapshot["paths"]["/a"]["get"]["parameters"] = [{"name": "q", "in": "query", "required": "yes"}]
    (project / "specs" / "v1.json").write_text(json.dumps(snapshot))
    assert_one_line_error(run_main("--root", str(project), "show", "v1"),
                          "/paths/~1a/get/parameters/0/required: expected a boolean")
    # An extension beside the operations is not one: one spelled like a broken operation does not
    # make that operation pass later.
    snapshot["paths"]["/a"]["get"]["parameters"] = []
    snapshot["paths"]["/a"]["x-ext"] = {"tags": "notalist"}
    (project / "specs" / "v1.json").write_text(json.dumps(snapshot))
    run_main("--root", str(project), "show", "v1")
    snapshot["paths"] = {"/b": {"post": {"tags": "notalist"}}}
    (project / "specs" / "v1.json").write_text(json.dumps(snapshot))
    assert_one_line_error(run_main("--root", str(project), "show", "v1"), "/paths/~1b/post/tags: expected a list")


def test_a_lone_surrogate_in_a_snapshot_is_printed_escaped(tmp_path):
    """JSON allows `"\\ud800"` in a document: a name holding one is printed as that escape (no
    UnicodeEncodeError), and JSON output stays valid."""
    from conftest import make_project

    project = make_project(tmp_path)
    snapshot = {"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
        "schema": {"type": "object", "properties": {"\ud800x": {"type": "string"},
                                                    "y": {"$ref": "#/components/schemas/Y"}}}}}}}}}},
        "components": {"schemas": {"Y": {"type": "object", "properties": {"\udfffz": {"type": "string"}}}}}}
    (project / "specs" / "v1.json").write_text(json.dumps(snapshot))
    result = run_cli("--root", str(project), "show", "v1", "--format", "json")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    keys = [e["key"] for e in json.loads(result.stdout)["elements"]]
    assert any(key.endswith("\ud800x") for key in keys) and any(key.endswith("y.\udfffz") for key in keys)


def test_a_corrupted_snapshot_and_catalog_are_one_line(tmp_path):
    from conftest import make_project

    project = make_project(tmp_path)
    (project / "specs" / "v1.json").write_text('{"openapi": "3.1.0", "paths": {"/a": 5}}')
    result = run_cli("--root", str(project), "show", "v1")
    assert_one_line_error(result, "v1.json")
    (project / "specs" / "v1.json").write_text('{"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": 5}}}}')
    assert_one_line_error(run_main("--root", str(project), "show", "v1"), "v1.json")
    (project / "specs" / "catalog.yaml").write_text("versions: [{id: v1, channel: ga, documents: 5}]\n")
    assert_one_line_error(run_main("--root", str(project), "diff", "v1", "v1"), "catalog")


def test_a_build_writes_a_lone_surrogate_as_its_escape(tmp_path):
    """A name with a lone surrogate (JSON allows one) used to fail `build` with a traceback, in the
    name table and then in writing changelog/. It is written as its JSON escape, which reads back."""
    import yaml

    from conftest import copy_project

    root = copy_project(tmp_path / "project")
    catalog = root / "specs" / "catalog.yaml"
    data = yaml.safe_load(catalog.read_text())
    data["versions"] = data["versions"][:2]
    catalog.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    first = data["versions"][0]["id"]
    snapshot_file = root / "specs" / f"{first}.json"
    snapshot = json.loads(snapshot_file.read_text())
    path = sorted(snapshot["paths"])[0]
    method = sorted(snapshot["paths"][path])[0]
    snapshot["paths"][path][method].setdefault("parameters", []).append(
        {"name": "q\ud800", "in": "query", "schema": {"type": "string"}})
    snapshot_file.write_text(json.dumps(snapshot))
    result = run_cli("--root", str(root), "build", "--no-site", cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    text = (root / "changelog" / "features.json").read_text(encoding="utf-8")
    assert "q\\ud800" in text
    assert any(identity.endswith(" query q\ud800") for identity in json.loads(text)["elements"])
    assert run_cli("--root", str(root), "has", "stream", cwd=root).returncode in (0, 1)  # the name table answers


def test_site_anchors_and_text_look_ups_take_a_lone_surrogate():
    from aoai_changelog.index.indextext import _quoted
    from aoai_changelog.sitegen.data import anchor
    from aoai_changelog.store.atomic import encoded

    assert anchor("GET /a query q\ud800") != anchor("GET /a query q\udfff")
    # A look-up spells the name as the written file does.
    assert _quoted("q\ud800") in encoded(json.dumps({"q\ud800": 1}, ensure_ascii=False))


def test_keys_beside_the_operations_of_a_path_are_not_operations(tmp_path):
    """A hand-edited snapshot with an extension (or any other key) in a path item: only the
    methods are walked (an `x-ext: {responses: 5}` used to fail with a traceback)."""
    from conftest import make_project

    project = make_project(tmp_path)
    snapshot = {"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {}}, "x-ext": {"responses": 5},
                                                      "summary": {"parameters": "x"}}}}
    (project / "specs" / "v1.json").write_text(json.dumps(snapshot))
    result = run_cli("--root", str(project), "show", "v1", "--format", "json")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert [e["key"] for e in json.loads(result.stdout)["elements"] if e["kind"] == "operation"] == ["GET /a"]
