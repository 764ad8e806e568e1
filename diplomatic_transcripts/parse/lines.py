"""The whitespace rules of turn text: which characters are spaces, how runs of them
collapse, and what counts as blank at a line's ends (exactly Python's str.isspace set)."""

from __future__ import annotations

import re
from itertools import repeat

# Every character str.isspace() accepts except CR and LF: the blanks at a line's ends.
_EDGE = " \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

_EXOTIC = re.compile("[\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")  # all but space, tab, NBSP
_RUNS = re.compile("  +")


# One membership test per character: each is a memchr-speed scan (a class regex tests every
# character against the whole set, several times slower on long texts).
_EXOTIC_CHARS = tuple(c for c in _EDGE if c not in " \t\u00a0")


def has_exotic_spaces(s: str) -> bool:
    if len(s) < 512:  # a header line: one regex call costs less than the tests
        return _EXOTIC.search(s) is not None
    return any(map(s.__contains__, _EXOTIC_CHARS))


def collapse_spaces(s: str, exotic: bool = True) -> str:
    """Every run of spaces (NBSP, tabs, Unicode spaces) becomes one U+0020.

    Same result as replacing every run of _EDGE characters with one space, in cheaper steps: two C-level replaces, a
    test for the other space characters, and a literal-prefix run search.
    `exotic=False` skips that test when the caller knows the whole text has none of them.
    """
    s = s.replace("\u00a0", " ").replace("\t", " ")
    if exotic and has_exotic_spaces(s):
        s = _EXOTIC.sub(" ", s)
    return _RUNS.sub(" ", s) if "  " in s else s


def collapse_inner_spaces(s: str) -> str:
    """collapse_spaces for a text with no blank at either end, in fewer passes when it holds
    many runs (a no-break space before a sentence's second space): every space character
    becomes a space, then the pieces between double spaces, trimmed of spaces, are joined by
    one space (a run of any length splits into double spaces and at most one more)."""
    s = s.replace("\u00a0", " ")
    if "\t" in s:
        s = s.replace("\t", " ")
    if has_exotic_spaces(s):
        s = _EXOTIC.sub(" ", s)
    return " ".join(filter(None, map(str.strip, s.split("  "), repeat(" "))))


# What collapse_spaces changes: a space character other than U+0020, or two spaces.
_TO_COLLAPSE = re.compile("[\t\u00a0\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|  ")


def normalize_space(s: str) -> str:
    """NBSP and runs of spaces become one space; the ends are trimmed.  Most lines hold
    nothing to collapse, which one regex search tells."""
    if len(s) < 512 and _TO_COLLAPSE.search(s) is None:
        return s.strip(" ")
    return collapse_spaces(s).strip(" ")


GAP = _EDGE
ALL_WS = _EDGE + "\n\r"
# A line's words: from its first non-blank to its last (greedy, so a long line is read once).
_NONBLANK_LINE = re.compile(r"^[^\S\n]*+(\S(?:[^\n]*\S)?)", re.M)


def analysis_text(text: str) -> str:
    """The text with line ends as LF and the same length, so offsets carry over unchanged:
    CRLF becomes space+LF, a lone CR becomes LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def line_number(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of an offset in an analysis text."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class LineCounter:
    """line_number for many offsets of one text, mostly asked in order: the lines are counted
    on from the last offset asked, so a document's findings cost one pass in all."""

    __slots__ = ("text", "offset", "line")

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def __call__(self, offset: int) -> tuple[int, int]:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1


def line_spans(a: str, start: int, end: int, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the non-blank lines of a[start:end], trimmed."""
    out = []
    for m in _NONBLANK_LINE.finditer(a, start, end):
        out.append((m.start(1), m.end(1)))
        if limit and len(out) >= limit:
            break
    return out


def last_line_spans(a: str, start: int, end: int, count: int) -> list[tuple[int, int]]:
    """The last `count` of line_spans(a, start, end), read from the end: a window that starts
    on a line start holds the same last lines."""
    size = 1024
    while True:
        cut = end - size
        w = a.rfind("\n", start, cut) if cut > start else -1
        if w < 0:
            return line_spans(a, start, end)[-count:]
        spans = line_spans(a, w + 1, end)
        if len(spans) >= count:
            return spans[-count:]
        size *= 4
