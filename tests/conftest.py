"""Shared fixtures.  Tests over the development corpus (../shared/corpus) skip with a reason
where it is absent, as on a user's fresh clone; CI sets DT_REQUIRE_CORPUS=1, which turns
that skip into a failure."""

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
