"""What a reader sees on the page, written down by reading it -- not taken from the parser.

Each expected value below was read off the page text in ../shared/corpus/statedept-text/
(the line numbers are the file's); labels are as printed (an NBSP inside a label reads as a
space), a paragraph is a block between blank lines, words are what a reader counts
(markers such as `(Inaudible.)` are not words).  The golden files in tests/golden/ catch
any change; these catch a wrong answer.  Pages were chosen for a quirk each.
"""

from __future__ import annotations

import datetime as dt

import pytest

from diplomatic_transcripts import parse_file
from tests.conftest import need_corpus


def page(prefix: str):
    folder = need_corpus("statedept-text")
    return parse_file(next(folder.glob(f"{prefix}_*.txt")))


def nbsp_as_space(s: str | None) -> str | None:
    return None if s is None else " ".join(s.replace("\u00a0", " ").split())


def test_026_kuwait_television_nbsp_inside_the_label():
    """NBSPs between the title's words and inside `SECRETARY\u00a0BLINKEN:`; three turns."""
    r = page("026")
    t = r.transcript
    assert nbsp_as_space(t.title) == "Secretary Antony J. Blinken with Kuwait Television"
    assert (t.principal_name, t.principal_role) == ("Antony J. Blinken", "Secretary of State")
    assert (t.city, t.country, t.country_code, t.venue) == ("Kuwait City", "Kuwait", "KW", "The Sheraton Hotel")
    assert t.event_type == "interview"
    # line 9 QUESTION, line 11 SECRETARY BLINKEN (+ line 13), line 15 QUESTION
    assert [x.label for x in r.turns] == ["QUESTION", "SECRETARY BLINKEN", "QUESTION"]
    assert [x.n_paragraphs for x in r.turns] == [1, 2, 1]
    # "So Mr. Secretary, if you could please tell us about your impression about your visit in Kuwait?"
    assert r.turns[0].n_words == 17
    assert r.turns[2].n_words == 3  # "Okay. Thank you."
    assert r.markers == []
    assert {s.label: s.kind for s in r.speakers} == {"QUESTION": "journalist", "SECRETARY BLINKEN": "principal"}


def test_037_yokota_single_speaker_with_an_nbsp_only_gap():
    r = page("037")
    t = r.transcript
    assert t.title == "Secretary Antony J. Blinken Remarks to Traveling Press Yokota Air Base Tokyo, Japan"
    assert (t.city, t.country, t.country_code, t.venue) == ("Tokyo", "Japan", "JP", "Yokota Air Base")
    assert t.event_type == "remarks"
    # one label (line 9, `SECRETARY BLINKEN:` then a lone NBSP), three paragraphs (lines 9, 11, 13)
    assert [(x.label, x.n_paragraphs) for x in r.turns] == [("SECRETARY BLINKEN", 3)]
    assert r.turns[0].text.startswith("Good morning. We just came from seeing Prime Minister Kishida.")
    assert r.turns[0].text.endswith("in this difficult time. Thank you.")
    assert r.markers == []


def test_046_jaishankar_long_label_and_inaudible_markers():
    r = page("046")
    t = r.transcript
    assert (t.city, t.country, t.country_code, t.venue) == ("New Delhi", "India", "IN", "Hyderabad House")
    # line 9 MODERATOR; lines 11-19 the minister (5 paragraphs); lines 21-25 Blinken (3)
    assert [(x.label, x.n_paragraphs) for x in r.turns] == [
        ("MODERATOR", 1), ("EXTERNAL AFFAIRS MINISTER JAISHANKAR", 5), ("SECRETARY BLINKEN", 3)]
    assert r.turns[0].n_words == 2  # "Minister Jaishankar."
    # (inaudible) on lines 11, 13 and 15, (Inaudible.) on line 19: the minister; (inaudible) on line 21: Blinken
    assert [(m.turn_index, m.kind, m.text) for m in r.markers] == [
        (1, "inaudible", "(inaudible)"), (1, "inaudible", "(inaudible)"), (1, "inaudible", "(inaudible)"),
        (1, "inaudible", "(Inaudible.)"), (2, "inaudible", "(inaudible)")]
    kinds = {s.label: s.kind for s in r.speakers}
    assert kinds == {"MODERATOR": "moderator", "EXTERNAL AFFAIRS MINISTER JAISHANKAR": "counterpart",
                     "SECRETARY BLINKEN": "principal"}


def test_038_merkel_interpreted_counterpart_speaks_first():
    r = page("038")
    t = r.transcript
    assert t.title == "Secretary Antony J. Blinken and German Chancellor Angela Merkel Before Their Meeting"
    assert (t.city, t.country, t.country_code, t.venue) == ("Berlin", "Germany", "DE", "Chancellery")
    # lines 11-19 Merkel (5 paragraphs), lines 21-29 Blinken (5, the last "Thank you."), line 31 Merkel
    assert [(x.label, x.n_paragraphs) for x in r.turns] == [
        ("CHANCELLOR MERKEL", 5), ("SECRETARY BLINKEN", 5), ("CHANCELLOR MERKEL", 1)]
    assert r.turns[2].text == "Okay, danke schoen." and r.turns[2].n_words == 3
    assert [(m.turn_index, m.kind, m.text) for m in r.markers] == [(0, "interpretation", "(Via interpreter)")]
    assert r.turns[0].is_interpreted and not r.turns[1].is_interpreted
    merkel = next(s for s in r.speakers if s.label == "CHANCELLOR MERKEL")
    assert (merkel.kind, merkel.name) == ("counterpart", "Angela Merkel")


