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
from itertools import compress, repeat
from operator import add
from re import Match

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
# The groups: the words and the gap (which holds every blank up to the words spoken), or the
# letter and what sets it off.
GAP_LABEL = (rf"((?>{_WORD}(?:[ ]{_WORD}){{0,5}}+))((?:[ \t\u00a0]*[\t\u00a0][ \t\u00a0]*|[ ]{{2,}}))(?=\S)"
             rf"|([^\W\d_a-z])(\.?[ ])(?=\S)")
# A literal "\n" first lets the regex engine skip ahead to line ends (offset 0 is tried apart).
# The colon form is tried first.  Group 1 holds what decides a line start's forms (`_form_of`):
# the colon form and the character after the colon, or the gap form and the character after it.
# A line whose first word goes on in lower case (`This is …`) has no gap form that could be a
# label (its words are not upper case, and a letter form needs a space next): the gap form is
# not read there, which spares most lines of prose.
_CANDIDATES = rf"((?:{COLON_LABEL}).?|(?![^\W\d_][a-z])(?:{GAP_LABEL})\S)"
_CANDIDATE = re.compile(rf"\n[^\S\n]*(?={_CANDIDATES})")
_CANDIDATE_AT_START = re.compile(rf"[^\S\n]*(?={_CANDIDATES})")
_COLON_AT = re.compile(COLON_LABEL)
_GAP_AT = re.compile(GAP_LABEL)


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """One printed label form: its text, where the words spoken start, and its shape."""

    label: str  # as printed, whitespace normalized, without colon or trailing period
    end: int  # offset just past the colon or gap, relative to the label's start
    is_upper: bool  # no lower-case letter (any script)
    has_colon: bool
    wide_gap: bool = True  # gap labels: set off by more than one plain space


Form = tuple[LabelMatch | None, LabelMatch | None]  # a line start's colon form and gap form


@dataclass(slots=True)
class Openings:
    """Line starts with a label's shape, column by column: where the label starts (after
    indentation), where its line starts, and its forms (the same tuple for the same print)."""

    start: list[int]
    line_start: list[int]
    form: list[Form]

    def without_first(self) -> Openings:
        return Openings(self.start[1:], self.line_start[1:], self.form[1:])


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


@lru_cache(maxsize=4096)
def _colon_form(raw: str, end: int, digit_after: bool) -> tuple[LabelMatch | None, bool]:
    """The colon label a line's `raw:` start gives (None for `END 12:49`, `John 3:16` and
    characters no label holds), and whether the line's gap form must be looked at too
    (`Q    A follow-up: …`, `Q. Will you …: …`)."""
    colon = None
    trimmed = raw.rstrip(" \t\u00a0")
    # `END 12:49 P.M.` and `John 3:16` are times and references, not labels
    if _LABEL_CHARS.fullmatch(raw) and not (trimmed[-1].isdigit() and digit_after):
        colon = colon_label(trimmed, end)
    return colon, colon is None or not colon.is_upper or trimmed[1:2] in (" ", "\u00a0", "\t", ".")


def _gap_form(words: str | None, letter: str | None, end: int) -> LabelMatch | None:
    if words is not None:
        return gap_label(words, end, True)  # the gap holds a tab, a no-break space or two spaces
    if letter is not None:
        return gap_label(letter, end, False)
    return None


@lru_cache(maxsize=8192)
def _form_of(printed: str) -> Form | None:
    """The forms of a line start from what _CANDIDATE's group 1 holds (the label, its colon or
    gap, one character more), or None when it has neither; the same print recurs on every turn."""
    cm = _COLON_AT.match(printed)
    if cm is not None:
        colon_end = cm.end()
        colon, gap_too = _colon_form(cm.group(1), colon_end, printed[colon_end:colon_end + 1].isdigit())
        gap = None
        if gap_too:  # `Q    A follow-up: …` has both shapes
            gm = _GAP_AT.match(printed)
            gap = _gap_form(gm.group(1), gm.group(3), gm.end()) if gm is not None else None
    else:
        gm = _GAP_AT.match(printed)
        colon, gap = None, _gap_form(gm.group(1), gm.group(3), gm.end()) if gm is not None else None
    return (colon, gap) if colon is not None or gap is not None else None


def find_openings(a: str) -> Openings:
    """Every line start of the analysis text that has a label's shape, in order.  One regex
    finds them; a line's forms are read once per distinct print (memoized)."""
    first = _CANDIDATE_AT_START.match(a)
    found = list(_CANDIDATE.finditer(a))
    line_starts = list(map(add, map(Match.start, found), repeat(1)))
    if first is not None:
        found.insert(0, first)
        line_starts.insert(0, 0)
    forms = list(map(_form_of, map(Match.group, found, repeat(1))))
    if all(forms):
        return Openings(list(map(Match.end, found)), line_starts, forms)  # type: ignore[arg-type]
    keep = list(compress(range(len(forms)), forms))
    return Openings([found[k].end() for k in keep], [line_starts[k] for k in keep],
                    [forms[k] for k in keep])  # type: ignore[misc]
