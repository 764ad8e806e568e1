"""`diplomatic-transcripts validate`: one injected error per class, each found with its code
at the right place; a clean package and clean sources pass; parity with frictionless."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.validate import validate_package, validate_paths
from diplomatic_transcripts.validate.frictionless_bridge import frictionless_findings
from tests.conftest import SEED, SOURCES, seed_copies
from tests.package_edits import refresh_resource_facts

CLI = [sys.executable, "-m", "diplomatic_transcripts"]


@pytest.fixture(scope="module")
def clean_package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "pkg"
    assert build_package([SOURCES], out).written
    return out


@pytest.fixture
def package(clean_package, tmp_path) -> Path:
    out = tmp_path / "pkg"
    shutil.copytree(clean_package, out)
    return out


def refresh(pkg: Path, name: str) -> None:
    """Make the descriptor's bytes and hash agree with an edited file, so only the injected error shows."""
    refresh_resource_facts(pkg, name)


def edit_csv(pkg: Path, name: str, edit) -> None:
    rows = list(csv.reader(io.StringIO((pkg / name).read_text(encoding="utf-8"), newline="")))
    rows = edit(rows)
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (pkg / name).write_text(buf.getvalue(), encoding="utf-8", newline="")
    refresh(pkg, name)


def set_cell(column: str, value: str, row: int = 1):
    def edit(rows):
        rows[row][rows[0].index(column)] = value
        return rows
    return edit


def codes_at(findings, code):
    return [(Path(f.path).name, f.line, f.field) for f in findings if f.code == code]


def assert_parity(pkg: Path, ours) -> None:
    extra = frictionless_findings(pkg, ours)
    assert extra == [], [f"{f.code} {f.path}:{f.line} {f.field} {f.message}" for f in extra]


