"""Lines of a source text with their offsets, and the whitespace normalization used for
turn text.  Any of CRLF, CR and LF ends a line; offsets are into the untouched text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n]*")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\ufeff]+")
_EDGE = " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff"


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
    pos, n = 0, len(text)
    number = 0
    match = _LINE.match
    while pos <= n:
        m = match(text, pos)
        s, e = m.start(), m.end()
        number += 1
        content = text[s:e]
        stripped = content.strip(_EDGE)
        if stripped:
            lead = len(content) - len(content.lstrip(_EDGE))
            out.append(Line(number, s + lead, s + lead + len(stripped), s))
        else:
            out.append(None)
        if e >= n:
            break
        pos = e + (2 if text.startswith("\r\n", e) else 1)
    return out


def normalize_space(s: str) -> str:
    """NBSP and runs of spaces become one space; the ends are trimmed."""
    return _SPACES.sub(" ", s).strip(" ")
