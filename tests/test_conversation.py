"""Who answers whom: `turns.reply_to` and `turns.exchange_index`.

The seed's expected values come from reading it: fourteen QUESTION turns, each answered by
SECRETARY BLINKEN, twice in two turns (19 and 20 after 18, 24 and 25 after 23).
"""

from __future__ import annotations

import json

import pytest

from diplomatic_transcripts import parse_file
from diplomatic_transcripts.parse.conversation import link_turns
from tests.conftest import SEED, need_corpus


def test_the_seed_answers_each_question():
    r = parse_file(SEED)
    questions = [t.turn_index for t in r.turns if t.label == "QUESTION"]
    for t in r.turns:
        if t.label == "SECRETARY BLINKEN":
            assert t.reply_to == max(q for q in questions if q < t.turn_index)
    assert (r.turns[19].reply_to, r.turns[20].reply_to) == (18, 18)
    assert (r.turns[24].reply_to, r.turns[25].reply_to) == (23, 23)
    assert len({t.exchange_index for t in r.turns}) == 14 == len(questions)
    assert all(t.reply_to is None for t in r.turns if t.label == "QUESTION")


def test_every_question_answered_by_an_official_is_in_an_exchange():
    folder = need_corpus("whitehouse")
    checked = 0
    for gold in sorted(folder.glob("*.gold.json")):
        if not json.loads(gold.read_text(encoding="utf-8"))["is_transcript"]:
            continue
        r = parse_file(gold.with_name(gold.name.replace(".gold.json", ".txt")))
        kinds = {s.speaker_id: s.kind for s in r.speakers}
        checked += 1
        for a, b in zip(r.turns, r.turns[1:]):
            if a.label == "Q" and kinds[b.speaker_id] != "journalist":
                assert a.exchange_index is not None, (gold.name, a.turn_index)
                assert b.exchange_index == a.exchange_index and b.reply_to == a.turn_index
    assert checked == 40


J, P, M = "journalist", "principal", "moderator"


@pytest.mark.parametrize("kinds,interrupted,continued,reply_to,exchange", [
    # opening remarks, then two questions each answered by two officials
    ([P, "counterpart", J, P, "counterpart", J, P], [0] * 7, [0] * 7,
     [None, 0, None, 2, 2, None, 5], [None, None, 0, 0, 0, 1, 1]),
    # a journalist cuts into an answer that then goes on: one exchange
    ([J, P, J, P], [0, 1, 0, 0], [0, 0, 0, 1], [None, 0, 1, 2], [0, 0, 0, 0]),
    # a question that cuts off an answer which does not go on opens the next exchange
    ([J, P, J, P], [0, 1, 0, 0], [0, 0, 0, 0], [None, 0, None, 2], [0, 0, 1, 1]),
    # a moderator steering between exchanges follows the turn before
    ([M, J, P, M, J, P], [0] * 6, [0] * 6, [None, None, 1, 2, None, 4], [None, 0, 0, 0, 1, 1]),
    # two journalists in a row: the second follows up the first
    ([J, J, P], [0] * 3, [0] * 3, [None, 0, 1], [0, 0, 0]),
])
def test_link_turns(kinds, interrupted, continued, reply_to, exchange):
    got_reply, got_exchange = link_turns(kinds, [bool(x) for x in interrupted], [bool(x) for x in continued])
    assert got_reply == reply_to and got_exchange == exchange
