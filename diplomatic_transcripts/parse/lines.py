"""Lines of a source text with their offsets, and the whitespace normalization used for
turn text.  Any of CRLF, CR and LF ends a line; offsets are into the untouched text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WS = " \t\x0b\x0c\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Only the runs that change: two or more spaces, or any space other than U+0020; a lone
# space is left alone, which makes the substitution several times faster.
_SPACES = re.compile(rf"(?: (?=[{_WS}])|[{_WS[1:]}])[{_WS}]*")
_EDGE = " \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@dataclass(slots=True)
class Line:
    number: int  # 1-based
    start: int  # offset of the first non-blank character
    end: int  # offset just past the last non-blank character
    raw_start: int  # offset of the line's first character

    @property
    def column(self) -> int:
        return self.start - self.raw_start + 1


def split_lines(text: str) -> list[Line | None]:
    """Every line of `text`, in order; blank lines are None so paragraphs can be seen."""
    out: list[Line | None] = []
    append = out.append
    if "\r" in text:
        pieces = _LINE_BREAK.split(text)
        seps = [m.end() - m.start() for m in _LINE_BREAK.finditer(text)]
    else:
        pieces = text.split("\n")
        seps = None
    pos = 0
    edge = _EDGE
    for number, content in enumerate(pieces, 1):
        stripped = content.strip(edge)
        if stripped:
            lead = content.find(stripped[0]) if content[0] != stripped[0] else 0
            append(Line(number, pos + lead, pos + lead + len(stripped), pos))
        else:
            append(None)
        pos += len(content) + (1 if seps is None else (seps[number - 1] if number - 1 < len(seps) else 0))
    return out


_EXOTIC = re.compile("[\x0b\x0c\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")  # all but space, tab, NBSP
_RUNS = re.compile("  +")


_ASCII_EXOTIC = re.compile("[\x0b\x0c\x1c-\x1f]")


def has_exotic_spaces(s: str) -> bool:
    return (_ASCII_EXOTIC if s.isascii() else _EXOTIC).search(s) is not None


def collapse_spaces(s: str, exotic: bool = True) -> str:
    """Every run of spaces (NBSP, tabs, Unicode spaces) becomes one U+0020.

    Same result as _SPACES.sub(" ", s), in cheaper steps: two C-level replaces, a
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
