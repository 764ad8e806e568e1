"""A cached `load()`: time to open a version that is already downloaded and verified.

    python benchmarks/bench_load.py [--rounds 20]

Builds the bundled package, releases it, serves it on 127.0.0.1, loads it once (the
download), stops the server, then times further loads from the cache: in this process
(the call alone) and in fresh processes (interpreter start and imports included).
Baseline in the same run: reading the same Parquet files with pyarrow directly.
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
    fresh = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import diplomatic_transcripts as d; d.load({rel.version!r}, "
                        f"registry={registry!r})"], check=True)
        fresh.append(time.perf_counter() - t0)
    print(f"first load (download + verify + unpack): {first * 1000:.0f} ms")
    print(f"cached load(), in process: median {statistics.median(cached) * 1000:.1f} ms, max {max(cached) * 1000:.1f} ms "
          f"(goal < 500 ms)")
    print(f"baseline, pyarrow reading the same Parquet files: median {statistics.median(baseline) * 1000:.1f} ms "
          f"(ratio {statistics.median(cached) / statistics.median(baseline):.1f}x)")
    print(f"cached load() in a fresh process, imports included: median {statistics.median(fresh) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
