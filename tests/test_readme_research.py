"""README "Use it for research": the pandas example builds the question–answer table it says
(its ConvoKit and browser examples are run in test_export_convokit.py and test_browse.py)."""

from __future__ import annotations

import pyarrow.parquet as pq

from tests.conftest import ROOT
from tests.test_readme import fenced

SECTION = "## Use it for research"
BUNDLED = ROOT / "datasets" / "diplomatic-transcripts"


def test_question_answer_table_with_pandas(monkeypatch, capsys):
    blocks = fenced("python", SECTION)
    assert len(blocks) == 1
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    qa = namespace["qa"]
    assert "QUESTION" in capsys.readouterr().out
    turns = {(t["transcript_id"], t["turn_index"]): t for t in pq.read_table(BUNDLED / "turns.parquet").to_pylist()}
    speakers = {(s["transcript_id"], s["speaker_id"]): s["kind"] for s in pq.read_table(BUNDLED / "speakers.parquet").to_pylist()}
    pairs = set(zip(qa.turn_index_question, qa.turn_index_answer))
    expected = {(q[1], a[1]) for a, t in turns.items() if t["reply_to"] is not None
                for q in [(a[0], t["reply_to"])]
                if speakers[(q[0], turns[q]["speaker_id"])] == "journalist"
                and speakers[(a[0], t["speaker_id"])] != "journalist"}
    assert pairs == expected and len(pairs) == len(qa)
    # read off the seed's text: Secretary Blinken's turn 9 answers the question of turn 8 (“hugs, not bullets”)
    assert (8, 9) in pairs
    row = qa[qa.turn_index_answer == 9].iloc[0]
    assert "hugs, not bullets" in row.text_question and row.label_answer == "SECRETARY BLINKEN"
