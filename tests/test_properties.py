"""Property tests: any text or bytes give records or findings, never an exception, and
every offset leads back to the source."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplomatic_transcripts.parse.files import parse_text_bytes
from diplomatic_transcripts.parse.text import parse_text

LABELS = ["QUESTION", "SECRETARY BLINKEN", "MR. PRICE", "MR PRICE", "Moderator", "FOREIGN\u00a0 MINISTER ÇAVUŞOĞLU",
          "VESSEL TYPE", "OPERATOR", "SENIOR STATE DEPARTMENT OFFICIAL ONE"]
PIECES = ["(Inaudible.)", "(Via interpreter)", "(In Spanish.)", "(Laughter.)", "(EPA)", "—", "–", "\u00a0", "  ",
          "Thank you.", "But the bottom line is this:", "Washington, D.C.", "July 7, 2026", "2:01 p.m. EDT",
          "Antony J. Blinken, Secretary of State", "(", ")", "[inaudible]", ":", "\t", "\ufeff", "\u2028"]
SEPARATORS = ["\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n\n\n", " \n"]


@st.composite
def transcript_like(draw):
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(draw(st.sampled_from(LABELS)) + draw(st.sampled_from([":", ": ", ":\u00a0 ", ":  "])))
        elif kind == 1:
            parts.append(draw(st.sampled_from(PIECES)))
        elif kind == 2:
            parts.append(draw(st.text(max_size=40)))
        else:
            parts.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


def _check(result, text):
    assert result.source_text == text or result.transcript is None
    for m in result.markers:
        assert text[m.source_start:m.source_end] == m.text
        turn = result.turns[m.turn_index]
        assert 0 <= m.start < m.end <= len(turn.text)
        assert re.sub(r"\s+", " ", turn.text[m.start:m.end]) == re.sub(r"\s+", " ", m.text.replace("\u00a0", " "))
    for t in result.turns:
        assert 0 <= t.source_start <= t.source_end <= len(text)
        # word counts, in other terms than the parser's: markers are no words, so a turn without
        # one has as many words as its text has runs of non-space, and no turn has more
        has_markers = any(m.turn_index == t.turn_index for m in result.markers)
        assert t.n_words == len(t.text.split()) or (has_markers and 0 <= t.n_words <= len(t.text.split()) + 2 * sum(
            m.turn_index == t.turn_index for m in result.markers))
    if result.transcript:
        assert result.transcript.n_words == sum(t.n_words for t in result.turns)
        assert result.transcript.n_turns == len(result.turns)
        assert {t.speaker_id for t in result.turns} <= {s.speaker_id for s in result.speakers}
    roles = result.line_roles()
    assert all(role != "unaccounted" for _, role in roles) or result.transcript is None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcript_like())
def test_transcript_like_text_never_raises_and_offsets_round_trip(text):
    _check(parse_text(text, source_id="t"), text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text):
    _check(parse_text(text, source_id="t"), text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_records_or_findings(data):
    r = parse_text_bytes(data, path="b.txt", source_id="b", sidecar=None)
    assert r.transcript is not None or r.findings
    for m in r.markers:
        assert r.source_text[m.source_start:m.source_end] == m.text


HTML_PIECES = ["<p>", "</p>", "<br>", "<strong>", "</strong>", "QUESTION:", "SECRETARY BLINKEN:", "&nbsp;", "&amp;",
               "<div class='entry-content'>", "</div>", "<script>x</script>", "<!-- c -->", "(Inaudible.)", "<b>Moderator:</b>",
               "<", ">", "&", "\n", "\r\n", "Washington, D.C."]


@st.composite
def html_like(draw):
    return "".join(draw(st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.text(max_size=20)), max_size=30)))


@settings(max_examples=300, deadline=None)
@given(html_like())
def test_html_never_raises_and_offsets_round_trip(html):
    from diplomatic_transcripts.parse.web import parse_html_bytes

    r = parse_html_bytes(html.encode("utf-8", errors="surrogatepass"), path="p.html", source_id="p")
    assert r.transcript is not None or r.findings
    for m in r.markers:
        assert r.source_text[m.source_start:m.source_end] == m.text


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=500))
def test_feed_lines_never_raise(raw):
    from diplomatic_transcripts.parse.web import parse_feed_line

    r = parse_feed_line(raw, path="f.jsonl", line=1, source_id=None)
    assert r.transcript is not None or r.findings


WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
         "lima", "we’ve", "U.S.", "twenty-one", "2021", "yes?", "well,"]
MARKERS = {"(Laughter.)": "laughter", "(Inaudible.)": "inaudible", "(Applause.)": "applause",
           "(Crosstalk.)": "crosstalk"}
SPEAKERS = ["QUESTION", "SECRETARY BLINKEN"]


@st.composite
def dialogues(draw):
    """A transcript built from known parts: (label, words, markers placed after which word) a turn."""
    turns = []
    for i in range(draw(st.integers(1, 8))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
        marks = draw(st.lists(st.tuples(st.integers(1, len(words)), st.sampled_from(sorted(MARKERS))), max_size=2))
        turns.append((SPEAKERS[i % 2], words, sorted(marks)))
    return turns


def _text_of(turns) -> str:
    out = ["A Conversation About Many Things", ""]
    for label, words, marks in turns:
        pieces = []
        for k, w in enumerate(words, 1):
            pieces.append(w)
            pieces += [m for after, m in marks if after == k]
        out += [f"{label}: " + " ".join(pieces), ""]
    return "\n".join(out)


@settings(max_examples=150, deadline=None)
@given(dialogues())
def test_counts_of_a_transcript_built_from_known_parts(turns):
    """Turns, labels, words and markers are what was put in: a truth known by construction."""
    r = parse_text(_text_of(turns), source_id="t")
    assert r.transcript is not None
    assert [t.label for t in r.turns] == [label for label, _, _ in turns]
    assert [t.n_words for t in r.turns] == [len(words) for _, words, _ in turns]
    assert r.transcript.n_words == sum(len(words) for _, words, _ in turns)
    assert [(m.turn_index, m.kind, m.text) for m in r.markers] == [
        (i, MARKERS[m], m) for i, (_, _, marks) in enumerate(turns) for _, m in marks]
    assert r.transcript.n_speakers == min(len(turns), 2)
