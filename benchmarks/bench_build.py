"""Build throughput, speed-up and memory on a synthetic corpus of >= 1,000,000 turns.

    python benchmarks/bench_build.py [--turns 1000000] [--small 100000] [--rounds 3] [--corpus ../shared/corpus]

The development texts are repeated under new ids, each copy varied (every line carries
its copy number), so nothing can be reused by content.  Each build runs in its own
process, with 1 and with 2 workers, at a small and the full size, for several rounds (the
order of 1 and 2 workers alternating); each figure is the best of the rounds, and each
ratio is between figures of this same run.  Reported: seconds, MB/s of source text, the
peak RSS of the main process (its own getrusage) and of every other process of the build
(VmHWM, read from /proc by this process while they live: Linux), and whether the 1- and
2-worker packages are the same bytes.

Goals: 2 workers >= 1.6x the speed of 1 worker at both sizes; >= 15 MB/s with 2 workers at
the full size; every process <= 512 MB, and flat from the small to the full size (the
peaks at the full size <= 1.1x those at the small size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from diplomatic_transcripts.build import build_package

src, out, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
report = build_package([src], out, workers=workers)
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "rows": report.row_counts,
                  "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

GOAL_SPEEDUP = 1.6
GOAL_MB_S = 15.0
GOAL_RSS_MB = 512
GOAL_FLAT = 1.1


def make_corpus(corpus: Path, folder: Path, target_turns: int) -> tuple[int, int]:
    """Copies of the development texts, each line tagged with its copy number; (bytes, turns)."""
    from diplomatic_transcripts.parse.text import parse_text

    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((corpus / "statedept-text").glob("*.txt"))]
    per_round = sum(len(parse_text(t).turns) for _, t in texts)
    rounds = -(-target_turns // per_round)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for k in range(rounds):
        for stem, text in texts:
            varied = "\n".join(f"{line} #{k}" if line.strip() else line for line in text.split("\n"))
            data = varied.encode("utf-8")
            (folder / f"{stem}-copy-{k:05d}.txt").write_bytes(data)
            total += len(data)
    return total, rounds * per_round


def _descendants(root: int) -> set[int]:
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parents[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = set(), {root}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _peak_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_build(src: Path, out: Path, workers: int) -> dict:
    """One build in a fresh process; the peak RSS of its other processes read from outside it."""
    shutil.rmtree(out, ignore_errors=True)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(src), str(out), str(workers)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    others: dict[int, int] = {}
    while child.poll() is None:
        for pid in _descendants(child.pid):
            others[pid] = max(others.get(pid, 0), _peak_kb(pid))
        time.sleep(0.1)
    stdout, stderr = child.communicate()
    if child.returncode:
        sys.exit(stderr)
    res = json.loads(stdout.strip().splitlines()[-1])
    res["other_rss_mb"] = max(others.values(), default=0) / 1024
    res["descriptor"] = (out / "datapackage.json").read_bytes()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--turns", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the synthetic corpus and packages")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dt-bench-"))
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    try:
        best: dict[tuple[str, int], dict] = {}
        sizes = {}
        same = True
        for label, turns in (("small", a.small), ("full", a.turns)):
            src = work / f"src-{label}"
            size, n_turns = make_corpus(a.corpus, src, turns)
            sizes[label] = (size, n_turns)
            for r in range(a.rounds):
                descriptors = {}
                for workers in ((1, 2) if r % 2 == 0 else (2, 1)):
                    res = run_build(src, work / f"pkg-{label}-{workers}", workers)
                    descriptors[workers] = res.pop("descriptor")
                    print(f"{label:5} {n_turns:>9,} turns {size / 1e6:6.1f} MB round {r + 1} workers={workers}: "
                          f"{res['seconds']:6.2f} s {size / 1e6 / res['seconds']:5.1f} MB/s  peak RSS main "
                          f"{res['main_rss_mb']:.0f} MB, other processes {res['other_rss_mb']:.0f} MB", flush=True)
                    b = best.setdefault((label, workers), {"seconds": res["seconds"], "main_rss_mb": 0,
                                                           "other_rss_mb": 0})
                    b["seconds"] = min(b["seconds"], res["seconds"])
                    b["main_rss_mb"] = max(b["main_rss_mb"], res["main_rss_mb"])
                    b["other_rss_mb"] = max(b["other_rss_mb"], res["other_rss_mb"])
                same = same and descriptors[1] == descriptors[2]
            if not a.keep:
                shutil.rmtree(src, ignore_errors=True)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print(f"best of {a.rounds} rounds:")
        for label in ("small", "full"):
            one, two = best[(label, 1)], best[(label, 2)]
            print(f"  {label}: 1 worker {one['seconds']:.2f} s, 2 workers {two['seconds']:.2f} s: speed-up "
                  f"{one['seconds'] / two['seconds']:.2f}x (goal >= {GOAL_SPEEDUP}x)")
        size = sizes["full"][0]
        print(f"  throughput with 2 workers (full): {size / 1e6 / best[('full', 2)]['seconds']:.1f} MB/s "
              f"(goal >= {GOAL_MB_S:.0f} MB/s)")
        for workers in (1, 2):
            s, f = best[("small", workers)], best[("full", workers)]
            print(f"  peak RSS, {workers} worker(s), small -> full: main {s['main_rss_mb']:.0f} -> "
                  f"{f['main_rss_mb']:.0f} MB ({f['main_rss_mb'] / s['main_rss_mb']:.2f}x)"
                  + (f", other processes {s['other_rss_mb']:.0f} -> {f['other_rss_mb']:.0f} MB "
                     f"({f['other_rss_mb'] / max(s['other_rss_mb'], 1):.2f}x)" if workers > 1 else "")
                  + f" (goal each <= {GOAL_RSS_MB} MB, full/small <= {GOAL_FLAT}x)")
        print(f"  1- and 2-worker packages the same bytes: {'yes' if same else 'NO'}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
