"""The installable tool: the wheel answers outside the checkout, the public API, and the CLI
conventions (formats, --in, --scope, --fail-on, --ignore, --format github, pipes, help,
completion)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import aoai_changelog as ac
from conftest import FIXTURES, ROOT, run_cli, run_main


def cli(*args: str) -> tuple[int, str, str]:
    """The command line in this process (no interpreter start): (exit code, stdout, stderr)."""
    import contextlib
    import io

    from aoai_changelog.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _readme_api_example() -> str:
    text = (ROOT / "README.md").read_text()
    return text.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]


def _source_copy(dest: Path) -> Path:
    """The files a wheel is built from, copied: pip's build writes build/ and *.egg-info beside the
    sources, and tests never write into the checkout."""
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "diffs")
    for folder in ("scripts", "specs", "schema", "changelog"):  # setup.py picks the wheel's data from these
        shutil.copytree(ROOT / folder, dest / folder, ignore=skip)
    return dest


def _build_wheel(out: Path) -> Path:
    """`pip wheel` of a copy of the checkout; without build isolation when this Python can (no download)."""
    isolation = []
    try:
        import setuptools

        if int(setuptools.__version__.split(".")[0]) >= 77:
            isolation = ["--no-build-isolation"]
    except ImportError:
        pass
    source = _source_copy(out.parent / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", str(out), str(source)],
                   check=True, capture_output=True)
    return next(out.glob("aoai_changelog-*.whl"))


def _core_modules() -> dict[str, Path]:
    """{top-level module or package: its path} of the core dependencies and what they require."""
    from importlib import metadata

    todo, seen, tops = ["pyyaml", "jsonschema"], set(), {}
    while todo:
        dist = metadata.distribution(todo.pop())
        if dist.metadata["Name"].lower() in seen:
            continue
        seen.add(dist.metadata["Name"].lower())
        for file in dist.files or []:
            top = file.parts[0]
            if not top.endswith((".dist-info", ".pth")) and top not in ("..", "__pycache__"):
                tops[top] = Path(dist.locate_file(top))
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                todo.append(requirement.replace(">", " ").replace("<", " ").replace("=", " ").replace(";", " ")
                            .replace("[", " ").replace("(", " ").replace("~", " ").replace("!", " ").split()[0])
    return tops


def _fresh_venv(tmp: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed and, of our dependencies, only the core
    ones (pyyaml, jsonschema) made visible: what `pip install aoai-changelog` gives a user, without
    a download. (Not the site extra: jinja2 and MkDocs stay out.)"""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    deps = tmp / "core-deps"
    deps.mkdir()
    for name, path in _core_modules().items():
        if path.exists():
            (deps / name).symlink_to(path)
    Path(purelib, "core-deps.pth").write_text(str(deps) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, capture_output=True)
    return venv


