"""Speaker labels: `SECRETARY BLINKEN:` opening a paragraph or a line.

Upper-case labels of any script are speakers, except form fields of sanctions notices
(`VESSEL TYPE:`).  Mixed-case openings (`Moderator:`, `Mr. Gonzalez:`) are speakers only
where the page shows it: a role word everyone uses, or a name-shaped label in a page whose
other openings already make it a transcript — never a line of prose ("But the bottom line
is this:") or a heading ("Addressing the Climate Crisis:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lines import normalize_space

# A label: letters first, then letters, digits, spaces, NBSP and a few signs, up to the
# first colon.  Lazy, so the label ends at the first colon.
LABEL_START = re.compile(r"[`'\"\u2018\u201c]?([^\W\d_][\w .,'\u2019\-\u00a0&/]{0,78}?)[ \t\u00a0]*:")
FORM_FIELDS = re.compile(r"^(?:VESSEL|IMO|MMSI|CALL SIGN|FLAG|TONNAGE|GROSS TONNAGE|HULL|REGISTRATION)\b")
GENERIC_ROLES = {
    "QUESTION": "journalist", "Q": "journalist", "REPORTER": "journalist", "JOURNALIST": "journalist",
    "PARTICIPANT": "participant", "AUDIENCE": "participant", "AUDIENCE MEMBER": "participant",
    "OPERATOR": "operator", "MODERATOR": "moderator", "INTERPRETER": "interpreter", "TRANSLATOR": "interpreter",
    "STAFF": "staff", "AIDE": "staff", "PARTICIPANTS": "participant",
}
_PARTICLES = {"de", "da", "di", "del", "der", "van", "von", "of", "the", "al", "el", "bin", "la", "le", "du"}
# Words that open list items, headings and prose, never a speaker's label.
_NOT_FIRST = {"to", "for", "first", "second", "third", "fourth", "fifth", "finally", "and", "but", "so", "on", "in",
              "at", "also", "now", "then", "next", "last", "one", "two", "three", "four", "five", "note", "correction",
              "update", "background", "source", "sources", "editor", "editors", "re", "subject", "from", "date",
              "when", "where", "what", "who", "why", "how", "begin", "end", "text", "transcript", "summary", "q"}
_MIXED_WORD = re.compile(r"^(?:[A-Z\u00c0-\u024f][\w’'\-]*\.?|[A-Z]{2,}\.?)$")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    label: str  # as printed, whitespace normalized
    end: int  # offset just past the colon, relative to the matched string start
    is_upper: bool


@lru_cache(maxsize=4096)
def label_from(raw: str, end: int) -> LabelMatch | None:
    """A label's match from its printed form; labels recur on every turn, so this is memoized."""
    label = normalize_space(raw).rstrip(" .,").strip()
    if not label:
        return None
    upper = raw.isupper() or not any(ch.isalpha() for ch in raw)
    if upper:
        if FORM_FIELDS.match(label.upper()):
            return None
    return LabelMatch(label, end, upper)


def role_of_generic(label: str) -> str | None:
    key = normalize_space(label).upper().rstrip(".")
    if key in GENERIC_ROLES:
        return GENERIC_ROLES[key]
    tail = key.rsplit(",", 1)[-1].strip()
    return GENERIC_ROLES.get(tail) if "," in key else None


def mixed_label_shape(label: str) -> bool:
    """Title-case words only (particles allowed), as a name, role or outlet is printed."""
    words = label.replace(",", " ").split()
    if not 1 <= len(words) <= 7:
        return False
    if words[0].lower() in _PARTICLES:
        return False
    capital = 0
    for w in words:
        if w.lower() in _PARTICLES:
            continue
        if not _MIXED_WORD.match(w):
            return False
        capital += 1
    return capital >= 1


def accept_mixed(candidates: list[str], has_upper_labels: bool, known_names: set[str],
                 hinted: set[str] | None = None) -> set[str]:
    """Which mixed-case label forms of one document are speakers.

    candidates: every mixed-case opening of the document, in order (repeats included).
    hinted: the forms the page marked up as labels (`<strong>`); markup alone does not make
    a heading a speaker, so they still need the document to be a transcript.
    """
    hinted = hinted or set()
    counts: dict[str, int] = {}
    for c in candidates:
        counts[c] = counts.get(c, 0) + 1
    accepted = {c for c in counts if role_of_generic(c)}
    shaped = {c for c in counts if c not in accepted and mixed_label_shape(c)}
    recurring = {c for c in shaped if counts[c] >= 2}
    is_transcript = has_upper_labels or bool(accepted) or len(recurring) >= 2
    if not is_transcript:
        return set()
    for c in shaped:
        words = c.replace(",", " ").split()
        if words[0].lower().strip(".") in _NOT_FIRST:
            continue
        upper_words = {w.strip(".,").upper() for w in words}
        if counts[c] >= 2 or c in hinted or re.match(r"^(?:Mr|Ms|Mrs|Dr)\.?\s", c):
            accepted.add(c)
        elif len(words) >= 2 and (upper_words & known_names or len(words) <= 5):
            accepted.add(c)
    return accepted
