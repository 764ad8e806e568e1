"""The 46 plain-text transcripts of the development corpus: no errors, nothing lost,
offsets that lead back to the source, and golden structure for the quirkiest."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from diplomatic_transcripts import parse_file
from tests.conftest import corpus_params, corpus_text_files, need_corpus
from tests.golden_summary import GOLDEN_FILES, WHITEHOUSE_GOLDEN_FILES, golden_path, summarize

FILES = corpus_params(corpus_text_files())


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s).replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def parsed(text_corpus):
    return {p.name: parse_file(p) for p in text_corpus}


def test_all_46_parse_without_errors(parsed):
    errors = {name: [f.message for f in r.findings if f.severity == "error"] for name, r in parsed.items()}
    assert {k: v for k, v in errors.items() if v} == {}
    assert all(r.transcript is not None for r in parsed.values())


@pytest.mark.parametrize("path", FILES)
def test_every_non_blank_line_is_accounted_for(path):
    need_corpus("statedept-text")
    r = parse_file(path)
    roles = r.line_roles()
    assert roles, "no lines"
    assert [n for n, role in roles if role in ("unaccounted", "other")] == []
    # and each turn line's words are in that turn's text (or are its label)
    text = r.source_text
    for turn in r.turns:
        span = re.sub(r"\s", "", text[turn.source_start:turn.source_end])
        label = re.sub(r"\s", "", turn.label or "")
        body = re.sub(r"\s", "", turn.text)
        assert span.startswith(label) and span.endswith(body), turn.turn_index
        assert span[len(label):len(span) - len(body)] in ("", ":", ".:"), turn.turn_index


@pytest.mark.parametrize("path", FILES)
def test_offsets_round_trip(path):
    need_corpus("statedept-text")
    r = parse_file(path)
    text = r.source_text
    by_turn = {t.turn_index: t for t in r.turns}
    for m in r.markers:
        assert text[m.source_start:m.source_end] == m.text
        turn = by_turn[m.turn_index]
        assert _norm(turn.text[m.start:m.end]) == _norm(m.text)
        assert turn.source_start <= m.source_start < m.source_end <= turn.source_end
    for turn in r.turns:
        if turn.label:
            opening = _norm(text[turn.source_start:turn.source_start + len(turn.label) + 8])
            assert opening.upper().startswith(_norm(turn.label).upper().rstrip("."))
        assert text[turn.source_end - 1].strip(), "a turn ends on a printed character"
    starts = [t.source_start for t in r.turns]
    assert starts == sorted(starts)


@pytest.mark.parametrize("name", GOLDEN_FILES, ids=[n[:3] for n in GOLDEN_FILES])
def test_golden(name):
    path = need_corpus("statedept-text", name)
    expected = json.loads(golden_path(name).read_text(encoding="utf-8"))
    assert summarize(parse_file(path)) == expected


@pytest.mark.parametrize("name", WHITEHOUSE_GOLDEN_FILES, ids=[n[3:13] for n in WHITEHOUSE_GOLDEN_FILES])
def test_whitehouse_golden(name):
    path = need_corpus("whitehouse", name)
    expected = json.loads(golden_path(name).read_text(encoding="utf-8"))
    assert summarize(parse_file(path)) == expected


def test_manifest_speakers_are_found(parsed):
    """Every label MANIFEST.tsv lists for a file is a label the parser found there."""
    import csv

    manifest = need_corpus("statedept-text", "MANIFEST.tsv")
    for row in csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"):
        r = parsed[row["file"]]
        found = {_norm(v).upper() for s in r.speakers for v in s.label_variants}
        for label in row["speakers_seen"].split(";"):
            label = _norm(label.split("(")[0]).upper()
            if label:
                assert label in found, (row["file"], label, sorted(found))


@pytest.mark.parametrize("name,kinds", [
    ("001_department-press-briefing-june-29-2021.txt", {"MS PORTER": "principal", "OPERATOR": "operator"}),
    ("011_senior-administration-officials-on-the-release-of-trevor-ree.txt",
     {"SENIOR ADMINISTRATION OFFICIAL ONE": "official", "SENIOR ADMINISTRATION OFFICIAL TWO": "official"}),
    ("023_deputy-secretary-wendy-r-sherman-with-bret-baier-of-fox-news.txt", {"DEPUTY SECRETARY SHERMAN": "principal"}),
    ("028_blinken-and-costa-rican-president-carlos-alvarado-at-a-joint.txt",
     {"INTERPRETER": "interpreter", "PRESIDENT ALVARADO": "counterpart"}),
    ("039_blinken-and-palestinian-authority-president-mahmoud-abbas-st.txt", {"STAFF": "staff"}),
    ("031_blinken-and-moroccan-foreign-minister-nasser-bourita-at-a-jo.txt", {"PARTICIPANT": "participant"}),
])
def test_speaker_kinds(parsed, name, kinds):
    got = {s.label: s.kind for s in parsed[name].speakers}
    for label, kind in kinds.items():
        assert got[label] == kind


def test_anonymous_officials_stay_distinct(parsed):
    r = parsed["011_senior-administration-officials-on-the-release-of-trevor-ree.txt"]
    officials = [s for s in r.speakers if s.kind == "official"]
    assert len(officials) == 2


def test_label_variants_and_typos_merge(parsed):
    r = parsed["005_department-press-briefing-august-11-2021.txt"]
    price = [s for s in r.speakers if "PRICE" in s.label]
    assert len(price) == 1 and set(price[0].label_variants) == {"MR PRICE", "MR. PRICE"}
    panel = parsed["045_blinken-panel-discussion-at-the-media-summit-of-americas-ses.txt"]
    assert sum("BAI" in s.label for s in panel.speakers) == 1
    assert sum("LOBOS" in s.label for s in panel.speakers) == 1


def test_title_that_looks_like_a_label_is_a_title(parsed):
    r = parsed["014_on-the-record-briefing-secretary-blinkens-upcoming-travel-to.txt"]
    assert r.transcript.title.startswith("ON-THE-RECORD BRIEFING:")
    assert r.turns[0].label == "MR BARTLETT"


def test_language_markers_and_turn_language(parsed):
    r = parsed["017_blinken-with-juan-carlos-lopez-of-cnn-en-espanol.txt"]
    langs = [(m.kind, m.value) for m in r.markers if m.kind == "language"]
    assert ("language", "es") in langs and ("language", "en") in langs
    assert any(t.language == "es" for t in r.turns)


def test_closing_line_belongs_to_the_last_turn(parsed):
    r = parsed["001_department-press-briefing-june-29-2021.txt"]
    last = r.turns[-1]
    assert last.text.endswith("(The briefing was concluded at 2:10 p.m.)")
    assert r.markers[-1].kind == "procedural" and r.markers[-1].turn_index == last.turn_index
