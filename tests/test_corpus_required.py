"""Where the development corpus is missing, its tests skip with a reason on a user's clone and
fail under DT_REQUIRE_CORPUS=1 (as CI sets it) -- also the ones parametrized over its files,
whose parameter list would otherwise come out empty and be skipped silently."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def run_corpus_tests(require: bool, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIPLOMATIC_TRANSCRIPTS_CORPUS": str(tmp_path / "no-corpus-here")}
    env.pop("DT_REQUIRE_CORPUS", None)
    if require:
        env["DT_REQUIRE_CORPUS"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rfs", "-p", "no:cacheprovider",
                           "tests/test_corpus_text.py", "tests/test_truth.py"], capture_output=True, text=True,
                          cwd=ROOT, env=env)


def test_missing_corpus_skips_with_a_reason(tmp_path):
    r = run_corpus_tests(False, tmp_path)
    assert r.returncode == 0, r.stdout[-2000:]
    assert "development corpus not found" in r.stdout and "failed" not in r.stdout
    assert "empty parameter set" not in r.stdout


def test_missing_corpus_fails_when_ci_requires_it(tmp_path):
    r = run_corpus_tests(True, tmp_path)
    assert r.returncode == 1, r.stdout[-2000:]
    assert "CI requires it" in r.stdout and " skipped" not in r.stdout.splitlines()[-1]
    # the tests parametrized over corpus files fail too, rather than vanish
    assert "test_every_non_blank_line_is_accounted_for[corpus-missing]" in r.stdout
