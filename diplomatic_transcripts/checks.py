"""Checks on the records of one parse result before they are exported: the invariants the
package's keys and counts rely on.  A failure here is a parser bug, reported as a finding."""

from __future__ import annotations

from .findings import make_finding
from .records import ParseResult
from .records import Finding


def check_result(r: ParseResult) -> list[Finding]:
    t = r.transcript
    if t is None:
        return []
    problems: list[str] = []
    speaker_ids = [s.speaker_id for s in r.speakers]
    if len(set(speaker_ids)) != len(speaker_ids):
        problems.append("speaker ids are not unique")
    if [x.turn_index for x in r.turns] != list(range(len(r.turns))):
        problems.append("turn indexes are not 0..n-1")
    if not {x.speaker_id for x in r.turns} <= set(speaker_ids):
        problems.append("a turn names a speaker that does not exist")
    seen: dict[int, int] = {}
    for m in r.markers:
        if m.marker_index != seen.get(m.turn_index, 0):
            problems.append(f"marker indexes of turn {m.turn_index} are not 0..n-1")
            break
        seen[m.turn_index] = m.marker_index + 1
        if r.source_text and r.source_text[m.source_start:m.source_end] != m.text:
            problems.append(f"marker {m.turn_index}/{m.marker_index} does not lead back to the source")
    if (t.n_turns, t.n_speakers, t.n_markers) != (len(r.turns), len(r.speakers), len(r.markers)):
        problems.append("the counts in the transcript row do not match its rows")
    ids = {t.transcript_id} | {s.transcript_id for s in r.speakers} | {x.transcript_id for x in r.turns} \
        | {m.transcript_id for m in r.markers}
    if len(ids) != 1:
        problems.append("rows carry different transcript ids")
    return [make_finding("DT111", f"Internal check failed: {p}. Please report this.", path=r.path) for p in problems]
