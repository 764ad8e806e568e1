"""persons.n_transcripts counts distinct transcripts (and validate checks it), and the
small things: every registered finding code is emitted somewhere, test helpers live in
tests/, no extra repeats a core dependency, no file cites a document the repository lacks."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyarrow.parquet as pq

from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.persons import PersonIndex
from diplomatic_transcripts.validate import validate_package
from tests.conftest import ROOT
from tests.package_edits import refresh_resource_facts

BRIEFING = """Department Press Briefing – June {day}, 2021

Washington, D.C.

{first}: Good afternoon, everyone.

QUESTION: Thank you. A question on the talks.

{second}: We have nothing to announce today.
"""


def three_briefings(folder: Path) -> Path:
    """Ned Price named by his label in all three; in the first he is also the SPOKESPERSON, a
    label printed there without a name, which the second names: one person, three transcripts."""
    folder.mkdir()
    (folder / "briefing-1.txt").write_text(BRIEFING.format(day=1, first="MR PRICE", second="SPOKESPERSON"))
    (folder / "briefing-1.toml").write_text('date = 2021-06-01\n[speakers."MR PRICE"]\nname = "Ned Price"\n'
                                            '[speakers."SPOKESPERSON"]\nkind = "official"\n')
    (folder / "briefing-2.txt").write_text(BRIEFING.format(day=2, first="SPOKESPERSON", second="SPOKESPERSON"))
    (folder / "briefing-2.toml").write_text('date = 2021-06-02\n[speakers."SPOKESPERSON"]\nname = "Ned Price"\n'
                                            'kind = "official"\n')
    (folder / "briefing-3.txt").write_text(BRIEFING.format(day=3, first="MR PRICE", second="MR PRICE"))
    (folder / "briefing-3.toml").write_text('date = 2021-06-03\n[speakers."MR PRICE"]\nname = "Ned Price"\n')
    return folder


def test_a_person_named_and_resolved_in_one_transcript_counts_it_once(tmp_path):
    out = tmp_path / "pkg"
    assert build_package([three_briefings(tmp_path / "src")], out).written
    speakers = pq.read_table(out / "speakers.parquet").to_pylist()
    price_in = sorted((s["transcript_id"], s["label"]) for s in speakers if s["person_id"] == "ned-price")
    assert price_in == [("briefing-1", "MR PRICE"), ("briefing-1", "SPOKESPERSON"), ("briefing-2", "SPOKESPERSON"),
                        ("briefing-3", "MR PRICE")]
    persons = {p["person_id"]: p for p in pq.read_table(out / "persons.parquet").to_pylist()}
    assert persons["ned-price"]["n_transcripts"] == 3
    assert validate_package(out) == []


def test_person_index_counts_distinct_transcripts_whatever_the_order():
    index = PersonIndex()
    rows = [{"transcript_id": t, "person_id": "ned-price", "name": "Ned Price", "label": "MR PRICE",
             "label_variants": ["MR PRICE"], "kind": "official", "role": None} for t in ("b1", "b2", "b3")]
    for row in rows:
        index.add(row, None)
    index.note_resolved({**rows[0], "label": "SPOKESPERSON", "label_variants": ["SPOKESPERSON"]}, "ned-price", None)
    index.note_resolved({**rows[0], "transcript_id": "b4"}, "ned-price", None)
    assert index.persons_rows()[0]["n_transcripts"] == 4  # b1, b2, b3 and b4; b1 once


def test_validate_checks_persons_n_transcripts_against_speakers(tmp_path):
    import csv
    import io

    out = tmp_path / "pkg"
    assert build_package([three_briefings(tmp_path / "src")], out).written
    path = out / "persons.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    column = rows[0].index("n_transcripts")
    rows[1][column] = "4"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    refresh_resource_facts(out, "persons.csv")
    found = [(f.code, f.line, f.field) for f in validate_package(out)]
    assert found == [("DT313", 2, "n_transcripts")]


def test_every_registered_finding_code_is_emitted_somewhere():
    from diplomatic_transcripts.findings import CODES

    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "diplomatic_transcripts").rglob("*.py")
                     if p.name != "findings.py")
    unused = [c for c in CODES if c not in code]
    assert unused == []


def test_library_holds_no_test_helpers():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "diplomatic_transcripts").rglob("*.py"))
    assert "refresh_resource_facts" not in code


def test_no_extra_repeats_a_core_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    for extra, deps in project["optional-dependencies"].items():
        assert extra not in core, f"extra [{extra}] is a core dependency"
        repeated = {re.split(r"[<>=\[ ]", d)[0].lower() for d in deps} & core
        assert not repeated, f"extra [{extra}] repeats core {sorted(repeated)}"


def test_no_file_cites_a_document_the_repository_lacks():
    cited = re.compile(r"\b([A-Z][A-Z_]+\.md)\b")
    missing = set()
    for path in [*ROOT.glob("*.md"), *(ROOT / "diplomatic_transcripts").rglob("*.py"), *(ROOT / "tests").glob("*.py")]:
        for name in cited.findall(path.read_text(encoding="utf-8")):
            if not (ROOT / name).exists():
                missing.add((path.relative_to(ROOT).as_posix(), name))
    assert missing == set()
