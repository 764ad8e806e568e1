"""The parser makes turn, marker and speaker records without validating them again
(diplomatic_transcripts/parse/rows.py): here every record it makes is validated against the
schema, so a value that is not correct by construction fails a test instead of reaching a
package.  Values from outside the parser that break the schema still raise as validation
always did."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from diplomatic_transcripts.parse import rows
from diplomatic_transcripts.parse.text import parse_text
from diplomatic_transcripts.records import Marker, Speaker, Turn
from tests.conftest import SEED, need_corpus
from tests.test_properties import transcript_like


def _exactly_valid(record) -> None:
    model = type(record)
    again = model.model_validate(record.model_dump())
    assert again == record
    assert list(record.__dict__) == list(model.model_fields)  # the order validation gives
    assert [type(v) for v in record.__dict__.values()] == [type(v) for v in again.__dict__.values()]
    assert record.model_fields_set == set(model.model_fields)
    assert record.model_dump_json() == again.model_dump_json()


def _all_valid(result) -> int:
    made = [*result.turns, *result.markers, *result.speakers]
    for record in made:
        _exactly_valid(record)
    return len(made)


def test_the_fast_way_is_taken():
    assert rows.FAST, "with this pydantic the records are validated one by one (slow, but right)"


def test_seed_records_are_valid():
    assert _all_valid(parse_text(SEED.read_text(encoding="utf-8"))) > 30


def test_corpus_records_are_valid():
    folder = need_corpus("statedept-text")
    n = 0
    for path in sorted(folder.glob("*.txt")) + sorted(need_corpus("whitehouse").glob("*.txt")):
        n += _all_valid(parse_text(path.read_text(encoding="utf-8")))
    assert n > 6000  # every turn, marker and speaker of the 98 texts


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcript_like())
def test_records_of_any_transcript_are_valid(text):
    _all_valid(parse_text(text, source_id="t"))
    _all_valid(parse_text(text))


def test_a_record_assigned_to_stays_a_record():
    r = parse_text(SEED.read_text(encoding="utf-8"))
    first, second = r.turns[0], r.turns[1]
    first.text = "Changed."
    assert first.model_fields_set == second.model_fields_set == set(Turn.model_fields)
    copy = second.model_copy(update={"text": "Other."})
    assert copy.text == "Other." and second.text != "Other."


def _turn_columns(speaker_id: str, language: str = "en", n_words: int = 1) -> tuple:
    return (range(1), [speaker_id], ["Q"], ["Hi."], [1], [n_words], [False], [False], [language], [False], [None],
            [None], [0], [3])


@pytest.mark.parametrize(("tid", "speaker_id", "language", "n_words"), [
    ("Bad Id", "q", "en", 1),   # a caller's id
    ("t", "-2", "en", 1),       # a speaker id slugified from a label with no ASCII letter
    ("t", "q", "English", 1),   # a language that is no BCP 47 tag
    ("t", "q", "en", -1),       # a count below zero
])
def test_values_outside_the_schema_fail_as_validation_does(tid, speaker_id, language, n_words):
    with pytest.raises(ValidationError):
        rows.turns(tid, _turn_columns(speaker_id, language, n_words))


def test_bad_marker_and_speaker_values_fail_as_validation_does():
    marker = {"transcript_id": "Bad Id", "turn_index": 0, "marker_index": 0, "kind": "laughter",
              "text": "(Laughter.)", "value": None, "start": 0, "end": 11, "source_start": 0, "source_end": 11}
    with pytest.raises(ValidationError):
        rows.markers([marker])
    with pytest.raises(ValidationError):
        rows.speakers("t", [("-2", "Q", ["Q"], None, None, None, "journalist", None)], outside_facts=False)
    with pytest.raises(ValidationError):
        rows.speakers("t", [("q", "Q", ["Q"], 7, None, None, "journalist", None)], outside_facts=True)


def test_good_values_give_the_records_validation_gives():
    turn = rows.turns("t", _turn_columns("q"))[0]
    assert turn == Turn(transcript_id="t", turn_index=0, speaker_id="q", label="Q", text="Hi.", n_paragraphs=1,
                        n_words=1, is_interrupted=False, is_continuation=False, language="en", is_interpreted=False,
                        reply_to=None, exchange_index=None, source_start=0, source_end=3)
    speaker = rows.speakers("t", [("q", "Q", ["Q"], None, None, None, "journalist", None)], outside_facts=False)[0]
    assert speaker == Speaker(transcript_id="t", speaker_id="q", label="Q", label_variants=["Q"], name=None,
                              role=None, affiliation=None, kind="journalist", person_id=None)
    marker = {"transcript_id": "t", "turn_index": 0, "marker_index": 0, "kind": "laughter", "text": "(Laughter.)",
              "value": None, "start": 0, "end": 11, "source_start": 0, "source_end": 11}
    assert rows.markers([dict(marker)])[0] == Marker(**marker)
