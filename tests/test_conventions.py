"""Conventions of publishers the development corpus does not hold, read from each document.

The documents in tests/data/conventions/ are written for these tests in the forms other
governments and newer White House pages use: `Q:`/`A:` labels, outlet names as labels
(`AFP:`, `The Paper:`), `Spokesperson Wang Wenbin:` in mixed case, an issuing office's lines
before an all-capital title, quoted headlines read out inside an answer, run-in headings of
a fact sheet, a bare closing time.  The expected values below are what a reader of each
document sees; nothing here comes from the parser.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diplomatic_transcripts import parse_file

DATA = Path(__file__).parent / "data" / "conventions"


def parsed(name: str):
    return parse_file(DATA / name)


def labels(r) -> list[str | None]:
    return [t.label for t in r.turns]


def kinds(r) -> dict[str | None, str]:
    return {s.label: s.kind for s in r.speakers}


def test_q_and_a_labels_with_the_spokesperson_in_the_title():
    r = parsed("mfa-q-and-a.txt")
    assert labels(r) == ["Q", "A"] * 3
    assert kinds(r) == {"Q": "journalist", "A": "principal"}
    t = r.transcript
    assert t.principal_name == "Hong Lei" and t.principal_role == "Foreign Ministry Spokesperson"
    assert t.date == dt.date(2015, 3, 2) and t.date_source == "text"  # the date in the title
    assert t.event_type == "press_briefing"  # a spokesperson's regular press conference
    assert [(m.kind, m.text) for m in r.markers] == [("laughter", "(Laughter.)"), ("editorial", "[sic]")]
    assert [t.reply_to for t in r.turns] == [None, 0, None, 2, None, 4]
    assert [t.exchange_index for t in r.turns] == [0, 0, 1, 1, 2, 2]


def test_outlets_as_labels_and_a_mixed_case_spokesperson():
    r = parsed("mfa-outlets.txt")
    spokesperson = "Spokesperson Wang Wenbin"
    assert labels(r) == [spokesperson, "CCTV", spokesperson, "AFP", spokesperson, "The Paper", spokesperson,
                         "Bloomberg", spokesperson]
    k = kinds(r)
    assert k[spokesperson] == "principal"
    assert {k[o] for o in ("CCTV", "AFP", "The Paper", "Bloomberg")} == {"journalist"}
    assert {s.label: s.affiliation for s in r.speakers if s.kind == "journalist"} == {
        "CCTV": "CCTV", "AFP": "AFP", "The Paper": "The Paper", "Bloomberg": "Bloomberg"}
    assert r.transcript.principal_name == "Wang Wenbin"
    # the announcement before the first label is a header line, not a turn, and every line is accounted for
    assert "unaccounted" not in {role for _, role in r.line_roles()}
    assert [m.text for m in r.markers] == ["(As interpreted.)"]
    assert r.markers[0].kind == "interpretation"
    # four questions, four exchanges; the opening words belong to none
    assert [t.exchange_index for t in r.turns] == [None, 0, 0, 1, 1, 2, 2, 3, 3]


def test_an_issuing_office_before_an_all_capital_title_and_headlines_read_out():
    r = parsed("wh-2025-layout.txt")
    t = r.transcript
    assert t.title == "PRESS BRIEFING BY PRESS SECRETARY KAROLINE LEAVITT"
    assert t.principal_name == "Karoline Leavitt"
    assert t.date == dt.date(2025, 3, 9)
    assert t.venue == "James S. Brady Press Briefing Room"
    assert (t.time_text, t.end_time_text) == ("1:06 P.M. EST", "1:52 P.M. EST")
    assert t.event_type == "press_briefing"
    # `CBS: “…”` and `NBC: “…”` are headlines the press secretary reads, inside her turn
    assert labels(r) == ["MS. LEAVITT", "Q", "MS. LEAVITT", "Q", "MS. LEAVITT", "Q"]
    assert "CBS: “Economy Adds Jobs as Inflation Cools”" in r.turns[0].text
    assert "That is good news for American families." in r.turns[0].text
    assert kinds(r) == {"MS. LEAVITT": "principal", "Q": "journalist"}
    assert [h.kind for h in r.header_lines] == ["office", "principal", "release", "date", "title", "venue", "time",
                                                "trailer"]
    assert not r.turns[-1].text.endswith("EST")  # the END line closes the transcript, outside every turn
    assert r.turns[3].is_interrupted and r.turns[4].is_continuation
    assert [m.kind for m in r.markers] == ["crosstalk"]


def test_run_in_headings_of_a_fact_sheet_are_not_speakers():
    r = parsed("wh-2025-fact-sheet.txt")
    assert r.transcript is None and r.turns == []
    assert [f.code for f in r.findings] == ["DT103"]


def test_a_joint_press_conference_named_in_the_title():
    r = parsed("joint-press-conference.txt")
    t = r.transcript
    assert (t.principal_name, t.principal_role) == ("Biden", "President")
    assert t.event_type == "press_availability"
    assert (t.venue, t.time_text, t.end_time_text) == ("East Room", "1:58 P.M. EST", "2:40 P.M. EST")
    by_label = {s.label: s for s in r.speakers}
    assert by_label["PRESIDENT BIDEN"].kind == "principal"
    scholz = by_label["CHANCELLOR SCHOLZ"]
    assert (scholz.kind, scholz.name, scholz.role, scholz.affiliation) == ("counterpart", "Scholz", "Chancellor",
                                                                           "Germany")
    # both leaders answer the first question
    assert [(t.label, t.reply_to) for t in r.turns[3:6]] == [("Q", None), ("PRESIDENT BIDEN", 3),
                                                             ("CHANCELLOR SCHOLZ", 3)]
    assert [m.kind for m in r.markers] == ["interpretation", "interpretation", "inaudible"]


def test_sentence_form_stage_directions():
    r = parsed("ministry-remarks.txt")
    assert labels(r) == ["Sergey Lavrov", "Question", "Sergey Lavrov", "Question", "Sergey Lavrov"]
    assert r.transcript.principal_name == "Sergey Lavrov"
    assert [(m.kind, m.text) for m in r.markers] == [("other", "(Turning to the Egyptian journalist)"),
                                                     ("laughter", "(The journalist laughed.)")]
    # `The journalist laughed.` outside parentheses is words of the turn, not a marker
    assert r.turns[2].text.endswith("The journalist laughed.")


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.txt")))
def test_offsets_lead_back_and_every_line_is_accounted_for(name):
    r = parsed(name)
    text = r.source_text
    assert "unaccounted" not in {role for _, role in r.line_roles()}
    for m in r.markers:
        assert text[m.source_start:m.source_end] == m.text
    for turn in r.turns:
        assert turn.label is None or text[turn.source_start:].startswith(turn.label.split()[0])


def test_labels_in_scripts_without_case_and_without_latin_letters():
    from diplomatic_transcripts.parse.text import parse_text

    r = parse_text("Title\n\n王文斌: 你好。\n\n记者: 问题?\n\n王文斌: 回答。\n\n记者: 又一个问题?\n", source_id="t")
    assert [t.label for t in r.turns] == ["王文斌", "记者", "王文斌", "记者"]
    assert [s.speaker_id for s in r.speakers] == ["speaker", "speaker-2"]  # no Latin letters to slug
    r = parse_text("Title\n\nЛАВРОВ: Да.\n\nΚΩΣΤΑΣ: Ναι.\n\nЛАВРОВ: Нет.\n", source_id="t")
    assert [s.speaker_id for s in r.speakers] == ["speaker", "speaker-2"]


def test_a_spokesperson_named_around_a_comma_and_journalists_named_by_first_name():
    r = parsed("weekly-media-briefing.txt")
    spokesperson = "Official Spokesperson, Shri Arindam Bagchi"
    assert labels(r) == [spokesperson, "Sidhant", spokesperson, "Follow-up", spokesperson]
    by_label = {s.label: s for s in r.speakers}
    assert (by_label[spokesperson].name, by_label[spokesperson].role) == ("Arindam Bagchi", "Official Spokesperson")
    assert by_label[spokesperson].person_id == "arindam-bagchi"
    assert by_label["Sidhant"].kind == by_label["Follow-up"].kind == "journalist"
    assert r.transcript.date == dt.date(2023, 3, 9) and r.transcript.event_type == "press_briefing"
    assert [t.exchange_index for t in r.turns] == [None, 0, 0, 1, 1]


def test_office_kinds_are_words_of_the_one_office_vocabulary():
    """The offices that make a speaker an official or a counterpart are drawn from the one
    list of office words, and no office is both."""
    from diplomatic_transcripts.vocabulary import HEAD_OFFICES, OFFICE_WORDS, OWN_OFFICES

    for phrase in OWN_OFFICES + HEAD_OFFICES:
        assert all(word in OFFICE_WORDS for word in phrase.split()), phrase
    assert not set(OWN_OFFICES) & set(HEAD_OFFICES)


@pytest.mark.parametrize("title", [
    "Briefing With Senior Defense Officials on the Summit",
    "Senior State Department Official On Travel to Asia",
    "Senior Officials Preview the Visit",
])
def test_a_title_of_anonymous_senior_officials_is_a_background_briefing(title):
    """Whatever body the officials belong to, a title that keeps them anonymous announces a
    background briefing."""
    from diplomatic_transcripts.parse.title import event_type_of

    assert event_type_of(title, None) == "background_briefing"
