"""Stage 6: turns — each label opens a turn that runs to the next one (or to the trailer).

A turn's text is made from its slice of the source with a few substitutions (spaces and
paragraph breaks normalized); its markers are found in that text and led back to the source
by a whitespace-tolerant search, so both offsets hold.

All turns of a document are worked on at once: their slices are joined with a separator,
normalized by a few C-level passes and split again, counted with `map(str.count, ...)`, and
searched for markers by whole-text regular expressions.  Python runs per marker and per
turn that may start or end with a dash, not per character or per paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, floordiv, itemgetter, methodcaller, sub
from re import Match

from ..findings import make_finding
from ..records import Finding
from .lines import ALL_WS, collapse_inner_spaces
from .markers import FoundMarker, find_markers, found_marker, may_be_marker

_BREAKS = re.compile(r"\n\n+")  # a blank line or more: one paragraph break
_NEWLINES = re.compile(r"\n+")  # single-newline text: every line is a paragraph
_DASH_START = re.compile(r"^[\"“‘']?\s?(?:—|–|-{1,2}|…|\.\.\.)")
_DASH_END = re.compile(r"(?:—|–|-{1,2})[\"”’']?\s*$")
# The characters a text matching _DASH_START may open with, and _DASH_END (stripped) end with.
_FIRST_OF_DASH_START = frozenset("\"“‘'—–-….")
_LAST_OF_DASH_END = frozenset("—–-\"”’'")
_FIRST = itemgetter(slice(0, 1))
_LAST = itemgetter(slice(-1, None))
_START = methodcaller("start")
_ALL_WS = ALL_WS
_SEPARATOR = "\x00"
_BLANKS = re.compile(r"\s*")  # \s is str.isspace, the set ALL_WS spells out
# Markers in the joined texts: _PAREN's two forms (markers.py), each looked for on its own so
# the regex engine can skip ahead to its opening character; neither may cross a separator.
_ROUND = re.compile(r"\(([^()\r\n\x00]{1,160})\)")
_SQUARE = re.compile(r"\[([^\[\]\r\n\x00]{1,60})\]")


@dataclass(slots=True)
class Turns:
    """What stage 6 makes of the turns of one document, one list per column (speaker ids,
    replies and exchanges come later), and the marker rows of all of them, in order."""

    source_start: list[int]
    source_end: list[int]
    label: list[str | None]
    text: list[str]
    n_paragraphs: list[int]
    n_words: list[int]
    is_interrupted: list[bool]
    is_continuation: list[bool]
    language: list[str]
    is_interpreted: list[bool]
    markers: list[dict]


def _normalize(body: str, blank_paragraphs: bool) -> str:
    """Spaces collapsed, line ends trimmed, paragraphs joined by one blank line.

    Expects a text without blanks at its ends (the slices are stripped)."""
    return _normalized(body, blank_paragraphs)[0]


def _normalized(body: str, blank_paragraphs: bool) -> tuple[str, int, int]:
    """_normalize's text, and how many line ends and blank lines it holds (-1, -1 when not
    known without counting: single-newline text, or blank lines collapsed)."""
    if not body:
        return "", 0, 0
    body = collapse_inner_spaces(body)
    if "\n" not in body:
        return body, 0, 0
    lines = list(map(str.strip, body.split("\n"), repeat(" ")))
    body = "\n".join(lines)
    if not blank_paragraphs:
        return _NEWLINES.sub("\n\n", body), -1, -1
    if "\n\n\n" in body:
        return _BREAKS.sub("\n\n", body), -1, -1
    return body, len(lines) - 1, lines.count("")


def _bodies(a: str, cs: list[int], limits: list[int], blank_paragraphs: bool
            ) -> tuple[list[int], list[int], list[str], str | None, int, int]:
    """(content starts, content ends, normalized texts, the texts joined by the separator, and
    the line ends and blank lines they hold, as _normalized gives them) of every turn, from
    where its words start to the offset it may not reach (the next turn's line, or the
    trailer); the joined form is None when the text holds the separator itself."""
    raws = list(map(a.__getitem__, map(slice, cs, limits)))
    pieces = list(map(str.strip, raws, repeat(_ALL_WS)))
    starts = list(map(Match.end, map(_BLANKS.match, repeat(a), cs)))  # type: ignore[arg-type]  # past the blanks
    ends = list(map(add, starts, map(len, pieces)))
    if "" in pieces:  # a label with nothing after it: the turn ends where the label does
        for k in compress(range(len(pieces)), map(str.__eq__, pieces, repeat(""))):
            starts[k] = ends[k] = cs[k]
    normalized, newlines, blank_lines = _normalized(_SEPARATOR.join(pieces), blank_paragraphs)
    joined: str | None = normalized
    bodies = normalized.split(_SEPARATOR)
    if len(bodies) != len(pieces):  # the text holds the separator: one slice at a time
        bodies = [_normalize(p, blank_paragraphs) for p in pieces]
        joined, newlines, blank_lines = None, -1, -1
    return starts, ends, bodies, joined, newlines, blank_lines


def _found_markers(bodies: list[str], joined: str | None) -> tuple[list[tuple[int, FoundMarker]], int]:
    """(turn index, marker) of every marker, in order, offsets in the turn's text; and how
    many parentheses (the round form, marker or not) the joined texts hold.  Parentheticals
    whose words cannot be a marker anywhere (`(EPA)`) are set aside without a Python step."""
    if joined is None:
        return [(k, fm) for k, body in enumerate(bodies) for fm in find_markers(body)], -1
    rounds = list(_ROUND.finditer(joined)) if "(" in joined else []
    squares = list(_SQUARE.finditer(joined)) if "[" in joined else []
    if not rounds and not squares:
        return [], 0
    offsets = list(accumulate(map(add, map(len, bodies), repeat(1)), initial=0))
    out: list[tuple[int, FoundMarker]] = []

    def place(m: Match[str], bracket: bool) -> None:
        """The marker a match of the joined texts makes in its turn, offsets in that turn."""
        s, e = m.span()
        k = bisect_right(offsets, s) - 1
        base = offsets[k]
        fm = found_marker(bodies[k], m.group(1), s - base, e - base, bracket=bracket)
        if fm is not None:
            out.append((k, fm))

    if not squares:  # one form: its matches never overlap
        for m in compress(rounds, map(may_be_marker, map(Match.group, rounds, repeat(1)), repeat(False))):
            place(m, False)
        return out, len(rounds)
    last_end = 0
    for m in sorted([*rounds, *squares], key=_START):
        if m.start() < last_end:  # inside a marker of the other form, as one regex would have skipped it
            continue
        last_end = m.end()
        bracket = m.re is _SQUARE
        if may_be_marker(m.group(1), bracket):
            place(m, bracket)
    return out, len(rounds)


def build_turns(text: str, a: str, t_starts: list[int], content_starts: list[int], limits: list[int],
                labels: list[str | None], *, tid: str, language: str, blank_paragraphs: bool, findings: list[Finding],
                path: str | None, line_number: Callable[[int], tuple[int, int]]) -> Turns:
    """The columns of every turn, and the rows of their markers, in order.  A turn starts at
    its label (t_starts), its words where the label ends (content_starts), and it may not
    reach its limit (the next turn's line, or the trailer)."""
    n = len(t_starts)
    starts, ends, bodies, joined, newlines, blank_lines = _bodies(a, content_starts, limits, blank_paragraphs)
    # After normalization words are separated by exactly one " ", "\n" or "\n\n", so
    # counting separators equals len(body.split()) without building the list.
    spaces = map(str.count, bodies, repeat(" "))
    if newlines < 0 and joined is not None:
        newlines = joined.count("\n")
    if newlines == 0:
        breaks = [0] * n
        n_words = list(map(add, spaces, repeat(1)))
    elif newlines == 2 * blank_lines:  # every line end is a paragraph break: half a turn's line ends
        breaks = list(map(floordiv, map(str.count, bodies, repeat("\n")), repeat(2)))
        n_words = list(map(add, map(add, spaces, breaks), repeat(1)))
    else:
        breaks = list(map(str.count, bodies, repeat("\n\n")))
        if newlines == 2 * sum(breaks):
            n_words = list(map(add, map(add, spaces, breaks), repeat(1)))
        else:
            n_words = list(map(add, map(sub, map(add, spaces, map(str.count, bodies, repeat("\n"))), breaks),
                               repeat(1)))
    n_paragraphs = list(map(add, breaks, repeat(1)))
    if "" in bodies:
        for k in compress(range(n), map(str.__eq__, bodies, repeat(""))):
            n_words[k] = n_paragraphs[k] = 0
    interrupted = [False] * n
    for k in compress(range(n), map(_LAST_OF_DASH_END.__contains__, map(_LAST, bodies))):
        interrupted[k] = _DASH_END.search(bodies[k][-8:]) is not None
    continuation = [False] * n
    for k in compress(range(n), map(_FIRST_OF_DASH_START.__contains__, map(_FIRST, bodies))):
        continuation[k] = _DASH_START.match(bodies[k]) is not None
    languages = [language] * n
    interpreted = [False] * n

    rows: list[dict] = []
    notes: dict[int, list[Finding]] = {}
    current, pos, in_turn = -1, 0, 0
    opening: list[FoundMarker] = []
    found, rounds = _found_markers(bodies, joined)
    for k, fm in found:
        body = bodies[k]
        if k != current:
            if opening:
                languages[current] = _opening_language(bodies[current], opening) or language
            current, pos, in_turn, opening = k, starts[k], 0, []
        start, end, kind = fm.start, fm.end, fm.kind
        printed = body[start:end]
        m = _ws_pattern(printed).search(text, pos, ends[k])
        if m is None:  # cannot happen for text the marker was found in; skip rather than lie
            continue
        source_start, pos = m.span()
        rows.append({"transcript_id": tid, "turn_index": k, "marker_index": in_turn, "kind": kind,
                     "text": m.group(0), "value": fm.value, "start": start, "end": end,
                     "source_start": source_start, "source_end": pos})
        in_turn += 1
        opening.append(fm)
        if kind == "interpretation":
            interpreted[k] = True
        elif kind == "other":
            line, col = line_number(source_start)
            notes.setdefault(k, []).append(make_finding(
                "DT107", f"{printed} looks like a stage direction of no known kind.", path=path, line=line, column=col))
        # a marker's words are not spoken words; a glued neighbour becomes a word of its own
        n_words[k] += (_glued(body[start - 1:start], body[end:end + 1]) - _words_in(printed))
    if opening:
        languages[current] = _opening_language(bodies[current], opening) or language
    for k in _unbalanced(bodies, joined, rounds):
        notes.setdefault(k, []).append(_unbalanced_finding(line_number(t_starts[k]), k, bodies[k], path))
    for k in sorted(notes):
        findings.extend(notes[k])
    return Turns(t_starts, ends, labels, bodies, n_paragraphs, n_words, interrupted, continuation, languages,
                 interpreted, rows)


def _unbalanced(bodies: list[str], joined: str | None, rounds: int) -> list[int]:
    """The turns whose text has not as many '(' as ')'.  When every parenthesis of the joined
    texts belongs to one of its `rounds` parentheticals (none crosses a turn), none is."""
    if joined is not None and joined.count("(") == rounds and joined.count(")") == rounds:
        return []
    return list(compress(range(len(bodies)), map(int.__ne__, map(str.count, bodies, repeat("(")),
                                                   map(str.count, bodies, repeat(")")))))


def _unbalanced_finding(where: tuple[int, int], index: int, body: str, path: str | None) -> Finding:
    line, col = where
    return make_finding("DT106", f"Turn {index} has {body.count('(')} '(' but {body.count(')')} ')'.", path=path,
                        line=line, column=col)


def _opening_language(body: str, found: list[FoundMarker]) -> str | None:
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
def _words_in(marker_text: str) -> int:
    return len(marker_text.split())


def _glued(before: str, after: str) -> int:
    """How many words the characters around a marker make of their own (a word glued to it)."""
    return (before not in ("", " ", "\n")) + (after not in ("", " ", "\n"))


@lru_cache(maxsize=1024)
def _ws_pattern(marker_text: str) -> re.Pattern[str]:
    return re.compile(r"[\s\u00a0]+".join(re.escape(w) for w in marker_text.split(" ")))


