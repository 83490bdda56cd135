"""Performance goals, each measured in one run next to its baseline, printed with the ratio:

    .venv/bin/python benchmarks/run.py [--repeat N] [--builds N] [--skip-site] [--only SECTION]

1. raw-file diff (two upstream `inference.json`, 415 KB each) vs a bare `json.load` of the same
   two files (start-up included) and vs oasdiff (`../shared/peers/oasdiff changelog A B`), with
   where our time goes, stage by stage (benchmarks/stages.py);
2. cold `build --no-site` (no cache) vs parsing every snapshot in specs/ in a fresh process;
3. peak memory (max RSS of the largest process) of `build` (site included) and of each query;
4. first query on a fresh clone (no build/ cache) and on a fresh install (the wheel, no user cache)
   vs a bare Python start;
5. size of the generated data that is committed (changelog/ as `build` writes it).

Times are medians of --repeat fresh processes (builds: --builds). Nothing is asserted: the
numbers are for people, and the README's performance table is copied from this output. The
machine is shared: read the ratios, not the absolute times. `build` rewrites changelog/ in this
checkout (restore it with git if it is not to be committed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = ROOT.parent / "shared" / "upstream"
OASDIFF = ROOT.parent / "shared" / "peers" / "oasdiff"
PAIR = ("2024-08-01-preview", "2024-09-01-preview")
INFERENCE = ("azure-rest-api-specs/specification/cognitiveservices/data-plane/AzureOpenAI/inference/preview/"
             "{}/inference.json")
SCRIPT = str(Path(sys.executable).with_name("aoai-changelog"))  # the console script a user runs
PY = sys.executable
STAGES = ("start-up", "imports", "load", "normalise", "surface", "diff", "output")


def _in_option() -> str:
    """`has --in V` (older checkouts spelled it `--version V`): the benchmark runs on either."""
    usage = subprocess.run([SCRIPT, "has", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    return "--in" if "--in V" in usage else "--version"


IN = _in_option()


def peak_mb(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of `cmd`, measured by a fresh helper process that runs only it."""
    probe = ("import resource,subprocess,sys,time\n"
             "t=time.perf_counter();r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)\n"
             "w=time.perf_counter()-t\n"
             "sys.stderr.write(r.stderr.decode(errors='replace')[-2000:]) if r.returncode not in (0,1) else None\n"
             "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024, r.returncode)")
    proc = subprocess.run([PY, "-c", probe, *cmd], cwd=cwd, capture_output=True, text=True)
    try:
        wall, mb, rc = proc.stdout.split()
    except ValueError:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}") from None
    if rc not in ("0", "1"):
        raise SystemExit(f"failed ({rc}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return float(wall), float(mb)


def median_wall(cmd: list[str], repeat: int, cwd: Path = ROOT, before=None, env: dict | None = None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"failed ({proc.returncode}): "
                             f"{' '.join(cmd)}\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def goal(label: str, ours: str, baseline: str, ratio: float, target: str, met: bool) -> dict:
    print(f"  GOAL {label}: {ours} vs {baseline} = {ratio:.1f}x (goal {target}: {'met' if met else 'NOT met'})")
    return {"goal": label, "ours": ours, "baseline": baseline, "ratio": round(ratio, 2), "target": target, "met": met}


def raw_file_diff(repeat: int, results: list) -> None:
    print(f"\n1. raw-file diff: {PAIR[0]} -> {PAIR[1]} inference.json (upstream files)")
    if not UPSTREAM.is_dir():
        print(f"  skipped: {UPSTREAM} absent (the upstream files are the input of this benchmark)")
        return
    a, b = (str(UPSTREAM / INFERENCE.format(v)) for v in PAIR)
    bare = [PY, "-c", "import json,sys\nfor f in sys.argv[1:]: json.load(open(f))", a, b]
    ours = [SCRIPT, "diff", a, b, "--format", "json"]
    peer = [str(OASDIFF), "changelog", a, b]
    have_peer = OASDIFF.is_file() and os.access(OASDIFF, os.X_OK)
    # Interleaved, so that a change of machine load hits all three alike.
    times: dict[str, list[float]] = {"ours": [], "bare": [], "peer": []}
    stages: list[dict] = []
    median_wall(ours, 1)  # warm the file cache
    for _ in range(repeat):
        times["ours"].append(median_wall(ours, 1))
        times["bare"].append(median_wall(bare, 1))
        if have_peer:
            times["peer"].append(median_wall(peer, 1))
        stages.append(json.loads(subprocess.run([PY, str(ROOT / "benchmarks" / "stages.py"), a, b], check=True,
                                                capture_output=True, text=True, cwd=ROOT).stdout))
    t_ours, t_bare = statistics.median(times["ours"]), statistics.median(times["bare"])
    print(f"  aoai-changelog diff A B --format json      {ms(t_ours):>10}")
    print(f"  baseline: python json.load of A and B      {ms(t_bare):>10}")
    if have_peer:
        t_peer = statistics.median(times["peer"])
        print(f"  peer: oasdiff changelog A B                {ms(t_peer):>10}   "
              f"(ours / oasdiff = {t_ours / t_peer:.2f}; oasdiff / bare parse = {t_peer / t_bare:.1f}x)")
    else:
        print(f"  peer: oasdiff skipped: {OASDIFF} absent or not executable")
    print("  where our time goes (stages.py, same pipeline in one process, one stage after the other: the command")
    print("  reads and walks B on the other core while it reads and walks A; medians):")
    for stage in STAGES:
        print(f"    {stage:<10} {ms(statistics.median(s[stage] for s in stages)):>10}")
    print(f"    {'total':<10} {ms(statistics.median(s['total'] for s in stages)):>10}")
    results.append(goal("raw-file diff / bare parse", ms(t_ours), ms(t_bare), t_ours / t_bare, "<= 5.8x",
                        t_ours / t_bare <= 5.8))


def snapshot_parse(repeat: int) -> float:
    files = sorted(str(p) for p in (ROOT / "specs").rglob("*.json"))
    parse_all = "import json,sys\nfor f in sys.argv[1:]: json.load(open(f))"
    return median_wall([PY, "-c", parse_all, *files], repeat), len(files)


def builds(repeat: int, builds_n: int, skip_site: bool, results: list) -> None:
    cache = ROOT / "build" / "cache"
    parse, count = snapshot_parse(repeat)
    print(f"\n2. cold build --no-site vs parsing all {count} snapshots of specs/")
    colds, cold_mb = [], 0.0
    for _ in range(builds_n):
        shutil.rmtree(cache, ignore_errors=True)
        wall, mb = peak_mb([SCRIPT, "build", "--no-site"])
        colds.append(wall)
        cold_mb = max(cold_mb, mb)
    cold = statistics.median(colds)
    warm, warm_mb = peak_mb([SCRIPT, "build", "--no-site"])
    print(f"  build --no-site, cold (no build/cache)     {ms(cold):>10}   peak {cold_mb:.0f} MB")
    print(f"  build --no-site, warm (surface cache)      {ms(warm):>10}   peak {warm_mb:.0f} MB")
    print(f"  baseline: json.load of every snapshot      {ms(parse):>10}")
    results.append(goal("cold build --no-site / snapshot parse", ms(cold), ms(parse), cold / parse, "<= 20x",
                        cold / parse <= 20))

    print("\n3. peak memory (max RSS of the largest process)")
    if skip_site:
        print("  build with the site: skipped (--skip-site)")
        build_mb = max(cold_mb, warm_mb)
    else:
        site, build_mb = peak_mb([SCRIPT, "build"])
        print(f"  build (changelog/ + site + mkdocs), warm  {ms(site):>10}   peak {build_mb:.0f} MB")
    results.append(goal("peak RSS of build", f"{build_mb:.0f} MB", "300 MB", build_mb / 300, "< 300 MB",
                        build_mb < 300))
    queries = {
        "has 'POST /chat/completions request store' --in v1":
            [SCRIPT, "has", "POST /chat/completions request store", IN, "v1"],
        "history 'POST /chat/completions request stream_options'":
            [SCRIPT, "history", "POST /chat/completions request stream_options"],
        "show v1": [SCRIPT, "show", "v1"],
        "diff 2024-10-21 v1 --format json": [SCRIPT, "diff", "2024-10-21", "v1", "--format", "json"],
        "diff v1-preview v1 --format markdown": [SCRIPT, "diff", "v1-preview", "v1", "--format", "markdown"],
        "versions": [SCRIPT, "versions"],
    }
    if UPSTREAM.is_dir():
        a, b = (str(UPSTREAM / INFERENCE.format(v)) for v in PAIR)
        queries["diff A B (raw upstream files)"] = [SCRIPT, "diff", a, b, "--format", "json"]
    worst = 0.0
    for label, cmd in queries.items():
        _, mb = peak_mb(cmd)
        worst = max(worst, mb)
        print(f"  {label:<58} {mb:6.0f} MB")
    results.append(goal("peak RSS of any query", f"{worst:.0f} MB", "100 MB", worst / 100, "< 100 MB", worst < 100))


def first_query(repeat: int, results: list) -> None:
    print("\n4. first query on a fresh clone (committed files only, no build/ cache) and on a fresh install "
          "(the wheel, no user cache) vs bare Python start")
    query = ["has", "POST /chat/completions request store", IN, "v1"]
    with tempfile.TemporaryDirectory(prefix="aoai-bench-") as tmp:
        clone = Path(tmp) / "clone"
        for part in ("specs", "changelog", "schema"):
            shutil.copytree(ROOT / part, clone / part)

        def fresh() -> None:
            shutil.rmtree(clone / "build", ignore_errors=True)

        cmd = [SCRIPT, "--root", str(clone), *query]
        first = median_wall(cmd, repeat, before=fresh)
        later = median_wall(cmd, repeat)
        installed, cache = _install_wheel(Path(tmp)), Path(tmp) / "user-cache"
        # The installed package answers: run from a folder outside any checkout, with it first on the path.
        run = [PY, "-c", "import sys; from aoai_changelog.cli import main; sys.exit(main())", *query]
        env = {**os.environ, "PYTHONPATH": str(installed), "XDG_CACHE_HOME": str(cache)}
        env.pop("AOAI_CHANGELOG_ROOT", None)
        elsewhere = Path(tmp) / "elsewhere"
        elsewhere.mkdir()
        first_installed = median_wall(run, repeat, cwd=elsewhere, env=env,
                                      before=lambda: shutil.rmtree(cache, ignore_errors=True))
    bare = median_wall([PY, "-c", "pass"], repeat)
    print(f"  has ... --in v1, first run on a fresh clone     {ms(first):>10}")
    print(f"  has ... --in v1, later runs                     {ms(later):>10}   ({later / bare:.1f}x bare start)")
    print(f"  has ... --in v1, first run on a fresh install   {ms(first_installed):>10}")
    print(f"  baseline: python -c pass                        {ms(bare):>10}")
    results.append(goal("first query on a fresh clone / bare start", ms(first), ms(bare), first / bare, "<= 5x",
                        first / bare <= 5))
    results.append(goal("first query on a fresh install / bare start", ms(first_installed), ms(bare),
                        first_installed / bare, "<= 5x", first_installed / bare <= 5))


def _install_wheel(tmp: Path) -> Path:
    """The wheel of this checkout (built from a copy of its sources: pip writes build/ beside them),
    installed without dependencies into a folder; returns that folder."""
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for folder in ("scripts", "specs", "schema", "changelog"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run([PY, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"),
                    str(source)], check=True, capture_output=True)
    target = tmp / "installed"
    subprocess.run([PY, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                    str(next((tmp / "dist").glob("aoai_changelog-*.whl")))], check=True, capture_output=True)
    subprocess.run([PY, "-m", "compileall", "-q", str(target / "aoai_changelog")], check=True)  # as pip does
    return target


def committed_size(results: list) -> None:
    print("\n5. generated data that is committed (changelog/ as written by build)")
    files = [p for p in (ROOT / "changelog").rglob("*") if p.is_file()]
    groups: dict[str, int] = {}
    for p in files:
        rel = p.relative_to(ROOT / "changelog").as_posix()
        group = "diffs/*.json" if rel.startswith("diffs/") and rel.endswith(".json") else \
            "diffs/*.md" if rel.startswith("diffs/") else rel if "/" not in rel else rel.split("/")[0] + "/"
        groups[group] = groups.get(group, 0) + p.stat().st_size
    for group, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {group:<30} {size / 1e6:8.2f} MB")
    total = sum(groups.values()) / 1e6
    print(f"  {'total':<30} {total:8.2f} MB in {len(files)} files")
    results.append(goal("committed generated data", f"{total:.1f} MB", "25 MB", total / 25, "< 25 MB", total < 25))


def committed_pair(repeat: int) -> None:
    print(f"\n(kept) diff between committed versions {PAIR[0]} -> {PAIR[1]} (cached surfaces)")
    print(f"  aoai-changelog diff {PAIR[0]} {PAIR[1]} --format json  "
          f"{ms(median_wall([SCRIPT, 'diff', *PAIR, '--format', 'json'], repeat)):>10}")
    bare = median_wall([PY, "-c", "pass"], repeat)
    has = median_wall([SCRIPT, "has", "POST /chat/completions request store", IN, "v1"], repeat)
    print(f"  has (warm cache) / bare start = {has / bare:.1f}x ({ms(has)} / {ms(bare)})")


def main() -> int:
    parser = argparse.ArgumentParser(description="aoai-changelog performance goals")
    parser.add_argument("--repeat", type=int, default=9, help="fresh processes per timing (median)")
    parser.add_argument("--builds", type=int, default=1, help="cold builds to time (median)")
    parser.add_argument("--skip-site", action="store_true", help="no full build with the site (mkdocs)")
    parser.add_argument("--only", choices=("diff", "build", "first", "size"), help="one section only")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"aoai-changelog performance goals (medians of {args.repeat} fresh processes; Python "
          f"{sys.version.split()[0]}; {os.cpu_count()} CPUs; load average {load:.1f} at start)")
    # Bytecode as a regular install has it (pip compiles wheels; an editable install does not, and
    # PYTHONDONTWRITEBYTECODE may be set): otherwise every run measures compiling our modules.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "scripts" / "aoai_changelog")], check=True)
    results: list[dict] = []
    if args.only in (None, "diff"):
        raw_file_diff(args.repeat, results)
    if args.only in (None, "build"):
        builds(args.repeat, args.builds, args.skip_site, results)
    if args.only in (None, "first"):
        first_query(args.repeat, results)
    if args.only in (None, "size"):
        committed_size(results)
    if args.only is None:
        committed_pair(args.repeat)
    print("\nsummary")
    for r in results:
        print(f"  {r['goal']:<45} {r['ours']:>10} vs {r['baseline']:>10}  {r['ratio']:5.1f}x  goal {r['target']:<9} "
              f"{'met' if r['met'] else 'NOT met'}")
    print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
