"""The 1,965 feed items of the development corpus, as HTML: every item gives a record set or
a reasoned skip, offsets lead back to the extracted text, and persons resolve across them."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.parse.web import extract_html, parse_feed_line
from diplomatic_transcripts.validate import validate_package


@pytest.fixture(scope="module")
def feed_results(feed_items_path):
    lines = [raw for raw in feed_items_path.read_bytes().split(b"\n") if raw.strip()]
    return [(json.loads(raw), parse_feed_line(raw, path=str(feed_items_path), line=i + 1, source_id=None))
            for i, raw in enumerate(lines)]


def test_every_item_gives_records_or_a_reasoned_skip(feed_results):
    assert len(feed_results) == 1965
    transcripts = [r for _, r in feed_results if r.transcript is not None]
    skipped = [r for _, r in feed_results if r.transcript is None]
    assert len(transcripts) > 300 and len(skipped) > 1000
    assert all(any(f.code == "DT103" for f in r.findings) for r in skipped)
    assert not [r for _, r in feed_results if not r.ok]


def test_offsets_and_lines_of_every_transcript(feed_results):
    for item, r in feed_results:
        if r.transcript is None:
            assert {role for _, role in r.line_roles()} <= {"skipped", "title", "principal", "counterpart", "place",
                                                            "venue", "date", "time", "doc_type", "office", "release",
                                                            "trailer", "other"}
            continue
        text = r.source_text
        for m in r.markers:
            assert text[m.source_start:m.source_end] == m.text, item["link"]
        assert [n for n, role in r.line_roles() if role == "unaccounted"] == [], item["link"]
        assert r.transcript.source_url == item["link"]
        assert r.transcript.date is not None and r.transcript.date_source in ("text", "feed")


def test_html_flattening_is_the_readers_text():
    ex = extract_html("<p>Title</p>\n<p><strong>QUESTION:</strong>&nbsp; Hello &amp; welcome.<br>Second line.</p>"
                      "<script>x()</script><p>SECRETARY BLINKEN:  Thanks.</p>")
    assert ex.text == "Title\n\nQUESTION:\u00a0 Hello & welcome.\nSecond line.\n\nSECRETARY BLINKEN:  Thanks.\n"
    assert ex.label_hints == {ex.text.index("QUESTION")}


def test_feed_package_validates_and_persons_resolve(feed_items_path, tmp_path):
    out = tmp_path / "feed"
    report = build_package([feed_items_path], out, workers=2, keep_going=True)
    assert report.written and not report.failed
    assert report.n_built == report.row_counts["transcripts"] and report.n_built + len(report.skipped) == 1965
    assert all(s.reason for s in report.skipped)
    assert [f for f in validate_package(out) if f.severity == "error"] == []
    speakers = pq.read_table(out / "speakers.parquet").to_pylist()
    labels = [(s["label"] or "", s["person_id"]) for s in speakers]
    blinken = {pid for label, pid in labels if "BLINKEN" in label or "BLINKNEN" in label}
    price = {pid for label, pid in labels if label.replace(".", "").upper() == "MR PRICE"}
    assert blinken == {"antony-blinken"} and price == {"ned-price"}
    ids = [t["transcript_id"] for t in pq.read_table(out / "transcripts.parquet").to_pylist()]
    assert len(ids) == len(set(ids))
    assert any(i.endswith("-2022-03-06") for i in ids)  # the second Face the Nation under one slug


def test_newer_layout_reads_the_same(feed_items_path):
    """The dev pages rearranged into the newer layout (principal, place, venue, then title,
    document type and date) give the same turns, their title, and the date line's date.
    Titles that open with an upper-case `WORD:` are left out: in a body they are labels."""
    import sys

    sys.path.insert(0, str(feed_items_path.parents[2] / "tools"))
    import eval_corpus as E

    from diplomatic_transcripts.parse.text import parse_text

    checked = 0
    for line in feed_items_path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        gold, _ = E.gold_of(item)
        if not gold or E.label_of(item["title"])[0]:
            continue
        paras = E.to_text(item["content_html"]).split("\n\n")
        k = 0
        while k < len(paras) and not E.label_of(paras[k].split("\n")[0])[0]:
            k += 1
        if any(len(p) > 200 for p in paras[:k]) or any(E.page_date(item) for _ in [0]):
            continue
        text = "\n\n".join(paras[:k] + [item["title"].strip(), "Remarks", "July 7, 2026"] + paras[k:]) + "\n"
        r = parse_text(text)
        assert [E.norm_label(t.label) for t in r.turns] == [g[0] for g in gold], item["link"]
        assert E.norm_label(r.transcript.title) == E.norm_label(item["title"]), item["link"]
        assert str(r.transcript.date) == "2026-07-07", item["link"]
        checked += 1
    assert checked > 300
