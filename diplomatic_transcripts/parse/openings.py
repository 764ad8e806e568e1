"""Stage 1: the openings of a text — line starts that have the shape of a speaker label.

Two shapes occur, and a line may show both:
- a colon label: `SECRETARY BLINKEN:`, `Spokesperson Wang Wenbin:`, `Q:`, `AFP:`;
- a gap label, with no colon, set off by a wide gap: `Q    Let's start with Russia.`, or a
  letter that is not a word of the language followed by one space: `Q On student debt ...`.
`Q    And a follow-up: is it ...` has both shapes; which one is the label is decided with
the rest of the document's evidence (stage 2, labels.py).  One whole-text regex finds the
candidates, so lines without a label's shape cost nothing in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..vocabulary import ONE_LETTER_WORDS
from .lines import normalize_space

# A colon label: letters first, then letters, digits, spaces, NBSP and a few signs, up to the
# first colon (lazy).  A leading quote mark is allowed (`“QUESTION:` in some copies).
COLON_LABEL = r"[`'\"\u2018\u201c]?([^\W\d_][\w .,'\u2019\-\u00a0&/]{0,78}?)[ \t\u00a0]*:"
# A gap label: one to six words without a colon, then a wide gap (two blanks or more, or a
# no-break space or a tab) before the words spoken; or a single letter and one space.
_WORD = r"[^\W\d_][^\W\d_.'\u2019\-]*\.?"
GAP_LABEL = (rf"({_WORD}(?:[ \u00a0]{_WORD}){{0,5}})(?:[ \t\u00a0]*[\t\u00a0][ \t\u00a0]*|[ ]{{2,}})(?=\S)"
             rf"|([^\W\d_a-z])\.?[ ](?=\S)")
_CANDIDATE = re.compile(
    rf"(?:^|\n)[^\S\n]*(?=(?:{COLON_LABEL})|(?:{GAP_LABEL}))(?=(?:{COLON_LABEL})?)(?=(?:{GAP_LABEL})?)"
)


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """One printed label form: its text, where the words spoken start, and its shape."""

    label: str  # as printed, whitespace normalized, without colon or trailing period
    end: int  # offset just past the colon or gap, relative to the label's start
    is_upper: bool  # no lower-case letter (any script)
    has_colon: bool
    wide_gap: bool = True  # gap labels: set off by more than one plain space


@dataclass(slots=True)
class Opening:
    """A line start with a label's shape: the colon form, the gap form, or both."""

    start: int  # offset of the label (after indentation)
    line_start: int
    colon: LabelMatch | None
    gap: LabelMatch | None
    chosen: LabelMatch | None = None  # set by stage 2

    @property
    def match(self) -> LabelMatch:
        assert self.chosen is not None
        return self.chosen


def _is_upper(raw: str) -> bool:
    return raw.isupper() or not any(ch.isalpha() for ch in raw)


@lru_cache(maxsize=4096)
def colon_label(raw: str, end: int) -> LabelMatch | None:
    """A colon label's match from its printed form; labels recur on every turn, so memoized."""
    label = normalize_space(raw).rstrip(" .,").strip()
    if not label:
        return None
    return LabelMatch(label, end, _is_upper(raw), True)


@lru_cache(maxsize=4096)
def gap_label(raw: str, end: int, wide: bool) -> LabelMatch | None:
    """A gap label's match: upper case only (a mixed-case line start followed by two spaces is
    prose), and never a one-letter word of the language set off by a single space."""
    label = normalize_space(raw).rstrip(" .").strip()
    if not label or not _is_upper(raw) or not any(ch.isalpha() for ch in label):
        return None
    if not wide and label in ONE_LETTER_WORDS:
        return None
    return LabelMatch(label, end, True, False, wide)


def find_openings(a: str) -> list[Opening]:
    """Every line start of the analysis text that has a label's shape, in order."""
    out: list[Opening] = []
    n = len(a)
    for m in _CANDIDATE.finditer(a):
        start = m.end()
        line_start = m.start() + (1 if a.startswith("\n", m.start()) else 0)
        colon = None
        raw = m.group(4)  # groups 1-3 belong to the first lookahead, which only filters
        if raw is not None:
            colon_end = a.index(":", m.end(4)) + 1
            # `END 12:49 P.M.` and `John 3:16` are times and references, not labels
            if not (raw[-1].isdigit() and colon_end < n and a[colon_end].isdigit()):
                colon = colon_label(raw, colon_end - start)
        gap = None
        if m.group(5) is not None:
            pos = m.end(5)
            wide = a[pos] != " " or a[pos + 1] in " \t\u00a0"
            while pos < n and a[pos] in " \t\u00a0":
                pos += 1
            gap = gap_label(m.group(5), pos - start, wide)
        elif m.group(6) is not None:
            pos = m.end(6)
            pos += 2 if a[pos] == "." else 1
            gap = gap_label(m.group(6), pos - start, False)
        if colon is not None or gap is not None:
            out.append(Opening(start, line_start, colon, gap))
    return out