def test_the_wheel_answers_every_query_outside_the_checkout(tmp_path):
    wheel = _build_wheel(tmp_path / "dist")
    size = wheel.stat().st_size
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "aoai_changelog/data/specs/catalog.yaml" in names and "aoai_changelog/data/specs/v1.json" in names
    assert "aoai_changelog/data/changelog/features.json" in names and "aoai_changelog/py.typed" in names
    assert any(n.startswith("aoai_changelog/data/specs/revisions/v1@") for n in names)
    assert any(n.startswith("aoai_changelog/data/schema/") for n in names)
    assert not any("/changelog/diffs/" in n for n in names)  # recomputed on demand, not shipped
    assert size < 6_000_000, f"wheel is {size / 1e6:.1f} MB"
    core = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert core == ["Requires-Dist: pyyaml>=6.0", "Requires-Dist: jsonschema>=4.20"], core
    assert "Requires-Python: >=3.11" in metadata

    venv = _fresh_venv(tmp_path, wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("AOAI_CHANGELOG_ROOT", "PYTHONPATH")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "aoai-changelog"), *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True)

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import aoai_changelog as a; print(a.data_root())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(venv)) and where.endswith(os.path.join("aoai_changelog", "data")), where

    versions = run("versions", "--format", "json")
    assert versions.returncode == 0, versions.stderr
    assert [v["id"] for v in json.loads(versions.stdout)["versions"]][-2:] == ["v1-preview", "v1"]
    assert run("has", "POST /chat/completions request max_completion_tokens", "--in",
               "2024-09-01-preview").returncode == 0
    assert run("has", "POST /chat/completions request max_completion_tokens", "--in",
               "2024-08-01-preview").returncode == 1
    assert run("has", "POST /videos", "--in", "v1@2025-11-07").returncode == 0
    history = run("history", "POST /chat/completions request store")
    assert history.returncode == 0 and "2024-12-01-preview: added" in history.stdout, history.stderr
    typo = run("has", "max_completion_tokns")  # a miss: suggestions from every name
    assert typo.returncode == 1 and "max_completion_tokens" in typo.stdout + typo.stderr, typo.stderr
    # The installed index is read in place from the first query on: no 34 MB cache is made for it.
    assert not list((tmp_path / "cache").rglob("features.sqlite"))
    show = run("show", "2024-09-01-preview", "--operation", "POST /batches")
    assert show.returncode == 0 and show.stdout.startswith("2024-09-01-preview: "), show.stderr
    revisions = run("revisions", "v1")
    assert revisions.returncode == 0 and "v1@2025-11-07" in revisions.stdout, revisions.stderr
    installed = run("diff", "2024-08-01-preview", "2024-09-01-preview", "--format", "json")
    checkout = run_main("diff", "2024-08-01-preview", "2024-09-01-preview", "--format", "json", check_rc=0)
    assert installed.returncode == 0 and installed.stdout == checkout.stdout  # same knowledge, same bytes

    # The user's own files need no catalog; commands that write refuse the installed data.
    shutil.copy(FIXTURES / "specs" / "openapi31_api.yaml", elsewhere / "old.yaml")
    shutil.copy(FIXTURES / "specs" / "openapi31_api.yaml", elsewhere / "new.yaml")
    files = run("diff", "old.yaml", "new.yaml", "--format", "json")
    assert files.returncode == 0 and json.loads(files.stdout)["changes"] == [], files.stderr
    (elsewhere / "body.json").write_text('{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}')
    assert run("check", "body.json", "--operation", "POST /chat/completions", "--in", "2024-10-21").returncode == 0
    migrate = run("migrate", "2024-08-01-preview", "2024-09-01-preview", "--format", "json")
    assert migrate.returncode == 0 and json.loads(migrate.stdout), migrate.stderr
    build = run("build", "--no-site")
    assert build.returncode == 2 and "works on a checkout" in build.stderr and "Traceback" not in build.stderr
    extra = run("--root", str(ROOT), "build")  # a checkout, but no site extra in this venv
    assert extra.returncode == 2 and "pip install 'aoai-changelog[site]'" in extra.stderr, extra.stderr
    assert extra.stderr.count("\n") == 1

    (elsewhere / "example.py").write_text(_readme_api_example())
    example = subprocess.run([str(venv / "bin" / "python"), "example.py"], cwd=elsewhere, env=env,
                             capture_output=True, text=True)
    assert example.returncode == 0, example.stderr
    lines = example.stdout.splitlines()
    assert "breaking;" in lines[0] and lines[1] == "True" and "2024-12-01-preview" in lines[2]
    assert not list((venv / "lib").rglob("data/build"))  # nothing written inside the installed package


# --- the public API -------------------------------------------------------------------------

