"""The whitespace rules of turn text: which characters are spaces, how runs of them
collapse, and what counts as blank at a line's ends (exactly Python's str.isspace set)."""

from __future__ import annotations

import re

# Every character str.isspace() accepts except CR and LF: the blanks at a line's ends.
_EDGE = " \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

_EXOTIC = re.compile("[\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")  # all but space, tab, NBSP
_RUNS = re.compile("  +")
_ASCII_EXOTIC = re.compile("[\x0b\x0c\x1c-\x1f]")


def has_exotic_spaces(s: str) -> bool:
    return (_ASCII_EXOTIC if s.isascii() else _EXOTIC).search(s) is not None


def collapse_spaces(s: str, exotic: bool = True) -> str:
    """Every run of spaces (NBSP, tabs, Unicode spaces) becomes one U+0020.

    Same result as replacing every run of _EDGE characters with one space, in cheaper steps: two C-level replaces, a
    one-character class only when the text is not ASCII, and a literal-prefix run search.
    `exotic=False` skips the class when the caller knows the whole text has none.
    """
    s = s.replace("\u00a0", " ").replace("\t", " ")
    if exotic and has_exotic_spaces(s):
        s = _EXOTIC.sub(" ", s)
    return _RUNS.sub(" ", s) if "  " in s else s


def normalize_space(s: str) -> str:
    """NBSP and runs of spaces become one space; the ends are trimmed."""
    return collapse_spaces(s).strip(" ")


GAP = _EDGE
ALL_WS = _EDGE + "\n\r"
_NONBLANK_LINE = re.compile(r"^[^\S\n]*(\S[^\n]*?)[^\S\n]*$", re.M)


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


def line_spans(a: str, start: int, end: int, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the non-blank lines of a[start:end], trimmed."""
    out = []
    for m in _NONBLANK_LINE.finditer(a, start, end):
        out.append((m.start(1), m.end(1)))
        if limit and len(out) >= limit:
            break
    return out
