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
        assert t.n_words == len(t.text.split()) - sum(
            len(t.text[m.start:m.end].split()) for m in result.markers if m.turn_index == t.turn_index) + sum(
            (m.start > 0 and t.text[m.start - 1] not in " \n") + (m.end < len(t.text) and t.text[m.end] not in " \n")
            for m in result.markers if m.turn_index == t.turn_index)
    if result.transcript:
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
