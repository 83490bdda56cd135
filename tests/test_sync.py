"""`sync --repo`: the knowledge base kept current from the git history of the upstream repository.

No network: a git repository is rebuilt in a temporary folder from ../shared/upstream/MANIFEST.yaml
(tests/upstream_repo.py), each file committed at its upstream path with the date and title of its
upstream change. To stay fast it holds a few versions only: 2024-05-01-preview in full (eight
revisions: a pinned canonical one, YAML-only commits, one that cannot be loaded) and v1's newest
revision (v1 documents are the big ones). One synced project is shared by the tests of this module, in order.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from conftest import ROOT, run_cli, run_main
from upstream_repo import GIT_ENV, build_from_manifest, fast_import

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PINNED = "2024-05-01-preview"
V1_FROM = "2026-06-01"
V1_JSON = "specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.json"
NEW_VERSION = "2026-07-01-preview"
NEW_OPERATION = "POST /sync-test/widgets"


def _kept(entry: dict) -> bool:
    date = str(entry.get("upstream_change") or "")[:10]
    return entry["version"] == PINNED or (entry["version"] == "v1" and date >= V1_FROM)


def _tree_digest(*folders: Path) -> dict[str, str]:
    """{relative path: sha256} of every file (what "nothing changed" means)."""
    out = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[str(path.relative_to(folder.parent))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


class Synced:
    """The shared scenario: the repository, the project, and the facts the tests compare."""

    def __init__(self, root: Path, repo: Path, commits: dict[str, str], output: str):
        self.root, self.repo, self.commits, self.first_output = root, repo, commits, output
        self.extended = False  # the further upstream commits are made

    def catalog(self) -> dict:
        return {v["id"]: v for v in yaml.safe_load((self.root / "specs" / "catalog.yaml").read_text())["versions"]}

    def as_manifest(self, text: str) -> str:
        """Test-repository commit ids replaced by the upstream ones they stand for."""
        for ours, theirs in self.commits.items():
            text = text.replace(ours, theirs).replace("." + ours[:7], "." + theirs[:7])
        return text


@pytest.fixture(scope="module")
def git() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: sync reads upstream history with it")


@pytest.fixture(scope="module")
def synced(upstream, git, tmp_path_factory) -> Synced:
    base = tmp_path_factory.mktemp("sync")
    repo, root = base / "upstream-repo", base / "project"
    commits = build_from_manifest(upstream, repo, _kept)
    (root / "specs").mkdir(parents=True)
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copy(ROOT / "specs" / "upstream-paths.yaml", root / "specs")
    # An existing project that knows one version (with its pin), as the committed catalog has it.
    committed = yaml.safe_load((ROOT / "specs" / "catalog.yaml").read_text())
    start = {"versions": [v for v in committed["versions"] if v["id"] == PINNED]}
    assert start["versions"][0]["pin"]["revision"] == f"{PINNED}@2024-08-09"
    (root / "specs" / "catalog.yaml").write_text(yaml.safe_dump(start, sort_keys=False))
    result = run_cli("--root", str(root), "sync", "--repo", str(repo), check_rc=0)
    return Synced(root, repo, commits, result.stdout)


def test_sync_makes_the_same_catalog_revisions_as_the_manifest_import(synced):
    committed = {v["id"]: v for v in yaml.safe_load((ROOT / "specs" / "catalog.yaml").read_text())["versions"]}
    ours = synced.catalog()
    assert list(ours) == [PINNED, "v1"]

    def facts(revision: dict, manifest_title: str | None) -> tuple:
        return (revision["id"], revision["date"], revision["commit"], revision["imported"], revision["canonical"],
                manifest_title is None or revision["title"] == manifest_title,
                [(d["document"], d["format"], d["sha256"], d["commit"], d["changed"]) for d in revision["documents"]])

    for version in (PINNED, "v1"):
        expected = [r for r in committed[version]["revisions"] if version == PINNED or r["date"] >= V1_FROM]
        got = ours[version]["revisions"]
        assert len(got) == len(expected) and len(expected) >= 1, version
        for mine, theirs in zip(got, expected):
            mine = json.loads(synced.as_manifest(json.dumps(mine)))
            assert facts(mine, theirs["title"]) == facts(theirs, theirs["title"]), mine["id"]
            assert (mine["reason"] is None) == (theirs["reason"] is None), mine["id"]
        mapped = json.loads(synced.as_manifest(json.dumps(ours[version]["documents"])))
        fields = ("document", "sha256", "upstream_commit", "upstream_path")
        assert [tuple(d[f] for f in fields) for d in mapped] == [
            tuple(d[f] for f in fields) for d in committed[version]["documents"]]
    # The pin is kept: the canonical snapshot is not the newest revision.
    assert ours[PINNED]["pin"] == committed[PINNED]["pin"]
    assert [r["id"] for r in ours[PINNED]["revisions"] if r["canonical"]] == [f"{PINNED}@2024-08-09"]
    # Same checks as the import: a revision that cannot be loaded is listed with the reason.
    unloadable = next(r for r in ours[PINNED]["revisions"] if r["id"] == f"{PINNED}@2024-05-14")
    assert not unloadable["imported"]
    assert "cannot be loaded" in unloadable["reason"] and "dangling" in unloadable["reason"]
    yaml_only = next(r for r in ours[PINNED]["revisions"] if r["id"] == f"{PINNED}@2024-05-31")
    assert not yaml_only["imported"] and "only the YAML file changed" in yaml_only["reason"]
    assert str(synced.root) not in json.dumps(ours) and "/tmp" not in json.dumps(ours)


def test_sync_snapshots_are_byte_identical_to_the_imported_ones(synced):
    specs = synced.root / "specs"
    written = sorted(p.relative_to(specs).as_posix() for p in specs.rglob("*.json"))
    assert written == sorted([f"{PINNED}.json", "v1.json"]
                             + [f"revisions/{p.name}" for p in (ROOT / "specs" / "revisions").glob(f"{PINNED}@*.json")])
    for relative in written:
        assert synced.as_manifest((specs / relative).read_text()) == (ROOT / "specs" / relative).read_text(), relative


def test_first_sync_says_what_is_new_with_a_summary_each(synced):
    lines = synced.first_output.splitlines()
    assert re.fullmatch(r"new version v1 \(ga, 1 upstream revision\): \d+ changes \(\d+ added, \d+ removed, \d+ "
                        rf"changed\), \d+ breaking; operations \+\d+ -\d+ ~\d+ since {PINNED}", lines[0])
    assert any(re.fullmatch(r"new revision v1@2026-06-01 \(Refreshing OpenAI.v1 spec.*\): first imported revision: "
                            r"\d+ operations, \d+ elements", line) for line in lines)
    assert any(line.startswith(f"changed revision {PINNED}@2024-08-09: upstream commit 956bf8cfd5bf -> ")
               for line in lines)
    assert lines[-1].startswith("(") and "upstream commits read" in lines[-1]


def _commit_new_upstream_revisions(synced: Synced, upstream: Path) -> None:
    """One new dated version folder (2026-07-10) and one change to the v1 document (2026-07-15)."""
    if synced.extended:
        return
    synced.extended = True
    v1 = json.loads((upstream / "azure-rest-api-specs" / V1_JSON).read_text())
    v1["paths"]["/sync-test/widgets"] = {"post": {"operationId": "createWidget",
                                                  "responses": {"200": {"description": "ok"}}}}
    del v1["components"]["schemas"]["OpenAI.CreateEmbeddingRequest"]["properties"]["dimensions"]
    base = "specification/cognitiveservices/data-plane/AzureOpenAI"
    old = f"azure-rest-api-specs/{base}/{{}}/stable/2024-02-01/{{}}.json"
    folder = [{"upstream_path": f"{base}/{doc}/preview/{NEW_VERSION}/{name}.json", "file": old.format(doc, name)}
              for doc, name in (("inference", "inference"), ("authoring", "azureopenai"))]
    fast_import(synced.repo, [
        {"date": "2026-07-10", "title": "Add a new api-version folder (test)", "files": folder},
        {"date": "2026-07-15", "title": "v1: widgets added, embeddings dimensions removed (test)",
         "files": [{"upstream_path": V1_JSON, "data": json.dumps(v1, indent=2).encode()}]},
    ], lambda entry: entry.get("data") or (upstream / entry["file"]).read_bytes())


def test_dry_run_and_an_interrupted_sync_change_nothing(synced, upstream, monkeypatch):
    _commit_new_upstream_revisions(synced, upstream)
    before = _tree_digest(synced.root / "specs", synced.root / "changelog")
    result = run_cli("--root", str(synced.root), "sync", "--repo", str(synced.repo), "--dry-run", check_rc=0)
    assert "new revision v1@2026-07-15" in result.stdout and "would import" in result.stdout
    assert f"new version {NEW_VERSION}" in result.stdout
    assert _tree_digest(synced.root / "specs", synced.root / "changelog") == before

    import aoai_changelog.pipeline.changelog as build
    from aoai_changelog.store.project import Project
    from aoai_changelog.upstream.sync import run_sync

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # as if the user pressed ^C

    # While changelog/ is rendered: every new snapshot is imported by then, none is written yet.
    monkeypatch.setattr(build, "render_changelog", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sync(Project(synced.root), synced.repo, since="2026-07-01")
    assert _tree_digest(synced.root / "specs", synced.root / "changelog") == before
    assert not [p for p in (synced.root / "build").iterdir() if p.name.startswith(".sync-")]


def test_new_upstream_commits_give_one_v1_revision_and_a_new_version(synced, upstream):
    _commit_new_upstream_revisions(synced, upstream)
    result = run_cli("--root", str(synced.root), "sync", "--repo", str(synced.repo), "--since",
                     "2026-07-01", check_rc=0)
    assert "(2 upstream commits read since 2026-07-01" in result.stdout
    catalog = synced.catalog()
    # Exactly one new v1 revision, now the canonical one.
    assert [r["id"] for r in catalog["v1"]["revisions"]] == ["v1@2026-06-01", "v1@2026-07-15"]
    assert [r["id"] for r in catalog["v1"]["revisions"] if r["canonical"]] == ["v1@2026-07-15"]
    new_line = next(line for line in result.stdout.splitlines() if line.startswith("new revision v1@2026-07-15"))
    assert "operations +1 -0" in new_line and "since v1@2026-06-01" in new_line and " 0 breaking" not in new_line
    # A new dated version folder is a new version, in timeline order.
    versions = run_main("--root", str(synced.root), "versions", "--json", check_rc=0)
    assert [v["id"] for v in json.loads(versions.stdout)["versions"]] == [PINNED, NEW_VERSION, "v1"]
    assert f"new version {NEW_VERSION} (preview, 1 upstream revision): " in result.stdout
    # v1's dated changelog has the new entry on top; the feed has a new item.
    notes = (synced.root / "changelog" / "revisions" / "v1" / "README.md").read_text()
    headings = [line for line in notes.splitlines() if line.startswith("## ")]
    assert headings[0] == "## 2026-07-15 — v1: widgets added, embeddings dimensions removed (test)"
    assert len(headings) == 2
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(synced.root / "changelog" / "revisions" / "v1" / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}id") for e in entries] == ["tag:aoai-changelog,2025:v1@2026-07-15",
                                                         "tag:aoai-changelog,2025:v1@2026-06-01"]
    newest = entries[0]
    assert newest.findtext(f"{atom}title") == "2026-07-15 — v1: widgets added, embeddings dimensions removed (test)"
    assert newest.findtext(f"{atom}updated") == feed.findtext(f"{atom}updated") == "2026-07-15T00:00:00Z"
    assert newest.find(f"{atom}link").get("href").endswith("/timeline/v1.html")
    assert "operations: 1 added" in newest.findtext(f"{atom}summary")
    # `has` answers in dates.
    has = run_main("--root", str(synced.root), "has", NEW_OPERATION, check_rc=0)
    assert "v1: since 2026-07-15" in has.stdout
    gone = run_main("--root", str(synced.root), "has", "POST /embeddings request dimensions", "--in", "v1")
    assert gone.returncode == 1


def test_running_sync_twice_changes_nothing_the_second_time(synced):
    before = _tree_digest(synced.root / "specs", synced.root / "changelog")
    result = run_cli("--root", str(synced.root), "sync", "--repo", str(synced.repo), "--json", check_rc=0)
    report = json.loads(result.stdout)
    assert report["nothing_new"] is True and report["lines"][0].startswith("nothing new upstream")
    assert _tree_digest(synced.root / "specs", synced.root / "changelog") == before


def test_a_known_version_whose_every_upstream_revision_fails_keeps_its_entry_and_lists_them(synced, upstream, tmp_path):
    """Its catalogued revision is gone from the history read (another clone) and the one there cannot
    be loaded: the version keeps its canonical snapshot, and the failure is listed with the reason."""
    from aoai_changelog.store.project import Project
    from aoai_changelog.upstream.gitfiles import GitFiles
    from aoai_changelog.upstream.sync import Converter, plan_sync, read_catalog_data

    _commit_new_upstream_revisions(synced, upstream)  # NEW_VERSION is catalogued (when run alone too)
    if NEW_VERSION not in synced.catalog():
        run_cli("--root", str(synced.root), "sync", "--repo", str(synced.repo), "--since", "2026-07-01", check_rc=0)
    base = f"specification/cognitiveservices/data-plane/AzureOpenAI/{{}}/preview/{NEW_VERSION}/{{}}.json"
    other = tmp_path / "other-clone"
    fast_import(other, [{"date": "2026-07-20", "title": "Broken folder (test)", "files": [
        {"upstream_path": base.format("inference", "inference"), "data": b'{"swagger": "2.0", "paths": '},
        {"upstream_path": base.format("authoring", "azureopenai"), "data": b'{"swagger": "2.0", "paths": '}]}],
        lambda entry: entry["data"])
    project = Project(synced.root)
    old = read_catalog_data(project)
    files = GitFiles.open(other)
    try:
        plan = plan_sync(project, old, files, None, Converter(files))
    finally:
        files.close()
    before = next(v for v in old["versions"] if v["id"] == NEW_VERSION)
    after = next(v for v in plan.data["versions"] if v["id"] == NEW_VERSION)
    assert after["documents"] == before["documents"] and after["revisions"][:-1] == before["revisions"]
    failed = after["revisions"][-1]
    assert failed["id"] == f"{NEW_VERSION}@2026-07-20" and not failed["imported"] and not failed["canonical"]
    assert "cannot be loaded" in failed["reason"] and str(other) not in failed["reason"]
    assert plan.new_revisions == [(NEW_VERSION, failed)] and not plan.canonical_moves and not plan.skipped
    assert not [job for job in plan.jobs if job[0].startswith(NEW_VERSION)]


def test_the_path_map_names_every_manifest_file(upstream):
    from aoai_changelog.upstream.pathmap import load_path_map

    pathmap = load_path_map(ROOT / "specs", ROOT / "schema")
    for entry in yaml.load((upstream / "MANIFEST.yaml").read_bytes(), Loader=LOADER)["files"]:
        expected = (entry["version"], entry["document"] if entry["document"] != "v1" else "v1", entry["format"])
        assert pathmap.match(entry["upstream_path"]) == expected, entry["upstream_path"]
    assert pathmap.match("specification/cognitiveservices/data-plane/AzureOpenAI/inference/preview/2027-01-01-preview/"
                         "inference.json") == ("2027-01-01-preview", "inference", "json")
    assert pathmap.match("specification/cognitiveservices/data-plane/AzureOpenAI/inference/preview/2024-05-01-preview/"
                         "examples/chat.json") is None


@pytest.fixture
def bare_project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "specs").mkdir(parents=True)
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copy(ROOT / "specs" / "upstream-paths.yaml", root / "specs")
    return root


def _one_line_error(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("aoai-changelog: error: ") and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_not_a_git_repository_is_one_line_exit_2(bare_project, git, tmp_path):
    (tmp_path / "plain").mkdir()
    _one_line_error(run_cli("--root", str(bare_project), "sync", "--repo", str(tmp_path / "plain")),
                    "not a git repository")
    _one_line_error(run_main("--root", str(bare_project), "sync", "--repo", str(tmp_path / "absent")), "no such folder")
    _one_line_error(run_main("--root", str(bare_project), "sync", "--repo", str(tmp_path), "--since", "yesterday"),
                    "expected a date")
    assert sorted(p.name for p in (bare_project / "specs").iterdir()) == ["upstream-paths.yaml"]


def test_invalid_path_map_is_one_line_exit_2(bare_project, git, tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=GIT_ENV)
    path_map = bare_project / "specs" / "upstream-paths.yaml"
    for text, words in (
        ("documents: []\n", "invalid path map at documents"),
        ("documents:\n  - {path: '/etc/passwd.{format}', document: v1, version: v1}\n",
         "invalid path map at documents/0/path"),
        ("documents:\n  - {path: 'a/b.{format}', document: v1}\n", "give the version either"),
        ("documents:\n  - {path: 'a/{name}/b.{format}', document: v1, version: v1}\n", "unknown placeholder"),
        ("documents: [\n", "YAML that cannot be loaded"),
    ):
        path_map.write_text(text)
        run = run_cli if words == "YAML that cannot be loaded" else run_main  # one real process, the others in this one
        _one_line_error(run("--root", str(bare_project), "sync", "--repo", str(repo)), words)
    assert not (bare_project / "specs" / "catalog.yaml").exists()


def test_git_missing_is_one_line_exit_2(bare_project, tmp_path):
    result = subprocess.run([sys.executable, "-m", "aoai_changelog", "--root", str(bare_project), "sync", "--repo",
                             str(tmp_path)], capture_output=True, text=True, env={**os.environ, "PATH": str(tmp_path)})
    _one_line_error(result, "git is not installed")


def _git(repo: Path, *args: str, date: str = "2026-01-01T12:00:00+00:00") -> None:
    env = {**GIT_ENV, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_merges_and_moves_are_revisions_only_when_the_bytes_change(git, tmp_path):
    """History rules on a small synthetic repository (no import, no build)."""
    from aoai_changelog.upstream.pathmap import load_path_map
    from aoai_changelog.upstream.upstreamgit import GitRepo
    from aoai_changelog.upstream.upstreamhistory import read_history

    specs, repo = tmp_path / "specs", tmp_path / "repo"
    specs.mkdir()
    (specs / "upstream-paths.yaml").write_text(
        "documents:\n  - {path: 'old/v1.{format}', document: v1, version: v1}\n"
        "  - {path: 'new/v1.{format}', document: v1, version: v1}\n")
    pathmap = load_path_map(specs, ROOT / "schema")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=GIT_ENV)
    (repo / "old").mkdir()

    def commit(message: str, day: int, files: dict[str, str] | None = None) -> None:
        for name, text in (files or {}).items():
            (repo / name).write_text(text)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", message, date=f"2026-01-{day:02d}T12:00:00+00:00")

    commit("first", 1, {"old/v1.json": "{}"})
    _git(repo, "checkout", "-q", "-b", "side")
    commit("on a branch", 2, {"old/v1.json": '{"a": 1}'})
    _git(repo, "checkout", "-q", "main")
    commit("elsewhere", 3, {"readme": "x"})
    _git(repo, "merge", "-q", "--no-ff", "-m", "merge bringing the branch", "side", date="2026-01-04T12:00:00+00:00")
    _git(repo, "checkout", "-q", "-b", "side2")
    commit("branch two", 5, {"old/v1.json": '{"b": 1}'})
    _git(repo, "checkout", "-q", "main")
    commit("main again", 6, {"old/v1.json": '{"c": 1}'})
    _git(repo, "merge", "-q", "--no-ff", "-s", "ours", "--no-commit", "side2", date="2026-01-07T12:00:00+00:00")
    commit("merge that resolves to new bytes", 7, {"old/v1.json": '{"d": 1}'})
    (repo / "new").mkdir()
    _git(repo, "mv", "old/v1.json", "new/v1.json")
    commit("moved, unchanged", 8)
    commit("changed at its new place", 9, {"new/v1.json": '{"e": 1}'})
    history = read_history(GitRepo(repo), pathmap, None)
    got = [(e["upstream_change"], e["upstream_path"]) for _, e in history.entries["v1"]]
    assert got == [
        ("2026-01-01 first", "old/v1.json"),
        ("2026-01-02 on a branch", "old/v1.json"),
        ("2026-01-05 branch two", "old/v1.json"),
        ("2026-01-06 main again", "old/v1.json"),
        ("2026-01-07 merge that resolves to new bytes", "old/v1.json"),
        ("2026-01-09 changed at its new place", "new/v1.json"),
    ]
    # A shallow clone would make every earlier revision look gone: refused.
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True, env=GIT_ENV)
    _one_line_error(run_cli("--root", str(tmp_path), "sync", "--repo", str(shallow)), "shallow clone")
    # --since: the state before the window comes from the catalog; unchanged bytes are no revision.
    since = read_history(GitRepo(repo), pathmap, "2026-01-08",
                         {("v1", "v1", "json"): hashlib.sha256(b'{"d": 1}').hexdigest()})
    assert [e["upstream_change"] for _, e in since.entries["v1"]] == ["2026-01-09 changed at its new place"]
