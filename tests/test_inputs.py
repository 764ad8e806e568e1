"""Bytes in every form people save text in: the same records, or a clear finding."""

from __future__ import annotations

import pytest

from diplomatic_transcripts.parse.files import parse_text_bytes
from tests.conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _parse(data: bytes):
    return parse_text_bytes(data, path="x.txt", source_id="x", sidecar=None)


def _shape(r):
    return [(t.label, t.text, t.n_paragraphs) for t in r.turns], [(m.kind, m.text) for m in r.markers]


BASELINE = _shape(_parse(SEED_TEXT.encode("utf-8")))


@pytest.mark.parametrize("name,data", [
    ("bom", b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8")),
    ("crlf", SEED_TEXT.replace("\n", "\r\n").encode("utf-8")),
    ("cr", SEED_TEXT.replace("\n", "\r").encode("utf-8")),
])
def test_same_records_whatever_the_line_ends(name, data):
    r = _parse(data)
    assert _shape(r) == BASELINE
    text = r.source_text
    for m in r.markers:
        assert text[m.source_start:m.source_end] == m.text
    assert not text.startswith("\ufeff")


def test_single_newlines_give_the_same_turns():
    import re

    r = _parse(re.sub(r"\n\n+", "\n", SEED_TEXT).encode("utf-8"))
    assert [(t.label, t.text.replace("\n\n", " ")) for t in r.turns] == \
        [(lab, txt.replace("\n\n", " ")) for lab, txt, _ in BASELINE[0]]


def test_cp1252_decodes_with_a_warning():
    r = _parse(SEED_TEXT.encode("cp1252", errors="replace"))
    assert r.transcript is not None and len(r.turns) == 30
    warning = [f for f in r.findings if f.code == "DT102"]
    assert warning and warning[0].severity == "warning" and warning[0].line >= 1
    assert r.ok


@pytest.mark.parametrize("data,code", [
    (b"", "DT100"), (b"   \n\n \t\n", "DT100"), (b"QUESTION: hi\x00there", "DT101"),
    (bytes(range(256)) * 4, "DT101"),
])
def test_bad_input_is_a_finding(data, code):
    r = _parse(data)
    assert r.transcript is None and not r.ok
    assert [f.code for f in r.findings if f.severity == "error"] == [code]


def test_nul_byte_finding_points_at_it():
    r = _parse(b"Title\n\nQUESTION: a\x00b\n")
    f = r.findings[0]
    assert (f.code, f.line, f.column) == ("DT101", 3, 12)


def test_sanctions_notice_is_not_a_transcript():
    text = ("Sanctioning Vessels\n\nThe Department is designating the following.\n\n"
            "VESSEL NAME: OCEAN STAR\n\nVESSEL TYPE: Crude Oil Tanker\n\nVESSEL FLAG: Panama\n")
    r = _parse(text.encode())
    assert r.transcript is None and r.turns == []
    assert [f.code for f in r.findings] == ["DT103"]
    assert {role for _, role in r.line_roles()} <= {"title", "skipped"}


def test_statement_is_not_a_transcript_but_remarks_are():
    statement = "Statement on Something\n\nThe United States condemns the attack. We stand with the people.\n"
    assert _parse(statement.encode()).transcript is None
    remarks = ("Secretary Antony J. Blinken Remarks at the Opening\n\nAntony J. Blinken, Secretary of State\n\n"
               "Washington, D.C.\n\nGood morning, everyone. It is a pleasure to be here.\n\nThank you.\n")
    r = _parse(remarks.encode())
    assert r.transcript.event_type == "remarks"
    assert len(r.turns) == 1 and r.turns[0].label is None and r.turns[0].n_paragraphs == 2
    assert r.speakers[0].kind == "principal" and r.speakers[0].name == "Antony J. Blinken"


def test_prose_with_a_colon_is_not_a_label():
    text = ("Secretary Blinken at a Press Availability\n\nSECRETARY BLINKEN: Thank you.\n\n"
            "But the bottom line is this: we will act.\n\nSecond question is: when?\n\nQUESTION: Thanks.\n")
    r = _parse(text.encode())
    assert [t.label for t in r.turns] == ["SECRETARY BLINKEN", "QUESTION"]
    assert r.turns[0].n_paragraphs == 3


def test_mixed_case_labels_when_the_page_shows_them():
    text = ("Telephonic Press Briefing with Juan Gonzalez\n\nModerator: Welcome, everyone.\n\n"
            "Mr. Gonzalez: Thanks. Let me start.\n\nQuestion: What next?\n\nMr. Gonzalez: We will see.\n")
    r = _parse(text.encode())
    assert [t.label for t in r.turns] == ["Moderator", "Mr. Gonzalez", "Question", "Mr. Gonzalez"]
    kinds = {s.label: s.kind for s in r.speakers}
    assert kinds["Moderator"] == "moderator" and kinds["Question"] == "journalist"


def test_newer_layout_reads_by_content():
    text = ("Antony J. Blinken, Secretary of State\n\nTurkish Foreign Minister Mevlüt Çavuşoğlu\n\n"
            "Ankara, Türkiye\n\nPresidential Complex\n\nSecretary Antony J. Blinken and Turkish Foreign Minister "
            "Mevlüt Çavuşoğlu at a Joint Press Availability\n\nRemarks\n\nJuly 7, 2026\n\n2:01 p.m. EDT\n\n"
            "FOREIGN MINISTER ÇAVUŞOĞLU:\u00a0 Welcome.\n\nSECRETARY BLINKEN: Thank you.\n")
    r = _parse(text.encode())
    t = r.transcript
    assert t.title.startswith("Secretary Antony J. Blinken and Turkish")
    assert (t.city, t.country, t.country_code, t.venue) == ("Ankara", "Türkiye", "TR", "Presidential Complex")
    assert str(t.date) == "2026-07-07" and t.date_source == "text" and t.time_text == "2:01 p.m. EDT"
    assert t.principal_name == "Antony J. Blinken"
    assert t.event_type == "press_availability"
    fm = next(s for s in r.speakers if s.label == "FOREIGN MINISTER ÇAVUŞOĞLU")
    assert (fm.kind, fm.name, fm.affiliation) == ("counterpart", "Mevlüt Çavuşoğlu", "Türkiye")
    assert {k for _, k in r.line_roles()} == {"principal", "counterpart", "place", "venue", "title", "doc_type",
                                              "date", "time", "turn"}


@pytest.mark.parametrize("line,expected", [
    ("Washington, D.C.", ("Washington", "United States", "US", False)),
    ("Washington, DC", ("Washington", "United States", "US", False)),
    ("Via Teleconference", (None, None, None, True)),
    ("Honolulu, Hawaii", ("Honolulu", "United States", "US", False)),
    ("Seoul, Republic of Korea", ("Seoul", "Republic of Korea", "KR", False)),
    ("Antony J. Blinken, Secretary of State", None),
])
def test_places(line, expected):
    from diplomatic_transcripts.parse.places import resolve_place

    p = resolve_place(line)
    assert (p and (p.city, p.country, p.country_code, p.is_virtual)) == expected


@pytest.mark.parametrize("inner,kind,value", [
    ("Inaudible.", "inaudible", None), ("Via interpreter", "interpretation", None),
    ("Via translation", "interpretation", None), ("In Spanish.", "language", "es"),
    ("Speaks in French.", "language", "fr"), ("In English", "language", "en"),
    ("Off-mike.", "off_mic", None), ("In progress", "in_progress", None), ("Break.", "break", None),
    ("The briefing was concluded at 2:10 p.m.", "procedural", None), ("Laughter.", "laughter", None),
    ("Applause.", "applause", None), ("Crosstalk.", "crosstalk", None), ("EPA", None, None), ("a", None, None),
    ("In Japanese and Korean.", "language", "ja,ko"),
])
def test_marker_kinds(inner, kind, value):
    from diplomatic_transcripts.parse.markers import classify

    assert classify(inner) == (kind, value)


def test_prose_parentheses_are_not_markers():
    from diplomatic_transcripts.parse.markers import find_markers

    assert find_markers("The agency (EPA) and item (a) and the (largely ignored) rule.") == []
    assert [m.kind for m in find_markers("Thank you.  (Chit-chat.)  So let us start.")] == ["other"]


def test_whole_state_gov_page(tmp_path):
    from diplomatic_transcripts import parse_file

    page = tmp_path / "secretary-blinken-at-a-press-availability.html"
    page.write_text(
        "<html><head><title>Secretary Blinken at a Press Availability - United States Department of State</title>"
        '<meta property="article:published_time" content="2022-03-05T10:00:00+00:00"></head><body>'
        "<nav><p>MENU: Home</p></nav><h1>Secretary Blinken at a Press Availability</h1>"
        '<div class="entry-content"><p>Antony J. Blinken, Secretary of State</p><p>Paris, France</p>'
        "<p><strong>SECRETARY BLINKEN:</strong>&nbsp; Hello.&nbsp; (Laughter.)</p><p><strong>Moderator:</strong> "
        "Questions?</p><p><strong>QUESTION:</strong> Hi?</p></div></body></html>", encoding="utf-8")
    r = parse_file(page)
    t = r.transcript
    assert (t.title, t.source_format, t.city, str(t.date), t.date_source) == (
        "Secretary Blinken at a Press Availability", "html", "Paris", "2022-03-05", "feed")
    assert t.transcript_id == "secretary-blinken-at-a-press-availability"
    assert [x.label for x in r.turns] == ["SECRETARY BLINKEN", "Moderator", "QUESTION"]
    assert r.source_text[r.markers[0].source_start:r.markers[0].source_end] == "(Laughter.)"
    import hashlib

    assert t.source_sha256 == hashlib.sha256(page.read_bytes()).hexdigest()
