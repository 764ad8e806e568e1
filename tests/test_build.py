"""`diplomatic-transcripts build`: the package, its descriptor, determinism and atomicity."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.export.descriptor import declared_bytes
from diplomatic_transcripts.records import TABLES, TRANSCRIPT_TABLES
from tests.conftest import ROOT, SEED, SOURCES, need_corpus, seed_copies

CLI = [sys.executable, "-m", "diplomatic_transcripts"]


def frictionless_errors(descriptor: Path) -> list[str]:
    import frictionless

    import frictionless_arrowparquet

    frictionless_arrowparquet.register()
    report = frictionless.validate(str(descriptor))
    return [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors] + \
        [e.message for e in report.errors]


def sha_of_files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "diplomatic-transcripts"
    report = build_package([SOURCES], out)
    assert report.written and not report.failed
    return out


def test_bundled_package_passes_frictionless(bundled):
    assert frictionless_errors(bundled / "datapackage.json") == []


def test_row_counts_are_what_the_seed_prints(bundled):
    """Read off the seed: QUESTION and SECRETARY BLINKEN; 14 + 16 labelled turns; (Inaudible.) on
    line 49 and (inaudible) on line 64; persons Antony J. Blinken (the principal line) and
    Alejandro Dominguez (the interviewer the title names); one role printed, Secretary of State."""
    desc = json.loads((bundled / "datapackage.json").read_text())
    counts = desc["diplomatic_transcripts"]["row_counts"]
    assert counts == {"transcripts": 1, "speakers": 2, "turns": 30, "markers": 2, "persons": 2, "person_roles": 1}
    for table in TABLES:
        assert pq.read_metadata(bundled / f"{table.name}.parquet").num_rows == \
            desc["diplomatic_transcripts"]["row_counts"][table.name]


def test_sidecar_facts_flow_into_the_records(bundled):
    t = pq.read_table(bundled / "transcripts.parquet").to_pylist()[0]
    assert str(t["date"]) == "2021-10-08" and t["date_source"] == "sidecar"
    assert t["occasion"] == "U.S.-Mexico High-Level Security Dialogue"


def test_descriptor_matches_the_files(bundled):
    desc = json.loads((bundled / "datapackage.json").read_text())
    resources = {r["path"]: r for r in desc["resources"]}
    on_disk = {p.name for p in bundled.iterdir()} - {"datapackage.json", "README.md"}
    assert set(resources) == on_disk
    names = {r["name"] for r in desc["resources"]}
    for path, r in resources.items():
        data = (bundled / path).read_bytes()
        assert declared_bytes(r) == len(data)
        assert ("bytes" in r) == (r["format"] == "csv")  # Parquet: under "diplomatic_transcripts" (see descriptor.py)
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        for fk in r["schema"].get("foreignKeys", []):
            assert fk["reference"]["resource"] in names
        assert r["name"] == (path.split(".")[0] if r["format"] == "parquet" else path.split(".")[0] + "-csv")
    assert desc["$schema"].startswith("https://datapackage.org/profiles/2.0/")
    assert desc["created"] == "2021-10-08T00:00:00Z"
    assert desc["version"] == "1.0.0"


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_parquet_schema_is_the_generated_one(bundled, table):
    from diplomatic_transcripts.export.arrow import SCHEMAS

    schema = pq.read_schema(bundled / f"{table}.parquet")
    assert schema.remove_metadata().equals(SCHEMAS[table].remove_metadata(), check_metadata=False)
    meta = pq.read_metadata(bundled / f"{table}.parquet").metadata
    assert b"diplomatic_transcripts.package_version" in meta
    assert pq.ParquetFile(bundled / f"{table}.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_csv_is_rfc4180_with_json_arrays(bundled):
    raw = (bundled / "speakers.csv").read_bytes()
    assert raw.startswith(b'"transcript_id","speaker_id"') and b"\r\n" in raw
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert json.loads(rows[0]["label_variants"]) == ["QUESTION"]


def test_dataset_card_is_generated(bundled):
    card = (bundled / "README.md").read_text()
    assert card.startswith("<!-- Generated") and "## How to cite" in card and "## License" in card
    assert "`turns`" in card and "| 30 |" in card


def test_text_corpus_package_passes_frictionless_and_counts_match(tmp_path):
    folder = need_corpus("statedept-text")
    out = tmp_path / "pkg"
    report = build_package([folder], out, workers=2)
    assert report.written and not report.failed and not report.skipped
    assert report.row_counts["transcripts"] == 46  # the 46 transcripts of statedept-text/ (corpus README)
    rows = {t["transcript_id"]: t for t in pq.read_table(out / "transcripts.parquet").to_pylist()}
    # counted by reading the pages (see tests/test_truth.py for the page-by-page facts)
    read = {"026": (3, 2, 0), "037": (1, 1, 0), "046": (3, 3, 5), "038": (3, 2, 1), "018": (12, 2, 7), "001": (22, 3, 3)}
    for prefix, counts in read.items():
        tid = next(t for t in rows if t.startswith(prefix + "-"))
        assert (rows[tid]["n_turns"], rows[tid]["n_speakers"], rows[tid]["n_markers"]) == counts, tid
    # the tables agree with the counts the transcripts table declares
    for table, column in (("turns", "n_turns"), ("speakers", "n_speakers"), ("markers", "n_markers")):
        assert report.row_counts[table] == sum(t[column] for t in rows.values())
    assert frictionless_errors(out / "datapackage.json") == []


def test_builds_are_deterministic_across_workers_and_hash_seeds(tmp_path):
    folder = need_corpus("statedept-text")
    shas = []
    for workers, seed in ((1, "0"), (2, "12345")):
        out = tmp_path / f"pkg-{workers}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run([*CLI, "build", str(folder), str(SOURCES), "--out", str(out), "--workers", str(workers)],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        shas.append(sha_of_files(out))
    assert shas[0] == shas[1]
    assert len(shas[0]) == 2 * len(TABLES) + 2


def test_killed_build_leaves_the_previous_package_intact(tmp_path):
    many = seed_copies(tmp_path / "many", 400)
    out = tmp_path / "pkg"
    assert build_package([SOURCES], out).written
    before = sha_of_files(out)
    proc = subprocess.Popen([*CLI, "build", str(many), "--out", str(out)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and not any(tmp_path.glob("pkg.tmp-*/package/turns.csv")):
        time.sleep(0.01)
    assert any(tmp_path.glob("pkg.tmp-*")), "the build never started writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert sha_of_files(out) == before
    # the next build clears what the killed one left
    assert build_package([SOURCES], out).written
    assert not list(tmp_path.glob("pkg.tmp-*")) and not list(tmp_path.glob("pkg.old-*"))


def test_a_failed_write_fails_the_build_and_leaves_no_package(tmp_path, monkeypatch):
    """An error while the files are written (a full disk) reaches the build as itself, and
    nothing is left half-written."""
    import errno

    from diplomatic_transcripts.export import csv as csv_export

    many = seed_copies(tmp_path / "many", 80)
    out = tmp_path / "pkg"
    real_write = csv_export.CsvTableWriter.write

    def full_disk(self, batch):
        if self.path.name == "turns.csv" and self.n_rows > 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, batch)

    monkeypatch.setattr(csv_export.CsvTableWriter, "write", full_disk)
    with pytest.raises(OSError) as caught:
        build_package([many], out)
    assert caught.value.errno == errno.ENOSPC
    assert not out.exists() and not list(tmp_path.glob("pkg.tmp-*"))


def test_failing_source_stops_the_build_unless_keep_going(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / "good.txt")
    (src / "bad.txt").write_bytes(b"QUESTION: \x00\x00")
    (src / "statement.txt").write_text("A Statement\n\nWe condemn the attack in the strongest terms today.\n")
    out = tmp_path / "pkg"
    r = subprocess.run([*CLI, "build", str(src), "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 1 and "DT101" in r.stdout and not out.exists()
    r = subprocess.run([*CLI, "build", str(src), "--out", str(out), "--keep-going"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    report = json.loads((tmp_path / "pkg.quarantine.json").read_text())
    status = {Path(s["where"]).name: s["status"] for s in report["skipped"]}
    assert status == {"bad.txt": "failed", "statement.txt": "skipped"}
    assert all(s["reason"] for s in report["skipped"])
    assert json.loads((out / "datapackage.json").read_text())["diplomatic_transcripts"]["row_counts"]["transcripts"] == 1


def test_a_failing_source_in_a_two_worker_build_leaves_nothing_behind(tmp_path):
    """The workers hand their chunks over as files in the build's own folder: a build that stops
    at a failed source removes that folder whole, with no worker still writing into it."""
    src = seed_copies(tmp_path / "src", 240)
    (src / "copy-0120-bad.txt").write_bytes(b"QUESTION: \x00\x00")  # sorted among the copies: mid-build
    out = tmp_path / "pkg"
    report = build_package([src], out, workers=2)
    assert [Path(o.where).name for o in report.failed] == ["copy-0120-bad.txt"] and not report.written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_duplicate_ids_get_their_date_appended(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(SEED, a / "talk.txt")
    (a / "talk.toml").write_text("date = 2021-10-08\n")
    shutil.copy(SEED, b / "talk.txt")
    (b / "talk.toml").write_text("date = 2022-03-06\n")
    out = tmp_path / "pkg"
    assert build_package([b, a], out).written
    ids = [t["transcript_id"] for t in pq.read_table(out / "transcripts.parquet").to_pylist()]
    assert sorted(ids) == ["talk", "talk-2022-03-06"]


def test_main_command_builds_the_committed_package(tmp_path):
    """The package committed in datasets/ is what the main command builds from the bundled sources."""
    out = tmp_path / "diplomatic-transcripts"
    r = subprocess.run([*CLI, "build", "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert sha_of_files(out) == sha_of_files(ROOT / "datasets" / "diplomatic-transcripts")


def _arrow_state_in_worker() -> tuple[bool, bool, list]:
    """Run in a build worker: is pandas imported after the conversions a chunk makes, and does
    pyarrow's pandas API still work when asked for explicitly?"""
    import sys

    batch = pa.RecordBatch.from_pylist([{"text": "Hi.", "n": 1}, {"text": None, "n": 2}])
    imported_by_conversion = "pandas" in sys.modules
    frame = pa.table({"n": [1, 2]}).to_pandas()  # imports pandas: the API is still there
    return imported_by_conversion, type(frame).__name__ == "DataFrame", batch.column("text").to_pylist()


def test_build_workers_convert_without_importing_pandas_yet_keep_its_api():
    pytest.importorskip("pandas")
    from diplomatic_transcripts.build import _start_pool

    pool = _start_pool(2)
    try:
        imported, frame_ok, texts = pool.submit(_arrow_state_in_worker).result(timeout=120)
    finally:
        pool.shutdown()
    assert not imported and frame_ok and texts == ["Hi.", None]
