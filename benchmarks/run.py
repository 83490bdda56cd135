"""Speed figures, next to their baselines, in one run:

    .venv/bin/python benchmarks/run.py [--repeat N] [--redocly CMD | --no-redocly]

- pair diff from the committed snapshots (CLI wall time) vs parsing the two upstream files alone
  and vs `redocly diff` on the same upstream files;
- a `has` query vs a bare Python start;
- full regeneration of changelog/ (cold: no cache; warm: surface cache present), with peak memory.

Each figure is the median of --repeat runs of a fresh process. Nothing here is asserted: the
numbers are printed for people (and recorded in the README's performance section).
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = ROOT.parent / "shared" / "upstream"
CLI = [sys.executable, "-m", "aoai_changelog"]
SCRIPT = [str(Path(sys.executable).with_name("aoai-changelog"))]  # the console script a user runs
PAIRS = [("2024-08-01-preview", "2024-09-01-preview"), ("v1-preview", "v1")]


def wall(cmd: list[str], repeat: int, **kwargs) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, **kwargs)
        times.append(time.perf_counter() - started)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
    return statistics.median(times)


def upstream_files(version: str) -> list[Path]:
    import yaml

    catalog = yaml.safe_load((ROOT / "specs" / "catalog.yaml").read_text())["versions"]
    entry = next(v for v in catalog if v["id"] == version)
    return [UPSTREAM / d["file"] for d in entry["documents"] if d["file"]]


def peak_rss_mb_of(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(after, before) / 1024


def row(label: str, seconds: float) -> None:
    print(f"  {label:<66} {seconds * 1000:9.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description="aoai-changelog benchmarks")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--redocly", default="npx --yes @redocly/cli@2.77.0")
    parser.add_argument("--no-redocly", action="store_true")
    args = parser.parse_args()
    n = args.repeat
    print(f"aoai-changelog benchmarks (median of {n} fresh processes; Python {sys.version.split()[0]})")

    subprocess.run([*CLI, "build"], check=True, capture_output=True, cwd=ROOT)  # warm caches
    # Bytecode as a regular install has it (pip compiles wheels; an editable install does not, and
    # PYTHONDONTWRITEBYTECODE may be set): otherwise every run measures compiling our modules.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "scripts" / "aoai_changelog")], check=True)
    bare = wall([sys.executable, "-c", "pass"], n)
    print("\nstart-up")
    row("bare Python start (python -c pass)", bare)
    row("has max_completion_tokens --version 2024-08-01-preview",
        wall([*SCRIPT, "has", "max_completion_tokens", "--version", "2024-08-01-preview"], n, cwd=ROOT))
    has = wall([*SCRIPT, "has", "POST /chat/completions request store", "--version", "v1"], n, cwd=ROOT)
    row("has 'POST /chat/completions request store' --version v1", has)
    print(f"  {'':<66} has / bare start = {has / bare:.1f}")

    have_upstream = UPSTREAM.is_dir()
    for old, new in PAIRS:
        print(f"\npair diff {old} -> {new}")
        ours = wall([*CLI, "diff", old, new, "--format", "json"], n, cwd=ROOT)
        row("aoai-changelog diff (committed snapshots, JSON out)", ours)
        if not have_upstream:
            print("  (../shared/upstream absent: baselines on upstream files skipped)")
            continue
        files = upstream_files(old) + upstream_files(new)
        code = "import json,sys\nfor f in sys.argv[1:]: json.load(open(f))"
        parse = wall([sys.executable, "-c", code, *map(str, files)], n)
        row(f"baseline: parse the {len(files)} upstream JSON files alone", parse)
        if not args.no_redocly:
            total = 0.0
            pairs_run = 0
            for a, b in zip(upstream_files(old), upstream_files(new)):
                total += wall([*shlex.split(args.redocly), "diff", str(a), str(b), "--format", "json"], max(1, n // 2))
                pairs_run += 1
            row(f"baseline: redocly diff on the same upstream files ({pairs_run} document pair(s))", total)
            print(f"  {'':<66} redocly / ours = {total / ours:.1f}")

    print("\nfull regeneration")
    cache = ROOT / "build" / "cache"
    warm, warm_mb = peak_rss_mb_of([*CLI, "build", "--no-site"])
    shutil.rmtree(cache, ignore_errors=True)
    cold, cold_mb = peak_rss_mb_of([*CLI, "build", "--no-site"])
    site, site_mb = peak_rss_mb_of([*CLI, "build"])
    row("changelog/ only, cold (no cache: every surface computed)", cold)
    row("changelog/ only, warm (surface cache present)", warm)
    row("changelog/ + site pages + mkdocs build (warm)", site)
    print(f"  peak memory of a build: {max(warm_mb, cold_mb, site_mb):.0f} MB (largest child process)")
    sizes = {p.relative_to(ROOT).as_posix(): p.stat().st_size for p in (ROOT / "changelog").rglob("*") if p.is_file()}
    print(f"  changelog/: {len(sizes)} files, {sum(sizes.values()) / 1e6:.1f} MB")
    print(json.dumps({"bare_start_s": round(bare, 4), "has_s": round(has, 4)}, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
