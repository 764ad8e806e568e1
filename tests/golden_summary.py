"""The structure of a parse result, for golden files.

Golden files hold what the parser decided — header fields, speakers, each turn's label,
speaker, counts, flags and a hash of its text, markers — but not the corpus's text, which
is never copied into the repository.  Regenerate after a deliberate change with
`python -m tests.golden_summary` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from diplomatic_transcripts import ParseResult, parse_file

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = [
    "002_department-press-briefing-february-7-2022.txt",
    "005_department-press-briefing-august-11-2021.txt",
    "012_briefing-with-senior-state-department-officials.txt",
    "014_on-the-record-briefing-secretary-blinkens-upcoming-travel-to.txt",
    "017_blinken-with-juan-carlos-lopez-of-cnn-en-espanol.txt",
    "024_blinken-with-sonia-dridi-of-france-24.txt",
    "026_blinken-with-kuwait-television.txt",
    "028_blinken-and-costa-rican-president-carlos-alvarado-at-a-joint.txt",
    "029_blinken-and-french-foreign-minister-jean-yves-le-drian-at-a.txt",
    "030_blinken-joint-press-availability-with-republic-of-korea-fore.txt",
    "035_blinken-at-a-pride-reception.txt",
    "045_blinken-panel-discussion-at-the-media-summit-of-americas-ses.txt",
]
# White House documents chosen for their quirks: `Q` with a wide gap and with one space, a printed
# date in parentheses and bracketed redactions, AUDIENCE labels and an END line, several officials
# named in the title, a fact sheet and a readout that are not transcripts.
WHITEHOUSE_GOLDEN_FILES = [
    "wh-2021-03-24-press-briefing-by-press-secretary-jen-psaki-chair-of-the-council-of-economic-ad.txt",
    "wh-2021-03-31-background-press-call-by-a-senior-administration-official-on-the-presidents-ame.txt",
    "wh-2022-05-03-press-gaggle-by-press-secretary-jen-psaki-may-3-2022.txt",
    "wh-2023-02-06-remarks-by-president-biden-after-marine-one-arrival-17.txt",
    "wh-2024-06-28-remarks-by-vice-president-harris-at-a-campaign-event-7.txt",
    "wh-2023-11-13-fact-sheet-biden-harris-administration-issues-landmark-blueprint-to-advance-ame.txt",
    "wh-2023-05-15-readout-of-apnsa-jake-sullivans-call-with-president-of-gabon-ali-bongo-ondimba.txt",
]


def golden_path(name: str) -> Path:
    return GOLDEN / (name.removesuffix(".txt")[:80] + ".json")


def summarize(r: ParseResult) -> dict:
    t = r.transcript.model_dump(mode="json") if r.transcript else None
    return {
        "transcript": t,
        "speakers": [s.model_dump(mode="json") for s in r.speakers],
        "turns": [
            {"i": x.turn_index, "label": x.label, "speaker_id": x.speaker_id, "n_paragraphs": x.n_paragraphs,
             "n_words": x.n_words, "flags": "".join(c for c, on in (("C", x.is_continuation), ("I", x.is_interrupted),
                                                                    ("T", x.is_interpreted)) if on),
             "language": x.language, "span": [x.source_start, x.source_end], "reply_to": x.reply_to,
             "exchange": x.exchange_index,
             "text_sha256": hashlib.sha256(x.text.encode()).hexdigest()[:16]}
            for x in r.turns
        ],
        "markers": [[m.turn_index, m.marker_index, m.kind, m.text, m.value, m.start, m.end] for m in r.markers],
        "findings": sorted({f"{f.code} {f.severity}" for f in r.findings}),
    }


def main(corpus: Path) -> None:
    GOLDEN.mkdir(exist_ok=True)
    for family, names in (("statedept-text", GOLDEN_FILES), ("whitehouse", WHITEHOUSE_GOLDEN_FILES)):
        for name in names:
            summary = summarize(parse_file(corpus / family / name))
            golden_path(name).write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    from tests.conftest import CORPUS

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
