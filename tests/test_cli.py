"""The command line as a user runs it."""

import json

from conftest import run_cli, run_main


def test_versions_shows_all_17_with_status_and_counts():
    result = run_cli("versions", check_rc=0)
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["version", "channel", "date", "status"]
    assert len(lines) == 2 + 17
    assert all(" verified " in line for line in lines[2:])
    data = json.loads(run_main("versions", "--json", check_rc=0).stdout)
    assert [v["id"] for v in data["versions"]][-2:] == ["v1-preview", "v1"]
    v1 = data["versions"][-1]
    assert v1["operations"] > 50 and v1["elements"] > 1000
    assert v1["documents"][0]["upstream_commit"] and len(v1["documents"][0]["sha256"]) == 64


def test_show_filters_by_operation_and_prints_provenance():
    result = run_cli("show", "2024-09-01-preview", "--operation", "POST /chat/completions", check_rc=0)
    assert "status: verified" in result.stdout
    assert "POST /chat/completions request max_completion_tokens" in result.stdout
    assert "GET /batches" not in result.stdout
    assert "=," not in result.stdout and "=]" not in result.stdout  # an empty attribute is left out, never `name=`
    data = json.loads(run_main("show", "v1", "--operation", "/batches", "--json", check_rc=0).stdout)
    assert data["version"]["id"] == "v1"
    assert {e["operation"] for e in data["elements"]} <= {
        "GET /batches", "POST /batches", "GET /batches/{batch_id}", "POST /batches/{batch_id}/cancel"}


def test_show_answers_for_every_version(catalog):
    for version in catalog.ids():
        run = run_cli if version == "v1" else run_main  # one real process; the versions differ in data only
        result = run("show", version, "--operation", "nothing-matches-this", check_rc=0)
        assert result.stdout.startswith(f"{version}: ")


def test_bad_input_is_one_line_exit_2_no_traceback(tmp_path):
    cases = [
        ("show", "2023-01-01"),
        ("show", str(tmp_path / "missing.json")),
        ("import", "--from", str(tmp_path)),
        ("no-such-command",),
    ]
    for args in cases:
        result = run_main(*args)  # the real process: the two misuses below
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("aoai-changelog: error: "), result.stderr
    misuse = run_cli("no-such-command")
    assert "invalid choice: 'no-such-command'" in misuse.stderr and "aoai-changelog --help" in misuse.stderr
    assert run_cli("versions", "--no-such-option").stderr.startswith("aoai-changelog: error: unrecognized arguments")


def test_progress_is_one_line_on_a_terminal_and_nothing_elsewhere(monkeypatch):
    import io

    from aoai_changelog.progress import Counter, progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, drawn in ((Terminal(), True), (io.StringIO(), False)):
        monkeypatch.setattr("sys.stderr", stream)
        assert list(progress(["a", "bb"], "load")) == ["a", "bb"]
        counter = Counter("surfaces, unit", 3)
        counter.step(3, "v1")
        counter.close()
        text = stream.getvalue()
        assert ("\rload [2/2] bb" in text and "\rsurfaces, unit [3/3] v1" in text and "\n" not in text) == drawn
        assert text.endswith("\r") if drawn else text == ""
