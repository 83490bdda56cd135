"""A git repository laid out as Azure/azure-rest-api-specs, rebuilt from ../shared/upstream/MANIFEST.yaml.

Each manifest file is committed at its upstream_path, one commit per upstream commit, in date order,
with the date and title of its upstream_change as commit date and message (what sync reads). Built
with `git fast-import` in one process: a few hundred milliseconds for every file of the manifest.
"""

from __future__ import annotations

import os
import subprocess
from calendar import timegm
from collections.abc import Callable
from pathlib import Path
from time import strptime

import yaml

# No user or system git configuration may change what is built (hooks, templates, default branch).
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}


def manifest_commits(upstream: Path, keep: Callable[[dict], bool] = lambda entry: True) -> list[dict]:
    """[{commit, date, title, files: [entry]}] in upstream order (date, then manifest order).

    A file the manifest knows no commit for joins the first commit of its version (the manifest
    gives it no date of its own)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = [e for e in yaml.load((upstream / "MANIFEST.yaml").read_bytes(), Loader=loader)["files"] if keep(e)]
    commits: dict[str, dict] = {}
    undated = []
    for position, entry in enumerate(entries):
        change = str(entry.get("upstream_change") or "")
        date, _, title = change.partition(" ")
        if not entry.get("upstream_commit") or len(date) != 10:
            undated.append(entry)
            continue
        commit = commits.setdefault(str(entry["upstream_commit"]), {
            "commit": str(entry["upstream_commit"]), "date": date, "title": "", "position": position, "files": []})
        commit["title"] = commit["title"] or title.strip()
        commit["files"].append(entry)
    ordered = sorted(commits.values(), key=lambda c: (c["date"], c["position"]))
    for entry in undated:
        home = next((c for c in ordered if any(f["version"] == entry["version"] for f in c["files"])), None)
        if home is not None:
            home["files"].append(entry)
    return ordered


def fast_import(repo: Path, commits: list[dict], read: Callable[[dict], bytes], first_second: int = 0) -> list[str]:
    """Append `commits` to branch main of `repo` (made when absent); returns their full hashes.

    `read(file entry) -> bytes`; an entry with `delete: True` removes its path. Commit times are noon
    UTC of the date, plus one second per commit so that one day's commits keep their order."""
    if not (repo / ".git").exists():
        repo.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=GIT_ENV)
    has_tip = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", "refs/heads/main"],
                             capture_output=True, env=GIT_ENV).returncode == 0
    stream = bytearray()
    for number, commit in enumerate(commits, 1):
        stamp = timegm(strptime(commit["date"], "%Y-%m-%d")) + 12 * 3600 + first_second + number
        message = commit["title"].encode()
        stream += b"commit refs/heads/main\nmark :%d\n" % number
        stream += b"author Upstream <upstream@example.invalid> %d +0000\n" % stamp
        stream += b"committer Upstream <upstream@example.invalid> %d +0000\n" % stamp
        stream += b"data %d\n%s\n" % (len(message), message)
        if number == 1 and has_tip:
            stream += b"from refs/heads/main^0\n"
        for entry in commit["files"]:
            path = entry["upstream_path"].encode()
            if entry.get("delete"):
                stream += b"D %s\n" % path
                continue
            data = read(entry)
            stream += b"M 100644 inline %s\ndata %d\n" % (path, len(data)) + data + b"\n"
    marks = repo / ".git" / "test-marks"
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet", f"--export-marks={marks}"],
                   input=bytes(stream), check=True, env=GIT_ENV)
    by_mark = dict(line.split() for line in marks.read_text().splitlines())
    return [by_mark[f":{n}"] for n in range(1, len(commits) + 1)]


def build_from_manifest(upstream: Path, repo: Path,
                        keep: Callable[[dict], bool] = lambda entry: True) -> dict[str, str]:
    """The repository of the manifest's files; returns {test commit (12 chars): manifest commit}."""
    commits = manifest_commits(upstream, keep)
    hashes = fast_import(repo, commits, lambda entry: (upstream / entry["file"]).read_bytes())
    return {sha[:12]: commit["commit"] for sha, commit in zip(hashes, commits)}