def test_clean_package_passes(clean_package):
    findings = validate_package(clean_package)
    assert [f for f in findings if f.severity == "error"] == []
    r = subprocess.run([*CLI, "validate", str(clean_package), "--frictionless"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


PACKAGE_CASES = [
    ("duplicate primary key", "turns.csv", lambda rows: rows + [rows[5]], "DT309", ("turns.csv", 32, "transcript_id,turn_index")),
    ("dangling foreign key", "turns.csv", set_cell("speaker_id", "nobody", 3), "DT312", ("turns.csv", 4, "transcript_id,speaker_id")),
    ("enum violation", "speakers.csv", set_cell("kind", "wizard", 2), "DT310", ("speakers.csv", 3, "kind")),
    ("pattern violation", "transcripts.csv", set_cell("country_code", "mx"), "DT311", ("transcripts.csv", 2, "country_code")),
    ("missing required value", "turns.csv", set_cell("text", "", 7), "DT308", ("turns.csv", 8, "text")),
    ("wrong type", "turns.csv", set_cell("n_words", "many", 2), "DT307", ("turns.csv", 3, "n_words")),
    ("below minimum", "turns.csv", set_cell("n_paragraphs", "-3", 4), "DT314", ("turns.csv", 5, "n_paragraphs")),
    ("extra column", "markers.csv", lambda rows: [r + ["x"] for r in rows], "DT306", ("markers.csv", 1, "x")),
    ("missing column", "markers.csv", lambda rows: [r[:-1] for r in rows], "DT306", ("markers.csv", 1, "source_end")),
]


@pytest.mark.parametrize("name,file,edit,code,where", PACKAGE_CASES, ids=[c[0] for c in PACKAGE_CASES])
def test_injected_package_error(package, name, file, edit, code, where):
    edit_csv(package, file, edit)
    findings = validate_package(package)
    assert where in codes_at(findings, code), [f"{f.code} {f.path}:{f.line} {f.field}" for f in findings]
    r = subprocess.run([*CLI, "validate", str(package)], capture_output=True, text=True)
    assert r.returncode == 1 and code in r.stdout and "Traceback" not in r.stderr
    assert_parity(package, findings)


def test_signed_zero_is_at_the_minimum(package):
    """Table Schema integers may carry a sign: "-0" and "+0" are 0, which a minimum of 0 allows."""
    edit_csv(package, "turns.csv", set_cell("n_paragraphs", "-0", 4))
    edit_csv(package, "markers.csv", set_cell("start", "+0", 2))
    findings = validate_package(package)
    assert [f"{f.code} {f.path}:{f.line}" for f in findings if f.severity == "error"] == []
    assert_parity(package, findings)


def test_hash_mismatch(package):
    desc = json.loads((package / "datapackage.json").read_text())
    desc["resources"][2]["hash"] = "sha256:" + "0" * 64
    (package / "datapackage.json").write_text(json.dumps(desc))
    findings = validate_package(package)
    assert codes_at(findings, "DT304") == [(desc["resources"][2]["path"], None, None)]
    assert_parity(package, findings)


@pytest.mark.parametrize("index", [4, 5], ids=["parquet", "csv"])
def test_byte_size_mismatch(package, index):
    desc = json.loads((package / "datapackage.json").read_text())
    resource = desc["resources"][index]
    # a Parquet resource keeps its size under the library's own key (stock frictionless cannot measure it)
    holder = resource["diplomatic_transcripts"] if resource["format"] == "parquet" else resource
    holder["bytes"] += 1
    (package / "datapackage.json").write_text(json.dumps(desc))
    findings = validate_package(package)
    assert codes_at(findings, "DT303") == [(resource["path"], None, None)]
    assert_parity(package, findings)


def test_parquet_list_column_of_the_wrong_type(package):
    """A Parquet list column declares `any` for stock frictionless; our validate still wants list<string>."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(package / "speakers.parquet")
    i = table.schema.get_field_index("label_variants")
    flat = pa.array([", ".join(v) for v in table.column(i).to_pylist()], pa.string())
    pq.write_table(table.set_column(i, pa.field("label_variants", pa.string(), nullable=False), flat),
                   package / "speakers.parquet")
    refresh(package, "speakers.parquet")
    findings = validate_package(package)
    assert ("speakers.parquet", 2, "label_variants") in codes_at(findings, "DT307")


def test_truncated_parquet(package):
    data = (package / "turns.parquet").read_bytes()
    (package / "turns.parquet").write_bytes(data[: len(data) // 2])
    refresh(package, "turns.parquet")
    findings = validate_package(package)
    assert ("turns.parquet", None, None) in codes_at(findings, "DT305")
    assert_parity(package, findings)


def test_empty_resource_file(package):
    (package / "markers.csv").write_bytes(b"")
    refresh(package, "markers.csv")
    findings = validate_package(package)
    assert ("markers.csv", None, None) in codes_at(findings, "DT315")


def test_file_that_is_no_resource_and_resource_with_no_file(package):
    (package / "stray.csv").write_text("a\n1\n")
    (package / "persons.csv").unlink()
    findings = validate_package(package)
    assert {n for n, _, _ in codes_at(findings, "DT302")} == {"stray.csv", "persons.csv"}


def test_counts_in_transcripts_must_match(package):
    edit_csv(package, "transcripts.csv", set_cell("n_turns", "31"))
    findings = validate_package(package)
    assert ("transcripts.csv", 2, "n_turns") in codes_at(findings, "DT313")


def test_broken_descriptor(package):
    (package / "datapackage.json").write_text("{not json")
    assert [f.code for f in validate_package(package)] == ["DT301"]


def test_many_errors_are_capped(package):
    edit_csv(package, "turns.csv", lambda rows: [rows[0]] + [r[:5] + ["x"] + r[6:] for r in rows[1:]])
    findings = validate_package(package, limit=5)
    assert len(codes_at(findings, "DT307")) == 5
    assert any(f.code == "DT317" and "25 more" in f.message for f in findings)


# -- contributions -------------------------------------------------------------------------


def contribution(tmp_path: Path, name: str, data: bytes, sidecar: str | None = None) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    if sidecar is not None:
        p.with_suffix(".toml").write_text(sidecar, encoding="utf-8")
    return p


SOURCE_CASES = [
    ("empty file", "empty.txt", b"", None, "DT100", 1),
    ("binary file", "binary.txt", bytes(range(1, 32)) * 40, None, "DT101", None),
    ("NUL bytes", "nul.txt", b"Title\n\nQUESTION: a\x00b\n", None, "DT101", 3),
    ("cp1252 bytes", "legacy.txt", SEED.read_text(encoding="utf-8").encode("cp1252", errors="replace"), None, "DT206", 9),
    ("broken sidecar TOML", "talk.txt", SEED.read_bytes(), "date = 2021-10-08\nsource_url = [unclosed\n", "DT200", 2),
    ("unknown sidecar key", "talk.txt", SEED.read_bytes(), "date = 2021-10-08\ncolour = 'blue'\n", "DT201", 2),
    ("invalid sidecar value", "talk.txt", SEED.read_bytes(), "event_type = 'party'\n", "DT202", 1),
    ("file name that is no id", "My Talk.txt", SEED.read_bytes(), None, "DT203", 1),
    ("not a transcript", "statement.txt", b"A Statement\n\nWe condemn the attack in the strongest terms.\n", None, "DT207", 3),
]


@pytest.mark.parametrize("name,file,data,sidecar,code,line", SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES])
def test_injected_source_error(tmp_path, name, file, data, sidecar, code, line):
    p = contribution(tmp_path, file, data, sidecar)
    findings = validate_paths([p])
    hits = [f for f in findings if f.code == code]
    assert hits and hits[0].severity == "error", [(f.code, f.message) for f in findings]
    if line is not None:
        assert hits[0].line == line
    r = subprocess.run([*CLI, "validate", str(p), "--format", "json"], capture_output=True, text=True)
    assert r.returncode == 1 and code in {f["code"] for f in json.loads(r.stdout)}
    assert "Traceback" not in r.stderr


def test_duplicate_transcript_id_and_duplicate_bytes(tmp_path):
    a = contribution(tmp_path, "talk.txt", SEED.read_bytes())
    b = contribution(tmp_path, "talk.html", b"<p>Talk</p><p>QUESTION: Hello there.</p><p>SECRETARY BLINKEN: Hi.</p>")
    c = contribution(tmp_path, "other-talk.txt", SEED.read_bytes())
    findings = validate_paths([tmp_path])
    assert [Path(f.path).name for f in findings if f.code == "DT204"] == ["talk.txt"]
    assert [Path(f.path).name for f in findings if f.code == "DT205"] == ["talk.txt"]
    assert a.exists() and b.exists() and c.exists()


def test_clean_sources_pass_with_warnings_only():
    findings = validate_paths([SOURCES])
    assert [f for f in findings if f.severity == "error"] == []
    assert {f.code for f in findings} == {"DT105"}


def test_sidecar_without_source(tmp_path):
    side = tmp_path / "lonely.toml"
    side.write_text("date = 2021-10-08\n")
    assert [f.code for f in validate_paths([side])] == ["DT209"]


def test_output_formats(tmp_path):
    p = contribution(tmp_path, "nul.txt", b"Title\n\nQUESTION: a\x00b\n")
    text = subprocess.run([*CLI, "validate", str(p)], capture_output=True, text=True).stdout
    assert f"{p}:3:12: DT101 error:" in text
    gh = subprocess.run([*CLI, "validate", str(p), "--format", "github"], capture_output=True, text=True).stdout
    assert gh.startswith(f"::error file={p},line=3,col=12,title=DT101::DT101 ")


def test_changed_since_validates_only_what_a_pull_request_touches(tmp_path):
    repo = tmp_path / "repo"
    (repo / "sources").mkdir(parents=True)
    shutil.copy(SEED, repo / "sources" / "old-talk.txt")

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=a@b.c", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=a@b.c", "-c", "user.name=t", "commit", "-qm", "base")
    (repo / "sources" / "new-talk.txt").write_bytes(b"")
    r = subprocess.run([*CLI, "validate", "sources", "--changed-since", "HEAD", "--format", "json"],
                       capture_output=True, text=True, cwd=repo)
    paths = {Path(f["path"]).name for f in json.loads(r.stdout)}
    assert paths == {"new-talk.txt"} and r.returncode == 1
    bad = subprocess.run([*CLI, "validate", "sources", "--changed-since", "no-such-ref"], capture_output=True,
                         text=True, cwd=repo)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_shortcuts_do_not_hide_errors(package):
    """Checks skipped because an intact foreign key implies them still run when the key breaks."""
    edit_csv(package, "turns.csv", set_cell("transcript_id", "Not An Id", 4))
    findings = validate_package(package)
    assert ("turns.csv", 5, "transcript_id") in codes_at(findings, "DT311")
    assert ("turns.csv", 5, "transcript_id") in codes_at(findings, "DT312")
    assert ("turns.csv", 5, "transcript_id,speaker_id") in codes_at(findings, "DT312")
    assert_parity(package, findings)


def test_row_numbers_are_file_rows_in_a_large_table(tmp_path):
    """Tables load unordered for speed; a failure reloads in file order, so rows stay exact."""
    out = tmp_path / "pkg"
    assert build_package([seed_copies(tmp_path / "src", 300)], out, workers=2).written
    edit_csv(out, "turns.csv", set_cell("n_words", "lots", 8765))
    edit_csv(out, "turns.csv", lambda rows: rows + [rows[4321]])
    findings = validate_package(out)
    assert ("turns.csv", 8766, "n_words") in codes_at(findings, "DT307")
    assert ("turns.csv", 9002, "transcript_id,turn_index") in codes_at(findings, "DT309")
    dup = next(f for f in findings if f.code == "DT309")
    assert "row 4322 has it too" in dup.message
