"""Shared fixtures.  Tests over the development corpus (../shared/corpus) skip with a reason
where it is absent, as on a user's fresh clone; CI sets DT_REQUIRE_CORPUS=1, which turns
that skip into a failure.  Likewise tests that need a tool from outside the test extra
(Debian's Chromium, a fresh virtual environment installed from the package index) skip
where it cannot be had; CI sets DT_REQUIRE_TOOLS=1, which turns that skip into a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "datasets" / "sources"
SEED = SOURCES / "2021-10-08-blinken-milenio-tv.txt"
CORPUS = Path(os.environ.get("DIPLOMATIC_TRANSCRIPTS_CORPUS", ROOT.parent / "shared" / "corpus"))


def seed_copies(folder: Path, n: int) -> Path:
    """A folder of `n` copies of the founding transcript, for tests that need volume."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        shutil.copy(SEED, folder / f"copy-{i:04d}.txt")
    return folder


def need_corpus(*parts: str) -> Path:
    """The corpus path asked for, or a skip (a failure under DT_REQUIRE_CORPUS=1)."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        message = f"development corpus not found at {path} (set DIPLOMATIC_TRANSCRIPTS_CORPUS)"
        if os.environ.get("DT_REQUIRE_CORPUS") == "1":
            pytest.fail(message + " — CI requires it")
        pytest.skip(message)
    return path


def corpus_text_files() -> list[Path]:
    folder = CORPUS / "statedept-text"
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


def corpus_params(paths: list[Path]) -> list:
    """Parameters for a test over corpus files: the files, or, where the corpus is absent, one
    placeholder whose test calls `need_corpus` and so skips (or fails under
    DT_REQUIRE_CORPUS=1).  Never an empty set, which pytest would skip silently."""
    if paths:
        return [pytest.param(p, id=p.name[:3]) for p in paths]
    return [pytest.param(None, id="corpus-missing")]


@pytest.fixture(scope="session")
def text_corpus() -> list[Path]:
    need_corpus("statedept-text")
    files = corpus_text_files()
    assert len(files) == 46, f"expected the 46 texts of statedept-text/, found {len(files)}"
    return files


@pytest.fixture(scope="session")
def feed_items_path() -> Path:
    return need_corpus("statedept-rss", "items.jsonl")


def need_tool(available: bool, message: str) -> None:
    """Go on when a tool is there; else skip with the reason (a failure under DT_REQUIRE_TOOLS=1)."""
    if available:
        return
    if os.environ.get("DT_REQUIRE_TOOLS") == "1":
        pytest.fail(message + " — CI requires it (DT_REQUIRE_TOOLS=1)")
    pytest.skip(message)


def isolated_venv(folder: Path, *installs: list[str]) -> Path:
    """A fresh virtual environment in `folder` with only what `installs` (pip argument lists)
    bring; returns its bin folder, or skips (fails under DT_REQUIRE_TOOLS=1) when pip cannot
    install them (no index reachable)."""
    import subprocess
    import sys

    bin_dir = folder / "bin"
    r = subprocess.run([sys.executable, "-m", "venv", str(folder)], capture_output=True, text=True)
    need_tool(r.returncode == 0, f"cannot create a virtual environment: {r.stderr.strip()[-500:]}")
    for args in installs:
        r = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-compile", "--disable-pip-version-check",
                            *args], capture_output=True, text=True, timeout=1200)
        need_tool(r.returncode == 0, f"pip install {' '.join(args)} failed in a fresh environment: "
                                     f"{r.stderr.strip()[-800:]}")
    return bin_dir


@pytest.fixture(scope="session")
def text_package(tmp_path_factory, text_corpus) -> Path:
    """The package built from the 46 texts of statedept-text/ (built once per session)."""
    from diplomatic_transcripts.build import build_package

    out = tmp_path_factory.mktemp("text-package") / "diplomatic-transcripts"
    report = build_package([CORPUS / "statedept-text"], out, version="1.0.0")
    assert report.written and not report.failed and not report.skipped
    return out
