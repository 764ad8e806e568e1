"""`export --to sqlite` of a package of >= 1,000,000 turns, next to the build of that package,
and the latency of a full-text query on the result.

    python benchmarks/bench_export.py [--turns 1000000] [--workers 2] [--corpus ../shared/corpus]

The package is synthesised as bench_build.py does (the development texts repeated under new
ids, every line tagged with its copy number) and built with `build` in its own process;
then `export --to sqlite` runs in its own process.  Reported: both times, their ratio, the
peak RSS of the export, the database's size, and the latency of an FTS5 phrase query (six
consecutive words of a turn, a different turn each time; all matching turns fetched),
median and spread of 20 queries on the exported file.  Times are best of `--rounds`
(default 1: the build of a million turns takes minutes).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import make_corpus  # noqa: E402

BUILD = r"""
import json, sys, time
from pathlib import Path
from diplomatic_transcripts.build import build_package
t0 = time.perf_counter()
report = build_package([Path(sys.argv[1])], Path(sys.argv[2]), workers=int(sys.argv[3]))
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": report.row_counts}))
"""

EXPORT = r"""
import json, resource, sys, time
from pathlib import Path
from diplomatic_transcripts.export.sqlite import export_sqlite
t0 = time.perf_counter()
report = export_sqlite(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": report.row_counts,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict:
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def phrases(db: Path, n: int, seed: int = 7) -> list[str]:
    """`n` phrases of six consecutive plain words (each one FTS token), each from a different turn."""
    con = sqlite3.connect(db)
    try:
        total = con.execute("SELECT max(rowid) FROM turns").fetchone()[0]
        rng = random.Random(seed)
        out: list[str] = []
        while len(out) < n:
            row = con.execute("SELECT text FROM turns WHERE rowid = ?", [rng.randint(1, total)]).fetchone()
            tokens = row[0].split() if row else []
            windows = [i for i in range(len(tokens) - 5) if all(w.isalpha() for w in tokens[i:i + 6])]
            if windows:
                i = rng.choice(windows)
                out.append('"' + " ".join(tokens[i:i + 6]) + '"')
        return out
    finally:
        con.close()


def query_latencies(db: Path, queries: list[str]) -> list[tuple[float, int]]:
    """(milliseconds, hits) of each query, on a fresh connection as a server would hold."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    sql = ("SELECT transcript_id, turn_index FROM turns WHERE rowid IN "
           "(SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)")
    try:
        out = []
        for q in queries:
            t0 = time.perf_counter()
            hits = con.execute(sql, [q]).fetchall()
            out.append(((time.perf_counter() - t0) * 1000, len(hits)))
        return out
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--turns", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--keep", action="store_true", help="keep the synthetic corpus, package and database")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dt-bench-export-"))
    try:
        src, pkg, db = work / "src", work / "pkg", work / "turns.db"
        size, n_turns = make_corpus(a.corpus, src, a.turns)
        builds, exports = [], []
        for _ in range(a.rounds):
            shutil.rmtree(pkg, ignore_errors=True)
            builds.append(run(BUILD, str(src), str(pkg), str(a.workers)))
            exports.append(run(EXPORT, str(pkg), str(db)))
        build = min(builds, key=lambda r: r["seconds"])
        export = min(exports, key=lambda r: r["seconds"])
        rows = export["rows"]
        assert rows["turns"] == build["rows"]["turns"] >= a.turns, (rows, build["rows"])
        print(f"package: {rows['turns']:,} turns, {rows['transcripts']:,} transcripts, {rows['markers']:,} markers "
              f"({size / 1e6:.0f} MB of source text)")
        print(f"build ({a.workers} workers): {build['seconds']:7.1f} s")
        print(f"export --to sqlite:   {export['seconds']:7.1f} s  = {export['seconds'] / build['seconds']:.2f}x the build; "
              f"peak RSS {export['rss_mb']:.0f} MB; database {db.stat().st_size / 1e6:.0f} MB")
        lat = query_latencies(db, phrases(db, a.queries))
        ms = sorted(m for m, _ in lat)
        print(f"FTS5 phrase query, {len(ms)} different phrases: median {statistics.median(ms):.2f} ms "
              f"(min {ms[0]:.2f}, max {ms[-1]:.2f}); hits per query median {statistics.median(h for _, h in lat):.0f}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")


if __name__ == "__main__":
    main()