def test_018_sinembargo_interpreted_questions_and_spanish():
    r = page("018")
    t = r.transcript
    assert (t.city, t.country, t.country_code, t.venue) == ("Los Angeles", "United States", "US", "Magic Box")
    # labels on lines 9 11 13 15 17 19 21 25 29 31 37 39; line 23 continues the question of line 21,
    # lines 27 and 33-35 continue Blinken's answers
    assert [x.label for x in r.turns] == ["QUESTION", "SECRETARY BLINKEN"] * 6
    assert [x.n_paragraphs for x in r.turns] == [1, 1, 1, 1, 1, 1, 2, 2, 1, 3, 1, 1]
    words = {0: 5, 1: 2, 2: 10, 3: 0, 5: 1, 10: 9, 11: 11}  # e.g. turn 3 is "(In Spanish.)" alone: no words
    assert {i: r.turns[i].n_words for i in words} == words
    assert [(m.turn_index, m.kind, m.text, m.value) for m in r.markers] == [
        (2, "interpretation", "(Via interpreter)", None), (3, "language", "(In Spanish.)", "es"),
        (4, "interpretation", "(Via interpreter)", None), (6, "language", "(in Spanish)", "es"),
        (6, "interpretation", "(Via interpreter)", None), (8, "interpretation", "(Via interpreter)", None),
        (10, "interpretation", "(Via interpreter)", None)]
    assert [x.turn_index for x in r.turns if x.is_interpreted] == [2, 4, 6, 8, 10]


def test_001_telephonic_briefing_with_operator_and_closing_line():
    r = page("001")
    t = r.transcript
    assert t.title == "Department Press Briefing – June 29, 2021"
    assert (t.principal_name, t.principal_role) == ("Jalina Porter", "Principal Deputy Spokesperson")
    assert t.time_text == "2:01 p.m. EDT"
    assert (t.date, t.date_source) == (dt.date(2021, 6, 29), "text")  # the date is in the title only
    assert t.event_type == "press_briefing"
    labels = [x.label for x in r.turns]
    # labels on lines 7 17 19 21 25 27 29 33 35 37 39 43 53 55 57 59 61 63 65 67 69 73
    assert len(labels) == 22
    assert (labels.count("MS PORTER"), labels.count("OPERATOR"), labels.count("QUESTION")) == (9, 5, 8)
    assert labels[:4] == ["MS PORTER", "OPERATOR", "QUESTION", "MS PORTER"]
    assert [x.n_paragraphs for x in r.turns if x.n_paragraphs > 1] == [5, 2, 2, 2, 5, 2, 3]
    # "Jalina, can you hear me?" / "Yes, I can hear you." / "Okay. Thanks." / "Go ahead, your line is open."
    assert (r.turns[8].n_words, r.turns[9].n_words, r.turns[17].n_words, r.turns[7].n_words) == (5, 5, 2, 6)
    # (inaudible) in Porter's turn from line 21, in the question of line 59; the closing line (77) ends the last turn
    assert [(m.turn_index, m.kind, m.text) for m in r.markers] == [
        (3, "inaudible", "(inaudible)"), (15, "inaudible", "(inaudible)"),
        (21, "procedural", "(The briefing was concluded at 2:10 p.m.)")]
    assert r.turns[-1].text.endswith("(The briefing was concluded at 2:10 p.m.)")
    assert {s.label: s.kind for s in r.speakers} == {"MS PORTER": "principal", "OPERATOR": "operator",
                                                     "QUESTION": "journalist"}


def test_seed_word_counts_as_a_reader_counts_them():
    """datasets/sources/2021-10-08-blinken-milenio-tv.txt, read by hand."""
    from tests.conftest import SEED

    r = parse_file(SEED)
    assert r.turns[0].n_words == 6  # "Secretary, thank you for your time."
    assert r.turns[1].n_words == 5  # "Good to be with you."
    assert r.turns[18].n_words == 9  # "So it’s cooperation and maybe investing in social programs?  (Inaudible.)"
    # "So returning them to their country where they do have a chance to achieve a better life?"
    assert r.turns[26].n_words == 17
    assert r.turns[28].n_words == 9  # "Thank you very much for your time here, sir."
    assert r.turns[29].n_words == 9  # "Thank you very much.  Good to be with you."
    assert r.transcript.n_words == sum(x.n_words for x in r.turns)


@pytest.mark.parametrize("prefix,n_turns,n_speakers,n_markers", [
    ("026", 3, 2, 0), ("037", 1, 1, 0), ("046", 3, 3, 5), ("038", 3, 2, 1), ("018", 12, 2, 7), ("001", 22, 3, 3),
])
def test_transcript_counts(prefix, n_turns, n_speakers, n_markers):
    t = page(prefix).transcript
    assert (t.n_turns, t.n_speakers, t.n_markers) == (n_turns, n_speakers, n_markers)
