"""`diplomatic-transcripts parse`: its contract (README, "Command line"), checked through a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from diplomatic_transcripts.records import TABLES, Finding
from tests.conftest import SEED

CLI = [sys.executable, "-m", "diplomatic_transcripts"]


def run(*args, cwd=None):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_json_keys_are_the_table_columns():
    r = run("parse", "--format", "json", SEED)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert list(doc) == ["transcript", "speakers", "turns", "markers", "findings"]
    tables = {t.name: list(t.model.model_fields) for t in TABLES}
    assert list(doc["transcript"]) == tables["transcripts"]
    for key, table in (("speakers", "speakers"), ("turns", "turns"), ("markers", "markers")):
        assert doc[key] and all(list(row) == tables[table] for row in doc[key])
    assert all(list(f) == list(Finding.model_fields) for f in doc["findings"])
    assert doc["transcript"]["date"] == "2021-10-08"


def test_jsonl_one_line_per_input_in_order_also_when_some_fail(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    r = run("parse", "--format", "jsonl", SEED, empty, SEED, binary)
    lines = r.stdout.strip().split("\n")
    assert len(lines) == 4
    docs = [json.loads(x) for x in lines]
    assert [d["transcript"] is not None for d in docs] == [True, False, True, False]
    assert docs[1]["findings"][0]["code"] == "DT100" and docs[3]["findings"][0]["code"] == "DT101"
    assert docs[1]["turns"] == [] and docs[1]["speakers"] == []
    assert r.returncode == 1
    assert "Traceback" not in r.stderr


def test_json_of_several_inputs_is_an_array():
    r = run("parse", "--format", "json", SEED, SEED)
    assert isinstance(json.loads(r.stdout), list) and r.returncode == 0


def test_text_format_is_readable():
    r = run("parse", SEED)
    assert r.returncode == 0
    assert "Secretary Antony J. Blinken With Alejandro Dominguez of Milenio TV" in r.stdout
    assert "journalist" in r.stdout and "DT105" in r.stdout


@pytest.mark.parametrize("args", [
    ["parse", "does-not-exist.txt"], ["parse", "."], ["parse", "--format", "xml", str(SEED)], ["parse"], ["nonsense"],
])
def test_usage_errors_exit_2_without_traceback(args):
    r = run(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr


def test_bad_input_is_exit_1_with_a_located_finding(tmp_path):
    p = tmp_path / "nul.txt"
    p.write_bytes(b"Title\n\nQUESTION: a\x00b\n")
    r = run("parse", p)
    assert r.returncode == 1
    assert f"{p}:3:12: DT101 error:" in r.stdout


def test_sidecar_beside_the_file_is_read(tmp_path):
    src = tmp_path / "x.txt"
    src.write_bytes(SEED.read_bytes())
    (tmp_path / "x.toml").write_text('date = 2021-10-08\nsource_url = "https://www.state.gov/x/"\n'
                                     '[speakers."SECRETARY BLINKEN"]\naffiliation = "U.S. Department of State"\n')
    doc = json.loads(run("parse", "--format", "json", src).stdout)
    assert doc["transcript"]["source_url"] == "https://www.state.gov/x/"
    assert doc["transcript"]["date_source"] == "sidecar"
    sec = next(s for s in doc["speakers"] if s["label"] == "SECRETARY BLINKEN")
    assert sec["affiliation"] == "U.S. Department of State"


def test_broken_sidecar_is_an_error_with_its_line(tmp_path):
    src = tmp_path / "x.txt"
    src.write_bytes(SEED.read_bytes())
    (tmp_path / "x.toml").write_text('date = 2021-10-08\ncolour = "blue"\n')
    r = run("parse", "--format", "json", src)
    doc = json.loads(r.stdout)
    f = next(f for f in doc["findings"] if f["code"] == "DT201")
    assert f["line"] == 2 and f["severity"] == "error" and r.returncode == 1