def test_api_results_are_typed_and_match_the_cli_json():
    result = ac.diff("2024-10-21", "v1", breaking_only=True)
    assert isinstance(result, ac.DiffResult) and result.changes and all(c.breaking for c in result.changes)
    assert result.to_json() == json.loads(cli("diff", "2024-10-21", "v1", "--breaking-only", "--json")[1])
    answer = ac.has("POST /chat/completions request max_completion_tokens", version="2024-08-01-preview")
    assert isinstance(answer, ac.HasResult) and not answer
    assert answer.answers[0].matches[0].first_seen == "2024-09-01-preview"
    together = ac.has("max_completion_tokens", "parallel_tool_calls", version="2024-10-21")
    assert together and together.combined["operations"][0]["operation"] == "POST /chat/completions"
    assert not ac.has("max_completion_tokens", "parallel_tool_calls", version="2024-08-01-preview")
    assert together.to_json() == json.loads(cli("has", "max_completion_tokens", "parallel_tool_calls",
                                                "--in", "2024-10-21", "--json")[1])
    assert [v.id for v in ac.versions()][-1] == "v1"


def test_api_errors_carry_fields_under_one_base(tmp_path):
    with pytest.raises(ac.UnknownVersion) as unknown:
        ac.diff("2023-01-01", "v1")
    assert unknown.value.id == "2023-01-01" and "2024-10-21" in unknown.value.known
    assert isinstance(unknown.value, ac.ChangelogError)
    with pytest.raises(ac.InputFileError) as missing:
        ac.diff(tmp_path / "missing.yaml", FIXTURES / "specs" / "openapi31_api.yaml")
    assert missing.value.path.endswith("missing.yaml") and "no such file" in missing.value.reason
    with pytest.raises(ac.UnknownVersion):
        ac.has("store", version="v7")


# --- CLI conventions ------------------------------------------------------------------------

def test_every_query_command_speaks_text_json_and_markdown_and_defaults_to_text_when_piped():
    for args in (("versions",), ("show", "2024-02-01", "--operation", "/embeddings"), ("has", "POST /batches"),
                 ("history", "POST /batches"), ("revisions", "v1"),
                 ("diff", "2024-08-01-preview", "2024-09-01-preview")):
        code, text, _ = cli(*args)  # captured, so not a terminal: still the human format
        assert code == 0 and not text.lstrip().startswith("{"), args
        code, data, _ = cli(*args, "--format", "json")
        assert code == 0 and json.loads(data) and json.loads(data) == json.loads(cli(*args, "--json")[1]), args
        code, markdown, _ = cli(*args, "--format", "markdown")
        assert code == 0 and markdown.startswith(("#", "|", "- ", "`")) and markdown != text, args


