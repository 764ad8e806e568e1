"""`export PACKAGE --to sqlite OUT.db`: every table with its keys, the same rows as the Parquet
tables, full-text search over turns, and a file that replaces only its own kind."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diplomatic_transcripts.export.sqlite import export_sqlite
from diplomatic_transcripts.records import TABLES
from tests.conftest import ROOT

CLI = [sys.executable, "-m", "diplomatic_transcripts"]
BUNDLED = ROOT / "datasets" / "diplomatic-transcripts"
SEED_ID = "2021-10-08-blinken-milenio-tv"
# In the seed, the ninth labelled turn (0-based 8, a QUESTION) asks about a policy of “hugs, not bullets”.
SEED_PHRASE, SEED_TURN = "hugs, not bullets", 8


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sqlite") / "dt.db"
    r = subprocess.run([*CLI, "export", str(BUNDLED), "--to", "sqlite", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def parquet_counts(folder: Path) -> dict[str, int]:
    return {t.name: pq.read_metadata(folder / f"{t.name}.parquet").num_rows for t in TABLES}


def sqlite_counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t.name: con.execute(f"SELECT count(*) FROM [{t.name}]").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def fts_hits(db: Path, phrase: str) -> list[tuple[str, int]]:
    con = sqlite3.connect(db)
    try:
        query = '"' + " ".join(phrase.replace(",", " ").split()) + '"'
        return con.execute("SELECT transcript_id, turn_index FROM turns WHERE rowid IN "
                           "(SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)", [query]).fetchall()
    finally:
        con.close()


def test_row_counts_equal_the_parquet_tables(seed_db):
    assert sqlite_counts(seed_db) == parquet_counts(BUNDLED)


def test_text_corpus_export_counts_and_search(text_package, tmp_path):
    out = tmp_path / "t.db"
    export_sqlite(text_package, out)
    assert sqlite_counts(out) == parquet_counts(text_package)
    # a phrase of a turn, taken from the Parquet table, leads back to that turn
    turns = pq.read_table(text_package / "turns.parquet", columns=["transcript_id", "turn_index", "text"]).to_pylist()
    target = next(t for t in turns if len(t["text"].split()) > 40)
    words = target["text"].split()[10:16]
    found = fts_hits(out, " ".join(w.strip(".,;:?!“”\"()—–-") for w in words))
    assert (target["transcript_id"], target["turn_index"]) in found


def test_fts_finds_the_seed_phrase_in_its_turn(seed_db):
    assert fts_hits(seed_db, SEED_PHRASE) == [(SEED_ID, SEED_TURN)]
    con = sqlite3.connect(seed_db)
    text = con.execute("SELECT text FROM turns WHERE transcript_id = ? AND turn_index = ?", [SEED_ID, SEED_TURN]).fetchone()[0]
    assert "“hugs, not bullets”" in text
    assert fts_hits(seed_db, "bullets hugs not") == []  # a phrase, not a bag of words


def test_every_table_has_its_keys(seed_db):
    con = sqlite3.connect(seed_db)
    for t in TABLES:
        info = con.execute(f"PRAGMA table_info([{t.name}])").fetchall()
        assert [r[1] for r in info] == list(t.model.model_fields)
        pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
        assert tuple(pk) == t.primary_key, t.name
        fks: dict[int, list] = {}
        for _id, _seq, other, local, remote, *_ in con.execute(f"PRAGMA foreign_key_list([{t.name}])"):
            fks.setdefault(_id, [other, [], []])
            fks[_id][1].append(local)
            fks[_id][2].append(remote)
        declared = sorted((other, tuple(local), tuple(remote)) for other, local, remote in fks.values())
        assert declared == sorted((fk.resource, fk.fields, fk.reference) for fk in t.foreign_keys), t.name
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_values_keep_their_meaning(seed_db):
    con = sqlite3.connect(seed_db)
    con.row_factory = sqlite3.Row
    speakers = {r["speaker_id"]: r for r in con.execute("SELECT * FROM speakers")}
    assert json.loads(speakers["question"]["label_variants"]) == ["QUESTION"]
    t = con.execute("SELECT * FROM transcripts").fetchone()
    assert t["date"] == "2021-10-08" and t["is_virtual"] == 0
    parquet = pq.read_table(BUNDLED / "turns.parquet").to_pylist()
    rows = [dict(r) for r in con.execute("SELECT * FROM turns ORDER BY turn_index")]
    assert [r["reply_to"] for r in rows] == [p["reply_to"] for p in parquet]
    assert [bool(r["is_interrupted"]) for r in rows] == [p["is_interrupted"] for p in parquet]
    facts = dict(con.execute("SELECT key, value FROM package").fetchall())
    assert facts["version"] == json.loads((BUNDLED / "datapackage.json").read_text())["version"]


def test_replaces_its_own_database_and_nothing_else(seed_db, tmp_path):
    ours = tmp_path / "ours.db"
    ours.write_bytes(seed_db.read_bytes())
    r = subprocess.run([*CLI, "export", str(BUNDLED), "--to", "sqlite", str(ours)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    theirs = tmp_path / "theirs.db"
    con = sqlite3.connect(theirs)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    text = tmp_path / "notes.txt"
    text.write_text("mine")
    before = {p.name: p.read_bytes() for p in (theirs, text)}
    for target in (theirs, text, tmp_path):
        r = subprocess.run([*CLI, "export", str(BUNDLED), "--to", "sqlite", str(target)], capture_output=True, text=True)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert {p.name: p.read_bytes() for p in (theirs, text)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "ours.db", "theirs.db"]


def test_a_broken_package_leaves_no_file(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for f in BUNDLED.iterdir():
        (pkg / f.name).write_bytes(f.read_bytes())
    (pkg / "markers.parquet").write_bytes(b"not parquet")
    r = subprocess.run([*CLI, "export", str(pkg), "--to", "sqlite", str(tmp_path / "x.db")], capture_output=True,
                       text=True)
    assert r.returncode == 1 and "markers.parquet" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
