"""`export PACKAGE --to convokit OUT`: ConvoKit loads the corpus, and it holds the package.

The export itself needs no ConvoKit; the loading test does.  ConvoKit's full install pulls
torch and more (GBs); `import convokit` 5.0 needs only the few packages in CONVOKIT_IMPORT,
so the test makes a fresh environment (once per session, about half a minute) with
convokit installed without its dependencies plus those, and loads the corpus there.
Expected values come from the package's Parquet tables, read here with pyarrow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diplomatic_transcripts.export.convokit import FILES, export_convokit
from tests.conftest import ROOT, isolated_venv

CLI = [sys.executable, "-m", "diplomatic_transcripts"]
BUNDLED = ROOT / "datasets" / "diplomatic-transcripts"
CONVOKIT = "convokit==5.0.0"
# What `import convokit` 5.0.0 imports at load time (found by importing it in an empty environment).
CONVOKIT_IMPORT = ["pyyaml", "requests", "numpy", "pandas", "scipy", "tqdm", "pymongo", "scikit-learn"]

LOAD = r"""
import json, sys
from convokit import Corpus
corpus = Corpus(filename=sys.argv[1])
out = {
    "utterances": [[u.id, u.conversation_id, u.speaker.id, u.reply_to, u.timestamp, u.text,
                    u.meta["exchange_index"], len(u.meta["markers"])] for u in corpus.iter_utterances()],
    "speakers": {s.id: dict(s.meta) for s in corpus.iter_speakers()},
    "conversations": {c.id: {"title": c.meta["title"], "date": c.meta["date"], "n_turns": c.meta["n_turns"],
                             "speakers": c.meta["speakers"], "utterances": c.get_utterance_ids()}
                      for c in corpus.iter_conversations()},
    "reply_targets_found": all(corpus.get_utterance(u.reply_to).conversation_id == u.conversation_id
                               for u in corpus.iter_utterances() if u.reply_to is not None),
}
json.dump(out, open(sys.argv[2], "w"))
"""


@pytest.fixture(scope="session")
def convokit_python(tmp_path_factory) -> Path:
    bin_dir = isolated_venv(tmp_path_factory.mktemp("convokit") / "venv", ["--no-deps", CONVOKIT], CONVOKIT_IMPORT)
    return bin_dir / "python"


def table(folder: Path, name: str) -> list[dict]:
    return pq.read_table(folder / f"{name}.parquet").to_pylist()


def load_with_convokit(python: Path, corpus: Path, tmp_path: Path) -> dict:
    home = tmp_path / "home"  # ConvoKit writes ~/.convokit/config.yml on first use
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)} | {"HOME": str(home)}
    result = tmp_path / "loaded.json"
    r = subprocess.run([str(python), "-c", LOAD, str(corpus), str(result)], capture_output=True, text=True,
                       cwd=tmp_path, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(result.read_text())


def test_convokit_loads_the_text_corpus_export(convokit_python, text_package, tmp_path):
    out = tmp_path / "corpus"
    r = subprocess.run([*CLI, "export", str(text_package), "--to", "convokit", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    loaded = load_with_convokit(convokit_python, out, tmp_path)

    transcripts, speakers, turns = (table(text_package, n) for n in ("transcripts", "speakers", "turns"))
    markers = table(text_package, "markers")
    assert len(transcripts) == 46

    # conversations = transcripts
    assert set(loaded["conversations"]) == {t["transcript_id"] for t in transcripts}
    for t in transcripts:
        c = loaded["conversations"][t["transcript_id"]]
        assert (c["title"], c["n_turns"]) == (t["title"], t["n_turns"])
        assert c["date"] == (t["date"].isoformat() if t["date"] else None)
        assert len(c["utterances"]) == t["n_turns"] and len(c["speakers"]) == t["n_speakers"]

    # speakers = speakers: a person where the row names one, else the transcript's own speaker
    def key(s: dict) -> str:
        return s["person_id"] or f"{s['transcript_id']}/{s['speaker_id']}"

    by_row = {(s["transcript_id"], s["speaker_id"]): s for s in speakers}
    assert set(loaded["speakers"]) == {key(s) for s in speakers}
    for s in speakers:
        meta = loaded["speakers"][key(s)]
        assert meta["person_id"] == s["person_id"] and s["kind"] in meta["kinds"]
        listed = {x["speaker_id"]: x for x in loaded["conversations"][s["transcript_id"]]["speakers"]}
        assert listed[s["speaker_id"]]["speaker"] == key(s) and listed[s["speaker_id"]]["kind"] == s["kind"]

    # utterances = turns, each with its speaker, reply_to, order and markers
    n_markers: dict[tuple, int] = {}
    for m in markers:
        n_markers[(m["transcript_id"], m["turn_index"])] = n_markers.get((m["transcript_id"], m["turn_index"]), 0) + 1
    utterances = {u[0]: u for u in loaded["utterances"]}
    assert len(loaded["utterances"]) == len(turns) == len(utterances)
    n_replies = 0
    for t in turns:
        tid, i = t["transcript_id"], t["turn_index"]
        uid, conversation, speaker, reply_to, timestamp, text, exchange, k = utterances[f"{tid}/{i}"]
        assert (conversation, timestamp, text, exchange) == (tid, i, t["text"], t["exchange_index"])
        assert speaker == key(by_row[(tid, t["speaker_id"])])
        assert reply_to == (None if t["reply_to"] is None else f"{tid}/{t['reply_to']}")
        assert k == n_markers.get((tid, i), 0)
        n_replies += reply_to is not None
    assert n_replies > len(turns) / 3  # the briefings are questions and answers
    assert loaded["reply_targets_found"]


def test_export_needs_no_convokit_and_is_plain_json(tmp_path):
    report = export_convokit(BUNDLED, tmp_path / "c")
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(FILES)
    lines = (tmp_path / "c" / "utterances.jsonl").read_bytes().splitlines()
    assert report.n_utterances == len(lines) == 30
    first = json.loads(lines[0])
    assert set(first) == {"id", "conversation_id", "text", "speaker", "meta", "reply-to", "timestamp", "vectors"}
    assert first["id"] == "2021-10-08-blinken-milenio-tv/0" and first["reply-to"] is None
    assert all(b < 128 for line in lines for b in line)  # ASCII: ConvoKit reads in the locale's encoding
    index = json.loads((tmp_path / "c" / "index.json").read_text())
    assert index["utterances-index"]["turn_index"] == ["<class 'int'>"]
    assert index["utterances-index"]["markers"] == ["<class 'list'>"]


def test_export_replaces_its_own_corpus_and_refuses_anything_else(tmp_path):
    out = tmp_path / "c"
    export_convokit(BUNDLED, out)
    r = subprocess.run([*CLI, "export", str(BUNDLED), "--to", "convokit", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (out / "notes.txt").write_text("mine")  # a file the library did not write: never removed
    r = subprocess.run([*CLI, "export", str(BUNDLED), "--to", "convokit", str(out)], capture_output=True, text=True)
    assert r.returncode == 2 and "refusing" in r.stderr and (out / "notes.txt").read_text() == "mine"
    own = tmp_path / "own"
    own.mkdir()
    (own / "corpus.json").write_text("{}")
    r = subprocess.run([*CLI, "export", str(BUNDLED), "--to", "convokit", str(own)], capture_output=True, text=True)
    assert r.returncode == 2 and (own / "corpus.json").read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "own"]  # no temporary folder left behind


def test_export_of_a_broken_package_leaves_nothing(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for f in BUNDLED.iterdir():
        (pkg / f.name).write_bytes(f.read_bytes())
    (pkg / "turns.parquet").write_bytes((pkg / "turns.parquet").read_bytes()[:100])
    r = subprocess.run([*CLI, "export", str(pkg), "--to", "convokit", str(tmp_path / "c")], capture_output=True,
                       text=True)
    assert r.returncode == 1 and "turns.parquet" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_readme_convokit_example(convokit_python, tmp_path):
    """The README's commands as written: export the bundled package, then its ConvoKit code."""
    from tests.test_readme import fenced

    section = "## Use it for research"
    commands = [c.strip() for c in fenced("sh", section) if "--to convokit" in c]
    code = fenced("python convokit", section)
    assert len(commands) == 1 and len(code) == 1
    (tmp_path / "datasets").symlink_to(ROOT / "datasets")  # the README's relative paths
    args = commands[0].split()
    assert args[0] == "diplomatic-transcripts"
    r = subprocess.run([*CLI, *args[1:]], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    r = subprocess.run([str(convokit_python), "-c", code[0]], capture_output=True, text=True, cwd=tmp_path, env=env,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Number of Utterances: 30" in r.stdout and "Number of Conversations: 1" in r.stdout
    # read off the seed: turn 8 is Alejandro Dominguez's question about “hugs, not bullets”, turn 9 Blinken's answer
    assert "alejandro-dominguez asked:" in r.stdout and "hugs, not bullets" in r.stdout
    assert "antony-blinken answered: I think what we" in r.stdout
