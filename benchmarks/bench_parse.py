"""Parse throughput, full records included, against a bare line-splitting regex over the
same texts in the same process (the baseline), reported as a ratio.

    python benchmarks/bench_parse.py [--corpus ../shared/corpus] [--rounds 5]

Every round parses every text from scratch: nothing is cached by content.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from diplomatic_transcripts.parse.text import parse_text

ROOT = Path(__file__).resolve().parents[1]
LINE_SPLIT = re.compile(r"\r\n?|\n")


def texts_of(corpus: Path) -> list[str]:
    files = sorted((corpus / "statedept-text").glob("*.txt")) + sorted((corpus / "seed").glob("*.txt"))
    if not files:
        sys.exit(f"no texts under {corpus}")
    return [f.read_text(encoding="utf-8") for f in files]


def best_of(rounds: int, fn) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    texts = texts_of(a.corpus)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    # one-time loads (pycountry's tables, compiled patterns) with a text that is not the corpus's
    parse_text("A Title\n\nJane Q. Doe, Envoy\n\nLima, Peru\n\nMODERATOR: Hello (In Spanish.)\n\nMS DOE: Hi.\n")
    t0 = time.perf_counter()
    turns = sum(len(parse_text(t).turns) for t in texts)
    cold = time.perf_counter() - t0

    def parse_all():
        for t in texts:
            parse_text(t)

    def split_all():
        for t in texts:
            LINE_SPLIT.split(t)

    # interleave so both see the same machine load
    p_best, p_med = best_of(a.rounds, parse_all)
    s_best, s_med = best_of(a.rounds * 5, split_all)
    print(f"texts: {len(texts)} files, {mb:.2f} MB, {turns} turns")
    print(f"baseline (re.split line ends): {mb / s_best:8.1f} MB/s (median {mb / s_med:.1f})")
    print(f"parse_text, full records:      {mb / p_best:8.1f} MB/s (median {mb / p_med:.1f})")
    print(f"parse_text, first pass (memoized label and place look-ups still empty): {mb / cold:8.1f} MB/s")
    print(f"ratio parse/baseline, medians: {s_med / p_med:.3f} (goal >= 0.125); best of each {s_best / p_best:.3f}; "
          f"first pass vs median baseline {s_med / cold:.3f}")


if __name__ == "__main__":
    main()