def test_piping_into_head_exits_0_quietly():
    for args in (["show", "v1"], ["has", "max_completion_tokens"]):
        proc = subprocess.Popen([sys.executable, "-m", "aoai_changelog", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdout.readline()
        proc.stdout.close()  # what `head -1` does
        assert proc.wait(timeout=60) == 0, args
        assert proc.stderr.read() == b"", args


def test_help_of_every_command_ends_with_examples():
    from aoai_changelog.commands import COMMANDS

    for name in COMMANDS:
        code, out, _ = cli(name, "-h")
        assert code == 0, name
        examples = out.split("examples:\n", 1)[1].splitlines() if "examples:" in out else []
        assert len([line for line in examples if line.strip().startswith("aoai-changelog")
                    or "aoai-changelog" in line]) >= 2, name


def test_bash_completion_completes_commands_options_and_versions():
    if not shutil.which("bash"):
        pytest.skip("bash absent")
    script = run_cli("completion", "bash", check_rc=0).stdout

    def complete(*words: str) -> list[str]:
        probe = (script + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + f"); COMP_CWORD={len(words) - 1}\n"
                 "_aoai_changelog; printf '%s\\n' \"${COMPREPLY[@]}\"\n")
        return subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True).stdout.split()

    assert "history" in complete("aoai-changelog", "hi")
    assert "--fail-on" in complete("aoai-changelog", "diff", "--fail")
    assert complete("aoai-changelog", "diff", "a", "b", "--format", "") == ["github", "json", "markdown", "text"]
    assert "v1@2025-11-07" in complete("aoai-changelog", "has", "x", "--in", "v1@")
    assert run_cli("completion", "zsh", check_rc=0).stdout.startswith("#compdef aoai-changelog")


def test_scope_is_repeatable_and_leaves_enum_values_out_unless_asked():
    pair = ("2024-02-01", "2025-04-01-preview")
    plain = ac.diff(*pair, scope="assistants")
    assert plain.changes and all("assistants" in c.key.rsplit("=", 1)[0] for c in plain.changes)
    assert not any(c.key.endswith("=assistants") and "/assistants" not in c.key for c in plain.changes)
    values = ac.diff(*pair, scope="=assistants")
    assert values.changes and all(c.key.endswith(("=assistants", "=assistants_output")) for c in values.changes)
    both = ac.diff(*pair, scope=["/assistants", "/vector_stores"])
    assert {c.operation.split("/")[1] for c in both.changes} == {"assistants", "vector_stores"}
    regex = ac.diff(*pair, scope_regex=r"^GET /vector_stores/\{vector_store_id\} ")
    assert regex.changes and all(c.operation == "GET /vector_stores/{vector_store_id}" for c in regex.changes)


_OLD = """openapi: 3.0.0
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: ok}
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string}
                age: {type: integer}
      responses:
        "200": {description: ok}
"""


def test_github_annotation_of_an_inline_parameters_value_is_on_the_parameters_line(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(_OLD.replace("    get:\n", "    get:\n      parameters:\n        - name: kind\n          in: query\n"
                                             "          schema: {type: string, enum: [dog]}\n"))
    new.write_text(old.read_text().replace("enum: [dog]", "enum: [dog, cat]"))
    github = cli("diff", str(old), str(new), "--format", "github")[1].splitlines()
    added = next(line for line in github if "query kind=cat" in line)
    line = new.read_text().splitlines().index("        - name: kind") + 1
    assert added.startswith(f"::notice file={new},line={line},")


def test_fail_on_waivers_and_github_annotations_on_users_files(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(_OLD)
    new.write_text(_OLD.replace("                age: {type: integer}\n", "").replace(
        "    get:\n", "    get:\n      deprecated: true\n"))
    age_line = _OLD.splitlines().index("                age: {type: integer}") + 1

    github = cli("diff", str(old), str(new), "--format", "github")[1].splitlines()
    removed = next(line for line in github if "request-property-removed" in line)  # on the old file's line
    assert removed.startswith(f"::error file={old},line={age_line},title=request-property-removed (breaking)::")
    assert any(line.startswith(f"::warning file={new},line=5,") for line in github)  # get: deprecated
    text = cli("diff", str(old), str(new))[1]
    assert f"POST /pets  ({new}:{new.read_text().splitlines().index('    post:') + 1})" in text
    assert f"request age: field removed  [request-property-removed]  ({old}:{age_line})" in text

    assert cli("diff", str(old), str(new), "--fail-on", "error")[0] == 1
    assert cli("diff", str(old), str(new), "--fail-on-breaking")[0] == 1
    assert cli("diff", str(old), str(old), "--fail-on", "info")[0] == 0
    assert cli("diff", str(old), str(new), "--fail-on", "bogus")[0] == 2
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("- rule: request-property-removed\n  key: POST /pets request age\n  reason: nobody sends age\n")
    code, _, err = cli("diff", str(old), str(new), "--fail-on", "error", "--ignore", str(waivers))
    assert code == 0 and "1 changes waived" in err
    waived = json.loads(cli("diff", str(old), str(new), "--ignore", str(waivers), "--format", "json")[1])["waived"]
    assert [(w["change"]["rule"], w["waiver"]["reason"]) for w in waived] == [
        ("request-property-removed", "nobody sends age")]
    assert cli("diff", str(old), str(new), "--fail-on", "warning", "--ignore", str(waivers))[0] == 1
    waivers.write_text("- rule: request-property-removed\n")
    code, _, err = cli("diff", str(old), str(new), "--ignore", str(waivers))
    assert code == 2 and err.count("\n") == 1 and "needs a reason" in err
