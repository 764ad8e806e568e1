"""The package ships py.typed: its annotations must hold (mypy over the library)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_library_type_checks():
    r = subprocess.run([sys.executable, "-m", "mypy", "diplomatic_transcripts", "--ignore-missing-imports",
                        "--cache-dir", str(ROOT / ".mypy_cache")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
