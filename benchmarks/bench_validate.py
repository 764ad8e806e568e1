"""`validate` against `frictionless validate` on a package of >= 1,000,000 turns.

    python benchmarks/bench_validate.py [--turns 1000000] [--corpus ../shared/corpus]

Builds a package from the synthetic corpus of bench_build.py, then times, in separate
processes of the same run: `diplomatic-transcripts validate PACKAGE` (every resource,
Parquet and CSV, without --frictionless) and frictionless-py validating only the CSV
resources (its fastest path: no Parquet, no pandas).  Reports both times, their ratio,
the peak RSS of validate, and whether both found the same errors (none, on a clean build;
then one injected error in turns.csv, found by both).
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
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dt-bench-validate-"))
    try:
        size, n_turns = make_corpus(a.corpus, work / "src", a.turns)
        pkg = work / "pkg"
        subprocess.run([sys.executable, "-m", "diplomatic_transcripts", "build", str(work / "src"), "--out", str(pkg),
                        "--workers", "2"], check=True, capture_output=True)
        shutil.rmtree(work / "src")
        files = sum(p.stat().st_size for p in pkg.iterdir())
        print(f"package: {n_turns:,} turns, {files / 1e6:.0f} MB on disk")
        ours_t, ours_rss, ours_out = timed([sys.executable, "-m", "diplomatic_transcripts", "validate", str(pkg),
                                            "--format", "json"])
        print(f"validate (all resources, Parquet + CSV): {ours_t:7.1f} s, peak RSS {ours_rss:.0f} MB, "
              f"{len(json.loads(ours_out))} findings", flush=True)
        fr_t, fr_rss, fr_out = timed([sys.executable, "-c", FRICTIONLESS_CSV, str(pkg / "datapackage.json"), str(pkg)])
        fr = json.loads(fr_out.strip().splitlines()[-1])
        print(f"frictionless validate (CSV resources only): {fr_t:7.1f} s, peak RSS {fr_rss:.0f} MB, "
              f"{len(fr['errors'])} errors")
        print(f"ratio frictionless/validate: {fr_t / ours_t:.1f}x (goal >= 20x); validate peak RSS "
              f"{ours_rss:.0f} MB (goal <= 1024 MB)")
        # the same errors: one enum violation injected into markers.csv, found by both at the same row
        row = inject_enum_error(pkg / "markers.csv")
        refresh_resource_facts(pkg, "markers.csv")
        ours_t, _, ours_out = timed([sys.executable, "-m", "diplomatic_transcripts", "validate", str(pkg), "--format", "json"])
        ours = sorted((Path(f["path"]).name, f["code"], f["line"]) for f in json.loads(ours_out))
        fr_t, _, fr_out = timed([sys.executable, "-c", FRICTIONLESS_CSV, str(pkg / "datapackage.json"), str(pkg)])
        fr = json.loads(fr_out.strip().splitlines()[-1])["errors"]
        print(f"with one injected error in markers.csv row {row}: validate {ours_t:.1f} s found {ours}; "
              f"frictionless {fr_t:.1f} s found {fr}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
