"""The founding transcript, checked fact by fact against what a reader of the page sees."""

from __future__ import annotations

import datetime as dt

import pytest

from diplomatic_transcripts import parse_file, parse_text
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


def test_header(seed):
    t = seed.transcript
    assert t.title == "Secretary Antony J. Blinken With Alejandro Dominguez of Milenio TV"
    assert (t.principal_name, t.principal_role) == ("Antony J. Blinken", "Secretary of State")
    assert (t.city, t.country, t.country_code) == ("Mexico City", "Mexico", "MX")
    assert t.venue == "Sofitel Hotel"
    assert t.event_type == "interview"
    assert (t.outlet, t.interviewer) == ("Milenio TV", "Alejandro Dominguez")
    assert t.is_virtual is False


def test_date_comes_from_the_sidecar_not_the_text(seed):
    assert seed.transcript.date == dt.date(2021, 10, 8)
    assert seed.transcript.date_source == "sidecar"
    assert seed.transcript.occasion == "U.S.-Mexico High-Level Security Dialogue"
    bare = parse_text(SEED.read_text(encoding="utf-8"))
    assert bare.transcript.date is None and bare.transcript.date_source is None


def test_turns(seed):
    labels = [t.label for t in seed.turns]
    assert len(labels) == 30
    assert labels.count("QUESTION") == 14 and labels.count("SECRETARY BLINKEN") == 16
    assert labels[19] == labels[20] == "SECRETARY BLINKEN"
    assert labels[24] == labels[25] == "SECRETARY BLINKEN"
    assert [t.turn_index for t in seed.turns if t.is_interrupted] == [3, 7]
    paragraphs = {t.turn_index: t.n_paragraphs for t in seed.turns if t.n_paragraphs != 1}
    assert paragraphs == {3: 2, 17: 2, 25: 2, 27: 2, 22: 3, 24: 3}
    assert seed.turns[0].text == "Secretary, thank you for your time."


def test_markers(seed):
    assert [(m.turn_index, m.kind) for m in seed.markers] == [(18, "inaudible"), (23, "inaudible")]
    assert [m.text for m in seed.markers] == ["(Inaudible.)", "(inaudible)"]


def test_speakers(seed):
    by_label = {s.label: s for s in seed.speakers}
    assert set(by_label) == {"QUESTION", "SECRETARY BLINKEN"}
    q = by_label["QUESTION"]
    assert (q.kind, q.name, q.affiliation) == ("journalist", "Alejandro Dominguez", "Milenio TV")
    b = by_label["SECRETARY BLINKEN"]
    assert (b.kind, b.name, b.role) == ("principal", "Antony J. Blinken", "Secretary of State")


def test_same_speaker_twice_is_kept_and_reported(seed):
    codes = [(f.code, f.line) for f in seed.findings if f.code == "DT105"]
    assert len(codes) == 2 and all(line for _, line in codes)
    assert seed.ok


def test_sha256_is_of_the_bytes(seed):
    import hashlib

    assert seed.transcript.source_sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()
