"""Run `redocly diff` and `aoai-changelog diff` on the same upstream files and compare what they report.

Run on demand (needs Node.js and the npm registry, and ../shared/upstream):

    .venv/bin/python benchmarks/peer_redocly.py [--redocly "npx --yes @redocly/cli@2.77.0"] [--pairs N]

Prints one Markdown table row per document pair and a summary; the figures feed site/peer-comparison.md.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = ROOT.parent / "shared" / "upstream"
PROSE = {"description", "summary", "title", "example", "examples", "x-ms-examples"}


def document_pairs() -> list[tuple[str, str, str, Path, Path]]:
    """(document, from version, to version, from file, to file) for consecutive catalog versions."""
    catalog = yaml.safe_load((ROOT / "specs" / "catalog.yaml").read_text())["versions"]
    out = []
    for old, new in zip(catalog, catalog[1:]):
        for doc_old in old["documents"]:
            for doc_new in new["documents"]:
                names = {doc_old["document"], doc_new["document"]}
                same = doc_old["document"] == doc_new["document"] or names == {"inference", "v1"}
                if same and doc_old["file"] and doc_new["file"]:
                    out.append((doc_new["document"], old["id"], new["id"], UPSTREAM / doc_old["file"],
                                UPSTREAM / doc_new["file"]))
    return out


def run_redocly(cmd: list[str], a: Path, b: Path) -> tuple[float, dict | None, str]:
    started = time.perf_counter()
    proc = subprocess.run([*cmd, "diff", str(a), str(b), "--format", "json"], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    try:
        return elapsed, json.loads(proc.stdout), ""
    except json.JSONDecodeError:
        error = next((line for line in proc.stderr.splitlines() if "rror" in line or "annot" in line),
                     proc.stderr.strip()[:120])
        return elapsed, None, error


def run_ours(a: Path, b: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "aoai_changelog", "diff", str(a), str(b), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"aoai-changelog failed on {a} {b}: {proc.stderr}")
    return elapsed, json.loads(proc.stdout)


def classify_redocly(report: dict) -> dict:
    changes = report.get("changes", [])
    prose = [c for c in changes if c.get("property") in PROSE or any(f"/{p}" in c.get("path", "") for p in PROSE)]
    components = [c for c in changes if c.get("path", "").startswith("#/components")
                  or c.get("path", "").startswith("#/definitions")]
    return {"total": len(changes), "prose": len(prose), "components": len(components), "bump": report.get("bump")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redocly", default="npx --yes @redocly/cli@2.77.0", help="command that runs redocly")
    parser.add_argument("--pairs", type=int, default=0, help="only the first N document pairs (0: all)")
    args = parser.parse_args()
    if not UPSTREAM.is_dir():
        print(f"skipped: {UPSTREAM} is absent", file=sys.stderr)
        return 0
    cmd = shlex.split(args.redocly)
    pairs = document_pairs()
    if args.pairs:
        pairs = pairs[: args.pairs]
    print("| document | from → to | redocly changes | of which prose/examples | of which in components (no operation) "
          "| redocly error | ours: changes | ours: breaking | redocly s | ours s |")
    print("|---|---|---:|---:|---:|---|---:|---:|---:|---:|")
    totals = {"redocly_s": 0.0, "ours_s": 0.0, "failed": 0, "prose": 0, "components": 0, "redocly": 0, "ours": 0}
    for document, old, new, a, b in pairs:
        r_time, report, error = run_redocly(cmd, a, b)
        o_time, ours = run_ours(a, b)
        totals["redocly_s"] += r_time
        totals["ours_s"] += o_time
        if report is None:
            totals["failed"] += 1
            row = ["—", "—", "—", error.replace("|", "/")[:80]]
        else:
            r = classify_redocly(report)
            totals["prose"] += r["prose"]
            totals["components"] += r["components"]
            totals["redocly"] += r["total"]
            row = [str(r["total"]), str(r["prose"]), str(r["components"]), ""]
        totals["ours"] += ours["summary"]["total"]
        print(f"| {document} | {old} → {new} | " + " | ".join(row) +
              f" | {ours['summary']['total']} | {ours['summary']['breaking']} | {r_time:.2f} | {o_time:.2f} |")
    print()
    print(f"pairs: {len(pairs)}; redocly failed on {totals['failed']}; redocly changes {totals['redocly']} "
          f"(prose/examples {totals['prose']}, component-level {totals['components']}); ours {totals['ours']}; "
          f"wall time redocly {totals['redocly_s']:.1f} s, ours {totals['ours_s']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
