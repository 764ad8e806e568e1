"""`validate` against `frictionless validate` on a package of >= 1,000,000 turns.

    python benchmarks/bench_validate.py [--turns 1000000] [--rounds 5] [--frictionless-rounds 2]

Builds a package from the synthetic corpus of bench_build.py, then times, in separate
processes of the same run: `diplomatic-transcripts validate PACKAGE` (every resource,
Parquet and CSV, without --frictionless) and frictionless-py validating only the CSV
resources (its fastest path: no Parquet, no pandas), each the best of its rounds (the two
alternating).  Reports both times, their ratio (goal >= 30x), the peak RSS of validate
(goal <= 1 GB), and whether both found the same errors: none on the clean build, then one
injected enum error in markers.csv, found by both at the same row.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_build import make_corpus  # noqa: E402

from tests.package_edits import refresh_resource_facts  # noqa: E402

FRICTIONLESS_CSV = r"""
import json, sys, frictionless
desc = json.load(open(sys.argv[1]))
desc["resources"] = [r for r in desc["resources"] if r["format"] == "csv"]
report = frictionless.Package(desc, basepath=sys.argv[2]).validate()
print(json.dumps({"valid": report.valid, "errors": [
    [t.name, e.type, getattr(e, "row_number", None)] for t in report.tasks for e in t.errors]}))
"""


WRAP = r"""
import resource, subprocess, sys, time
t0 = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(f"{time.perf_counter() - t0} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
sys.stdout.write(r.stdout)
"""


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall time and peak RSS of one command, measured by a fresh wrapper process."""
    r = subprocess.run([sys.executable, "-c", WRAP, *cmd], capture_output=True, text=True)
    seconds, rss_kb = r.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(rss_kb) / 1024, r.stdout


def inject_enum_error(path: Path) -> int:
    """Turn the kind of the middle marker into a value outside the enum; return its row number."""
    lines = path.read_bytes().split(b"\r\n")
    middle = len(lines) // 2
    for k in range(middle, len(lines)):
        for kind in (b',"inaudible",', b',"laughter",', b',"applause",'):
            if kind in lines[k]:
                lines[k] = lines[k].replace(kind, b',"wizard",', 1)
                path.write_bytes(b"\r\n".join(lines))
                return k + 1
    raise SystemExit("no marker to edit")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--turns", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5, help="rounds of validate")
    ap.add_argument("--frictionless-rounds", type=int, default=2, help="rounds of frictionless (a minute each)")
    a = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="dt-bench-validate-"))
    try:
        size, n_turns = make_corpus(a.corpus, work / "src", a.turns)
        pkg = work / "pkg"
        subprocess.run([sys.executable, "-m", "diplomatic_transcripts", "build", str(work / "src"), "--out", str(pkg),
                        "--workers", "2"], check=True, capture_output=True)
        shutil.rmtree(work / "src")
        files = sum(p.stat().st_size for p in pkg.iterdir())
        print(f"package: {n_turns:,} turns, {files / 1e6:.0f} MB on disk")
        ours_cmd = [sys.executable, "-m", "diplomatic_transcripts", "validate", str(pkg), "--format", "json"]
        fr_cmd = [sys.executable, "-c", FRICTIONLESS_CSV, str(pkg / "datapackage.json"), str(pkg)]
        ours_times, fr_times, ours_peak = [], [], 0.0
        for r in range(max(a.rounds, a.frictionless_rounds)):
            if r < a.rounds:
                ours_t, ours_rss, ours_out = timed(ours_cmd)
                ours_times.append(ours_t)
                ours_peak = max(ours_peak, ours_rss)
                print(f"round {r + 1}: validate (all resources, Parquet + CSV): {ours_t:6.2f} s, peak RSS "
                      f"{ours_rss:.0f} MB, {len(json.loads(ours_out))} findings", flush=True)
            if r < a.frictionless_rounds:
                fr_t, fr_rss, fr_out = timed(fr_cmd)
                fr_times.append(fr_t)
                fr = json.loads(fr_out.strip().splitlines()[-1])
                print(f"round {r + 1}: frictionless validate (CSV resources only): {fr_t:6.2f} s, peak RSS "
                      f"{fr_rss:.0f} MB, {len(fr['errors'])} errors", flush=True)
        print(f"best of rounds: validate {min(ours_times):.2f} s, frictionless {min(fr_times):.2f} s: ratio "
              f"{min(fr_times) / min(ours_times):.1f}x (goal >= 30x); validate peak RSS {ours_peak:.0f} MB "
              f"(goal <= 1024 MB); load average {os.getloadavg()[0]:.2f}")
        # the same errors: one enum violation injected into markers.csv, found by both at the same row
        row = inject_enum_error(pkg / "markers.csv")
        refresh_resource_facts(pkg, "markers.csv")
        ours_t, _, ours_out = timed([sys.executable, "-m", "diplomatic_transcripts", "validate", str(pkg), "--format", "json"])
        ours = sorted((Path(f["path"]).name, f["code"], f["line"]) for f in json.loads(ours_out))
        fr_t, _, fr_out = timed([sys.executable, "-c", FRICTIONLESS_CSV, str(pkg / "datapackage.json"), str(pkg)])
        fr = json.loads(fr_out.strip().splitlines()[-1])["errors"]
        same = [(p, line) for p, _, line in ours] == [(f"{name.removesuffix('-csv')}.csv", n) for name, _, n in fr]
        print(f"with one injected error in markers.csv row {row}: validate {ours_t:.1f} s found {ours}; "
              f"frictionless {fr_t:.1f} s found {fr}; the same file and row: {'yes' if same else 'NO'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
