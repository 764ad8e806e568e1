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

# A colon label: letters first, then up to the first colon on the line (at most 79
# characters; possessive, so a line without a colon near its start costs one scan).  Which
# characters a label may hold (letters, digits, spaces, NBSP and a few signs) is checked on
# the candidate alone (`_LABEL_CHARS`).  A leading quote mark is allowed (`“QUESTION:`).
COLON_LABEL = r"[`'\"\u2018\u201c]?([^\W\d_][^:\n]{0,78}+):"
_LABEL_CHARS = re.compile(r"[^\W\d_][\w .,'\u2019\-\u00a0&/]*[ \t\u00a0]*")
# A gap label: one to six words without a colon, separated by single spaces, then a wide gap
# (two blanks or more, or a no-break space or a tab) before the words spoken; or a single
# letter and one space.  Possessive: the words are read once, the gap checked once.
_WORD = r"[^\W\d_][^\W\d_.'\u2019\-]*+\.?"
GAP_LABEL = (rf"((?>{_WORD}(?:[ ]{_WORD}){{0,5}}+))(?:[ \t\u00a0]*[\t\u00a0][ \t\u00a0]*|[ ]{{2,}})(?=\S)"
             rf"|([^\W\d_a-z])\.?[ ](?=\S)")
# A literal "\n" first lets the regex engine skip ahead to line ends (offset 0 is tried apart);
# the colon form is tried first, and the gap form is looked at again only where it can matter.
_CANDIDATE = re.compile(rf"\n[^\S\n]*(?=(?:{COLON_LABEL})|(?:{GAP_LABEL}))")
_CANDIDATE_AT_START = re.compile(rf"[^\S\n]*(?=(?:{COLON_LABEL})|(?:{GAP_LABEL}))")
_GAP_AT = re.compile(GAP_LABEL)


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
    first = _CANDIDATE_AT_START.match(a)
    for m in ([first] if first else []) + list(_CANDIDATE.finditer(a)):
        start = m.end()
        line_start = m.start() + (1 if m.re is _CANDIDATE else 0)
        colon = None
        raw = m.group(1)
        gm = m if raw is None else None
        if raw is not None:
            colon_end = m.end(1) + 1
            raw = raw.rstrip(" \t\u00a0")
            # `END 12:49 P.M.` and `John 3:16` are times and references, not labels
            if _LABEL_CHARS.fullmatch(m.group(1)) and not (raw[-1].isdigit() and colon_end < n
                                                            and a[colon_end].isdigit()):
                colon = colon_label(raw, colon_end - start)
            if colon is None or not colon.is_upper or raw[1:2] in (" ", "\u00a0", "\t", "."):
                gm = _GAP_AT.match(a, start)  # `Q    A follow-up: …` has both shapes
                gap_groups = (1, 2)
        if gm is not None and gm is m:
            gap_groups = (2, 3)
        gap = None
        if gm is not None:
            words, letter = gm.group(gap_groups[0]), gm.group(gap_groups[1])
            if words is not None:
                pos = gm.end(gap_groups[0])
                wide = a[pos] != " " or a[pos + 1] in " \t\u00a0"
                while pos < n and a[pos] in " \t\u00a0":
                    pos += 1
                gap = gap_label(words, pos - start, wide)
            elif letter is not None:
                pos = gm.end(gap_groups[1])
                pos += 2 if a[pos] == "." else 1
                gap = gap_label(letter, pos - start, False)
        if colon is not None or gap is not None:
            out.append(Opening(start, line_start, colon, gap))
    return out
