"""Stage 6: turns — each label opens a turn that runs to the next one (or to the trailer).

A turn's text is made from its slice of the source with a few substitutions (spaces and
paragraph breaks normalized); its markers are found in that text and led back to the source
by a whitespace-tolerant search, so both offsets hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..findings import make_finding
from ..records import Finding, Marker
from .lines import ALL_WS, collapse_spaces, line_number
from .markers import find_markers
from .openings import LabelMatch

_BREAKS = re.compile(r"\n\n+")  # a blank line or more: one paragraph break
_NEWLINES = re.compile(r"\n+")  # single-newline text: every line is a paragraph
_DASH_START = re.compile(r"^[\"“‘']?\s?(?:—|–|-{1,2}|…|\.\.\.)")
_DASH_END = re.compile(r"(?:—|–|-{1,2})[\"”’']?\s*$")
_ALL_WS = ALL_WS


@dataclass(slots=True)
class TurnSpan:
    """Where a turn stands in the text: its first character (the label's), where the words
    spoken start, and the offset it may not reach (the next turn's line, or the trailer)."""

    start: int
    content_start: int
    limit: int
    label: LabelMatch | None


_SEPARATOR = "\x00"


def _bodies(a: str, spans: list[TurnSpan], blank_paragraphs: bool, exotic: bool) -> list[tuple[int, int, str]]:
    """(content start, content end, normalized text) of every turn.  The slices are joined with
    a separator the text cannot hold and normalized in one pass of C-level replaces, then
    split again: the same result as normalizing each slice, without a round of calls per turn."""
    starts, ends, pieces = [], [], []
    for s in spans:
        raw = a[s.content_start:s.limit]
        stripped = raw.strip(_ALL_WS)
        start = s.content_start + (raw.find(stripped[0]) if stripped else 0)
        starts.append(start)
        ends.append(start + len(stripped) if stripped else s.start + (s.label.end if s.label else 0))
        pieces.append(stripped)
    if _SEPARATOR in a:  # a text holding NUL (parse_text called on binary): one slice at a time
        bodies = [_normalize(p, blank_paragraphs, exotic) for p in pieces]
    else:
        bodies = _normalize(_SEPARATOR.join(pieces), blank_paragraphs, exotic).split(_SEPARATOR)
    return list(zip(starts, ends, bodies))


def _normalize(body: str, blank_paragraphs: bool, exotic: bool) -> str:
    """Spaces collapsed, line ends trimmed, paragraphs joined by one blank line."""
    body = collapse_spaces(body, exotic) if body else ""
    if "\n" in body:
        body = body.replace(" \n", "\n").replace("\n ", "\n")
        body = _BREAKS.sub("\n\n", body) if blank_paragraphs else _NEWLINES.sub("\n\n", body)
    return body


def build_turns(text: str, a: str, spans: list[TurnSpan], *, tid: str, language: str, blank_paragraphs: bool,
                exotic: bool, findings: list[Finding], path: str | None) -> tuple[list[dict], list[Marker]]:
    """Turn rows (without speaker ids) and markers of every span, in order."""
    rows: list[dict] = []
    markers: list[Marker] = []
    for k, (s, (start, end, body)) in enumerate(zip(spans, _bodies(a, spans, blank_paragraphs, exotic))):
        row, found = _build_turn(text, a, s.start, start, end, body, s.label, tid, k, language, findings, path)
        rows.append(row)
        markers.extend(found)
    return rows, markers


def _opening_language(body: str, found: list[Marker]) -> str | None:
    """The language a turn opens in: a language marker before any spoken word."""
    pos = 0
    for m in found:
        if body[pos:m.start].strip():
            return None
        if m.kind == "language" and m.value:
            return m.value.split(",")[0]
        pos = m.end
    return None


@lru_cache(maxsize=1024)
def _ws_pattern(marker_text: str) -> re.Pattern[str]:
    return re.compile(r"[\s\u00a0]+".join(re.escape(w) for w in marker_text.split(" ")))


def _build_turn(text: str, a: str, t_start: int, content_start: int, end: int, body: str, lm: LabelMatch | None,
                tid: str, index: int, language: str, findings: list[Finding], path: str | None
                ) -> tuple[dict, list[Marker]]:
    """One turn from its normalized text: paragraphs, words, flags, markers with both offsets."""
    breaks = body.count("\n\n")
    n_paragraphs = breaks + 1 if body else 0

    found: list[Marker] = []
    if "(" in body or "[" in body:
        pos = content_start
        for fm in find_markers(body):
            printed = body[fm.start:fm.end]
            m = _ws_pattern(printed).search(text, pos, end)
            if m is None:  # cannot happen for text the marker was found in; skip rather than lie
                continue
            pos = m.end()
            found.append(Marker(
                transcript_id=tid, turn_index=index, marker_index=len(found), kind=fm.kind, text=m.group(0),
                value=fm.value, start=fm.start, end=fm.end, source_start=m.start(), source_end=m.end()))
            if fm.kind == "other":
                line, col = line_number(a, m.start())
                findings.append(make_finding(
                    "DT107", f"{printed} looks like a stage direction of no known kind.", path=path, line=line,
                    column=col))
        opens, closes = body.count("("), body.count(")")
        if opens != closes:
            line, col = line_number(a, t_start)
            findings.append(make_finding(
                "DT106", f"Turn {index} has {opens} '(' but {closes} ')'.", path=path, line=line, column=col))
    elif ")" in body:
        line, col = line_number(a, t_start)
        findings.append(make_finding(
            "DT106", f"Turn {index} has 0 '(' but {body.count(')')} ')'.", path=path, line=line, column=col))
    # After normalization words are separated by exactly one " ", "\n" or "\n\n", so
    # counting separators equals len(body.split()) without building the list.
    n_words = (body.count(" ") + body.count("\n") - breaks + 1) if body else 0
    for mk in found:  # a marker's words are not spoken words; a glued neighbour becomes a word of its own
        n_words -= len(body[mk.start:mk.end].split())
        n_words += (mk.start > 0 and body[mk.start - 1] not in " \n") + (mk.end < len(body) and body[mk.end] not in " \n")
    return {
        "transcript_id": tid, "turn_index": index, "speaker_id": "", "label": lm.label if lm else None,
        "text": body, "n_paragraphs": n_paragraphs, "n_words": n_words,
        "is_interrupted": bool(_DASH_END.search(body[-8:])), "is_continuation": bool(_DASH_START.match(body)),
        "language": _opening_language(body, found) or language,
        "is_interpreted": any(mk.kind == "interpretation" for mk in found),
        "source_start": t_start, "source_end": end,
    }, found
