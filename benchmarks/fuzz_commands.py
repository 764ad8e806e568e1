"""Structured fuzzing of every command with >= 10,000 generated malformed inputs.

    python benchmarks/fuzz_commands.py [--cases 10000] [--seed 0] [--command parse ...]

Runs the cases of `tests/fuzzing.py` in this process (typer's CliRunner on the command
line app; `load()` called directly): malformed feed lines, sidecars, HTML pages,
descriptors (datapackage.json), registries (releases.json) and package files, with wrong
types, missing keys, huge and odd values, spread over parse, validate, build, release,
query, download, cache and load.  The user's files are planted beside and inside every
folder the commands write.  Reports the number of cases per command, the time, and every
case that printed "internal error" or a traceback, exited outside 0/1/2 or against the
contract, or lost or changed a user file; exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzzing import COMMANDS, cases, clean_package, fresh, run_case  # noqa: E402


def _runner(command: str, work: Path, base: Path, n: int, counts: Counter, labels: Counter, problems: list):
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        fresh(work)
        case = data.draw(cases(work, base, command))
        counts[command] += 1
        labels[case.label] += 1
        problems.extend(run_case(case))

    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000, help="how many generated cases in all")
    ap.add_argument("--seed", type=int, default=0, help="hypothesis seed (the same seed, the same cases)")
    ap.add_argument("--command", action="append", choices=COMMANDS, help="only these commands")
    args = ap.parse_args()
    commands = args.command or list(COMMANDS)
    per_command = -(-args.cases // len(commands))
    counts: Counter = Counter()
    labels: Counter = Counter()
    problems: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dt-fuzz-") as tmp:
        base = Path(tmp)
        clean_package(base)
        for command in commands:
            t0 = time.perf_counter()
            seed(args.seed)(_runner(command, base / f"work-{command}", base, per_command, counts, labels, problems))()
            print(f"{command:<9} {counts[command]:>6} cases  {time.perf_counter() - t0:7.1f} s", flush=True)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    print(f"\n{total:,} cases in {elapsed:.1f} s ({1000 * elapsed / max(total, 1):.1f} ms a case)")
    print("by input: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    internal = sum("internal error" in p or "raised" in p or "Traceback" in p for p in problems)
    exits = sum("exit " in p for p in problems)
    lost = sum("the user's" in p for p in problems)
    print(f"internal errors or tracebacks: {internal}; exits against the contract: {exits}; user files lost or "
          f"changed: {lost}")
    for p in problems[:50]:
        print("  " + p)
    return 1 if problems or total < args.cases else 0


if __name__ == "__main__":
    sys.exit(main())
