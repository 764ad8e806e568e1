"""Property tests over the forms of any publisher: a transcript written out in any of the
conventions the parser reads (`NAME:` labels, `Q` set off by a gap or one space, indented
labels, blank lines or single line breaks, CRLF) gives back exactly the turns it was written
from; a fact sheet of run-in headings gives none; Markdown never raises and its offsets
lead back to the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplomatic_transcripts.parse.markdown import parse_markdown_bytes
from diplomatic_transcripts.parse.text import parse_text

WORDS = ["the", "president", "will", "travel", "next", "week", "we", "have", "nothing", "to", "announce", "on",
         "that", "question", "thank", "you", "so", "much", "and", "what", "about", "trade", "policy", "today", "—"]
OFFICIALS = [["MS. PSAKI"], ["SECRETARY BLINKEN", "FOREIGN MINISTER LE DRIAN"], ["MR. KIRBY", "MODERATOR"],
             ["THE PRESIDENT"], ["Spokesperson Wang Wenbin"], ["SENIOR ADMINISTRATION OFFICIAL", "MS. SIMONS"]]
QUESTIONERS = [("Q", "Q\u00a0\u00a0\u00a0 "), ("Q", "Q "), ("Q", "Q    "), ("QUESTION", "QUESTION: "), ("Q", "Q: "),
               ("Q", "Q:\u00a0 ")]
GAPS = [": ", ":\u00a0 ", ":  ", ":\u00a0"]


@st.composite
def written_transcript(draw):
    officials = draw(st.sampled_from(OFFICIALS))
    q_label, q_form = draw(st.sampled_from(QUESTIONERS))
    indent = draw(st.sampled_from(["", "", "   ", "\u00a0 "]))
    between = draw(st.sampled_from(["\n\n", "\n", "\n\u00a0\n", "\n \n\n"]))
    n = draw(st.integers(4, 16))
    turns = []
    for i in range(n):
        asks = i % 2 == 1
        label = q_label if asks else draw(st.sampled_from(officials))
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
        text = " ".join(words).replace("— ", "— ").strip()
        text = text[0].upper() + text[1:] + ("?" if asks else ".")
        if text[0] == "—":
            text = "Well " + text
        turns.append((label, text))
    body = [indent + (q_form if label == q_label and label != officials[0] else label + draw(st.sampled_from(GAPS)))
            + text for label, text in turns]
    document = "Press Briefing by Press Secretary Jen Psaki, May 25, 2021\n\n" + between.join(body) + "\n"
    if draw(st.booleans()):
        document = document.replace("\n", "\r\n")
    return document, turns


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_transcript())
def test_a_transcript_written_in_any_convention_gives_back_its_turns(case):
    document, turns = case
    r = parse_text(document, source_id="t")
    assert r.transcript is not None
    assert [(t.label, t.text.split()[0]) for t in r.turns] == [(label, text.split()[0]) for label, text in turns]
    assert [t.text.replace("\n", " ") for t in r.turns] == [text for _, text in turns]
    questioners = {t.speaker_id for t in r.turns if t.turn_index % 2 == 1}
    assert {s.kind for s in r.speakers if s.speaker_id in questioners} == {"journalist"}
    assert "unaccounted" not in {role for _, role in r.line_roles()}


HEADINGS = ["PROVIDING AMERICANS THE TRUTH", "ENDING WASTEFUL SPENDING", "PROTECTING AMERICAN WORKERS",
            "RESTORING ACCOUNTABILITY", "BUILDING ON SUCCESS", "DELIVERING RESULTS FOR FAMILIES",
            "PRESIDENT TRUMP'S COMMITMENT TO TRANSPARENCY", "UNLEASHING AMERICAN ENERGY"]


@st.composite
def fact_sheet(draw):
    headings = draw(st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=len(HEADINGS), unique=True))
    paragraphs = []
    for h in headings:
        words = draw(st.lists(st.sampled_from(WORDS[:14]), min_size=3, max_size=30))
        paragraphs.append(f"{h}: Today, the administration " + " ".join(words) + ".")
        if draw(st.booleans()):
            paragraphs.append("The order directs agencies to " + " ".join(words) + ".")
    return "Fact Sheet: The Administration Acts\n\n" + "\n\n".join(paragraphs) + "\n"


@settings(max_examples=200, deadline=None)
@given(fact_sheet())
def test_run_in_headings_never_make_a_transcript(document):
    r = parse_text(document, source_id="f")
    assert r.transcript is None and r.turns == []


MD_PIECES = ["---\n", "title: \"Press Briefing\"\n", "date: 2021-05-25\n", "source_url: https://example.org/x\n",
             "MS. PSAKI:  Hi.  \n", "Q    Thanks.\n", "\u00a0  \n", "\n", "**MS. PSAKI:**", "\\[sic\\]", "[link](http://a)",
             "(Laughter.)", "# Heading\n", "- item\n", "<br>", "`code`", "> quote\n", "title: [unclosed\n", ":"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(MD_PIECES), st.text(max_size=20)), max_size=30))
def test_markdown_never_raises_and_offsets_round_trip(pieces):
    data = "".join(pieces).encode("utf-8", errors="surrogatepass")
    r = parse_markdown_bytes(data, path="p.md", source_id="p")
    assert r.transcript is not None or r.findings
    for m in r.markers:
        assert r.source_text[m.source_start:m.source_end] == m.text
    for t in r.turns:
        assert 0 <= t.source_start <= t.source_end <= len(r.source_text)
