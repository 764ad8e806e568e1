"""Build throughput and memory on a synthetic corpus of >= 1,000,000 turns.

    python benchmarks/bench_build.py [--turns 1000000] [--small 100000] [--corpus ../shared/corpus]

The development texts are repeated under new ids, each copy varied (every line carries
its copy number), so nothing can be reused by content.  Each build runs in its own
process; reported: MB/s of source text, peak RSS of the main process and of the largest
worker, for 1 and 2 workers, and at a small and the full size (memory should be flat).
Figures are ratios against the 1-worker run of the same size, measured in the same run.
Worker peaks are read from /proc (VmHWM) while the workers live (Linux).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, resource, sys, threading, time
from pathlib import Path
from diplomatic_transcripts.build import build_package

peaks = {}  # pid -> peak RSS (VmHWM) of every process below this one, read from /proc while they live


def descendants(root):
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parents[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, frontier = set(), {root}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def watch(stop):
    while not stop.is_set():
        for pid in descendants(os.getpid()):
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
            except OSError:
                pass
        stop.wait(0.2)


stop = threading.Event()
threading.Thread(target=watch, args=(stop,), daemon=True).start()
src, out, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
report = build_package([src], out, workers=workers)
elapsed = time.perf_counter() - t0
stop.set()
print(json.dumps({"seconds": elapsed, "rows": report.row_counts,
                  "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss_mb": max(peaks.values(), default=0) / 1024}))
"""


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


def run_build(src: Path, out: Path, workers: int) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run([sys.executable, "-c", CHILD, str(src), str(out), str(workers)], capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--turns", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true", help="keep the synthetic corpus and packages")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dt-bench-"))
    try:
        results = {}
        for label, turns in (("small", a.small), ("full", a.turns)):
            src = work / f"src-{label}"
            size, n_turns = make_corpus(a.corpus, src, turns)
            for workers in (1, 2):
                res = run_build(src, work / f"pkg-{label}-{workers}", workers)
                res["mb_per_s"] = size / 1e6 / res["seconds"]
                results[(label, workers)] = res
                print(f"{label:5} {n_turns:>9,} turns {size / 1e6:7.1f} MB  workers={workers}: "
                      f"{res['seconds']:6.1f} s  {res['mb_per_s']:5.1f} MB/s  "
                      f"peak RSS main {res['main_rss_mb']:.0f} MB, worker {res['worker_rss_mb']:.0f} MB  "
                      f"rows {res['rows']['turns']:,}", flush=True)
            shutil.rmtree(src, ignore_errors=True)
        full1, full2 = results[("full", 1)], results[("full", 2)]
        small2 = results[("small", 2)]
        print(f"speed-up 2 workers vs 1 (full): {full1['seconds'] / full2['seconds']:.2f}x (goal >= 1.4x)")
        print(f"throughput with 2 workers (full): {full2['mb_per_s']:.1f} MB/s (goal >= 10 MB/s)")
        print(f"peak RSS full/small, 2 workers: main {full2['main_rss_mb'] / small2['main_rss_mb']:.2f}x, "
              f"worker {full2['worker_rss_mb'] / max(small2['worker_rss_mb'], 1):.2f}x (flat ~1.0; each <= 512 MB)")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
