"""`load()`: opening a local package and a cached version, in this process and in fresh ones.

    python benchmarks/bench_load.py [--rounds 20]

Builds the bundled package, releases it, serves it on 127.0.0.1, loads it once (the
download), stops the server, then times:
- `python -c "import diplomatic_transcripts as dt; dt.load(path=...).turns"` in fresh
  processes (interpreter start and imports included); goal <= 0.3 s, best of the rounds;
  baseline in the same run: `python -c "import pyarrow.parquet"`, the reader it needs;
- the same for a cached released version (`dt.load("1.0.0", registry=...)`);
- a cached `load()` in this process (the call alone), against pyarrow reading the same
  Parquet files directly.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
GOAL_FRESH_S = 0.3


def fresh(code: str, rounds: int) -> list[float]:
    """Wall times of `python -c code`, each in a new process."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=20)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dt-bench-load-"))
    os.environ["DIPLOMATIC_TRANSCRIPTS_CACHE"] = str(work / "cache")
    from diplomatic_transcripts.build import build_package
    from diplomatic_transcripts.loader import load
    from diplomatic_transcripts.release import make_release

    build_package([ROOT / "datasets" / "sources"], work / "pkg")
    rel = make_release(work / "pkg", work / "dist" / "v1.0.0", base_url="http://unused.invalid")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(work / "dist"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    os.environ["DIPLOMATIC_TRANSCRIPTS_BASE_URL"] = f"http://127.0.0.1:{httpd.server_address[1]}"
    registry = str(rel.registry)
    t0 = time.perf_counter()
    load(rel.version, registry=registry)
    first = time.perf_counter() - t0
    httpd.shutdown()
    cached = []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        load(rel.version, registry=registry)
        cached.append(time.perf_counter() - t0)
    baseline = []
    folder = work / "cache" / rel.version
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        for f in folder.glob("*.parquet"):
            pq.read_table(f)
        baseline.append(time.perf_counter() - t0)
    # fresh processes, interleaved so that a slow spell of the machine hits both sides
    path_code = f"import diplomatic_transcripts as dt; dt.load(path={str(work / 'pkg')!r}).turns"
    version_code = f"import diplomatic_transcripts as dt; dt.load({rel.version!r}, registry={registry!r}).turns"
    floor_code = "import pyarrow.parquet"
    by_path, by_version, floor = [], [], []
    for _ in range(a.rounds):
        by_path += fresh(path_code, 1)
        by_version += fresh(version_code, 1)
        floor += fresh(floor_code, 1)
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"first load (download + verify + unpack): {first * 1000:.0f} ms")
    print(f"cached load(), in process: median {statistics.median(cached) * 1000:.1f} ms, max {max(cached) * 1000:.1f} ms; "
          f"pyarrow reading the same Parquet files: median {statistics.median(baseline) * 1000:.1f} ms "
          f"(ratio {statistics.median(cached) / statistics.median(baseline):.1f}x)")
    print(f"fresh process, `import pyarrow.parquet` alone: best {min(floor) * 1000:.0f} ms, "
          f"median {statistics.median(floor) * 1000:.0f} ms")
    print(f"fresh process, `dt.load(path=...).turns`: best {min(by_path) * 1000:.0f} ms, median "
          f"{statistics.median(by_path) * 1000:.0f} ms (goal <= {GOAL_FRESH_S * 1000:.0f} ms; "
          f"{min(by_path) / min(floor):.2f}x the pyarrow import)")
    print(f"fresh process, `dt.load({rel.version!r}).turns` from the cache: best {min(by_version) * 1000:.0f} ms, "
          f"median {statistics.median(by_version) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
