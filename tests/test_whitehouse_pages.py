"""White House pages, with the facts a reader sees on them written out by hand.

Each expected value below was read off the page in ../shared/corpus/whitehouse/ (NAME.txt):
its labels in order, how many turns each speaker has, the stage directions and bracketed
insertions as printed, the header's venue, place, date and times.  They are not taken from
the parser or from the corpus's answer keys.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from diplomatic_transcripts import parse_file
from tests.conftest import need_corpus


def page(name: str):
    return parse_file(need_corpus("whitehouse", name + ".txt"))


def test_questions_after_marine_one_arrival():
    """`Q` set off by one space, no colon; THE PRESIDENT answers; a closing bare time."""
    r = page("wh-2023-02-06-remarks-by-president-biden-after-marine-one-arrival-17")
    t = r.transcript
    assert [x.label for x in r.turns] == ["Q", "THE PRESIDENT"] * 18
    assert (t.title, t.venue, t.time_text, t.end_time_text) == (
        "Remarks by President Biden After Marine One Arrival", "South Lawn", "4:08 P.M. EST", "4:12 P.M. EST")
    assert t.principal_name == "Biden" and t.event_type == "remarks"
    assert {s.label: s.kind for s in r.speakers} == {"Q": "journalist", "THE PRESIDENT": "principal"}
    assert [(m.turn_index, m.kind, m.text) for m in r.markers] == [(7, "inaudible", "(inaudible)"),
                                                                   (21, "laughter", "(Laughs.)")]
    assert r.turns[1].text == "No —" and r.turns[1].is_interrupted
    assert r.turns[10].text == "— of migration?" and r.turns[10].is_continuation
    assert r.turns[27].n_paragraphs == 2 and r.turns[35].n_paragraphs == 3
    assert r.turns[35].text.endswith("Thank you.")  # the closing time stays out of the last turn
    # every answer replies to the question before it; `— of migration?` resumes the question it follows up
    assert all(r.turns[k].reply_to == k - 1 for k in range(1, 36, 2))
    exchanges = [x.exchange_index for x in r.turns]
    assert exchanges[8] == exchanges[10] == 4 and max(exchanges) == 16


def test_background_call_with_a_printed_date_and_withheld_names():
    r = page("wh-2021-03-31-background-press-call-by-a-senior-administration-official-on-the-presidents-ame")
    t = r.transcript
    sao = "SENIOR ADMINISTRATION OFFICIAL"
    assert [x.label for x in r.turns] == [
        "MS. SIMONS", sao, "MS. SIMONS", "Q", sao, "MS. SIMONS", "Q", sao, "MS. SIMONS", "Q", sao, "MS. SIMONS",
        "Q", sao, "MS. SIMONS", sao, "MS. SIMONS", "Q", sao, "MS. SIMONS"]
    assert t.is_virtual and t.date == dt.date(2021, 3, 30) and t.date_source == "text"
    assert (t.time_text, t.end_time_text) == ("8:17 P.M. EDT", "8:49 P.M. EDT")
    assert t.event_type == "background_briefing" and t.principal_name is None
    assert {s.label: s.kind for s in r.speakers} == {"MS. SIMONS": "official", sao: "official", "Q": "journalist"}
    assert [(m.kind, m.text) for m in r.markers] == [("redaction", "[senior administration official]"),
                                                     ("editorial", "[sic]")]


def test_campaign_event_with_the_audience_and_an_end_line():
    r = page("wh-2024-06-28-remarks-by-vice-president-harris-at-a-campaign-event-7")
    t = r.transcript
    assert Counter(x.label for x in r.turns) == {"THE VICE PRESIDENT": 10, "AUDIENCE": 8, "AUDIENCE MEMBER": 1}
    assert [x.label for x in r.turns][:6] == ["THE VICE PRESIDENT", "AUDIENCE", "THE VICE PRESIDENT", "AUDIENCE",
                                              "THE VICE PRESIDENT", "AUDIENCE MEMBER"]
    assert (t.city, t.country_code, t.venue) == ("Las Vegas", "US", "East Las Vegas Community Center")
    assert (t.time_text, t.end_time_text) == ("12:09 P.M. PDT", "12:20 P.M. PDT")
    assert (t.principal_name, t.principal_role) == ("Harris", "Vice President")
    assert {s.label: s.kind for s in r.speakers} == {"THE VICE PRESIDENT": "principal", "AUDIENCE": "participant",
                                                     "AUDIENCE MEMBER": "participant"}
    printed = Counter(m.text for m in r.markers)
    assert printed == {"(Applause.)": 22, "(applause)": 5, "(laughs)": 3, "(Laughs.)": 1, "(laughter)": 1,
                       "(Laughter and applause.)": 1}
    assert r.turns[-1].is_continuation and r.turns[-1].text.startswith("— we win!")
    assert all(x.exchange_index is None for x in r.turns)  # nobody asks questions


def test_statements_fact_sheets_and_readouts_are_not_transcripts():
    for name in ("wh-2023-11-13-fact-sheet-biden-harris-administration-issues-landmark-blueprint-to-advance-ame",
                 "wh-2023-05-15-readout-of-apnsa-jake-sullivans-call-with-president-of-gabon-ali-bongo-ondimba",
                 "wh-2023-09-14-statement-from-president-joe-biden-announcing-the-new-u-s-special-representativ",
                 "wh-2025-06-04-presidential-message-on-the-83rd-anniversary-of-the-battle-of-midway"):
        r = page(name)
        assert r.transcript is None and r.turns == [], name
        assert "DT103" in {f.code for f in r.findings}


def test_every_whitehouse_page_accounts_for_its_lines():
    folder = need_corpus("whitehouse")
    for path in sorted(folder.glob("*.txt")):
        r = parse_file(path)
        assert "unaccounted" not in {role for _, role in r.line_roles()}, path.name
        for m in r.markers:
            assert r.source_text[m.source_start:m.source_end] == m.text
