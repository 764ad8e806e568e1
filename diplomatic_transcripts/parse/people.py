"""People as headers and titles print them: names, offices, and the two put together.

`Antony J. Blinken, Secretary of State` (a principal line), `French Foreign Minister
Jean-Yves Le Drian` (office, then name), `President Biden` (office, then surname).  The
words come from the shared vocabulary; nothing here knows a publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..vocabulary import (JOINING_WORDS, NAME_PARTICLES, OFFICE_WORDS, ROLE_WORD_PATTERN, is_honorific, is_office_word,
                          is_role_word)
from .places import resolve_place

# Words that make a `Name, ...` line the title of an event rather than a principal line.
_TITLE_OF_EVENT = re.compile(r"\b(?:at an?|at the|joint|press availability|remarks|meeting|before their|statements? "
                             r"to|interview|briefing|conference|roundtable|discussion)\b", re.I)
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w’'\-]*\.?|[^\W\d_]\.(?:[^\W\d_]\.)*)$")
_SENTENCE = re.compile(r"[.?!”\"]$")


@dataclass
class PersonLine:
    """A person the header or title names: name (or None for an office alone) and office."""

    name: str | None
    role: str | None
    line_index: int
    affiliation: str | None = None


@lru_cache(maxsize=8192)
def looks_like_name(s: str) -> bool:
    """A person's name as printed: 2-7 capitalised tokens, initials and particles allowed."""
    tokens = s.replace("\u00a0", " ").split()
    if not 1 <= len(tokens) <= 7:
        return False
    named = 0
    for i, tok in enumerate(tokens):
        if tok.lower() in NAME_PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if is_honorific(tok) and tok[:1].isupper():
            continue
        if not _NAME_TOKEN.match(tok) or not (tok[0].isupper() or "-" in tok):
            return False
        low = tok.lower()
        if (ROLE_WORD_PATTERN.search(tok) or low.endswith("s") and low[:-1] in OFFICE_WORDS) and low != "general":
            return False
        named += 1
    return named >= 2 or (named == 1 and len(tokens) >= 2)


@lru_cache(maxsize=8192)
def _without_leading_offices(name: str) -> str:
    """`Ambassador Bonnie Denise Jenkins` -> `Bonnie Denise Jenkins`: the honorifics and offices
    printed before a principal line's name."""
    words = name.split()
    k = 0
    while k < len(words) - 1 and (is_honorific(words[k]) or is_office_word(words[k]) or words[k].lower() == "amb."):
        k += 1
    return " ".join(words[k:]) if k else name


def person_role(line: str) -> tuple[str, str] | None:
    """`Name, Role` -> (name, role); None when the line is not of that form."""
    if "," not in line or len(line) > 300 or _SENTENCE.search(line) and not line.endswith("."):
        return None
    name, _, role = line.partition(",")
    name, role = name.strip(), role.strip()
    name = _without_leading_offices(name)
    if not role or not role[:1].isupper() or not looks_like_name(name) or _TITLE_OF_EVENT.search(role):
        return None
    if resolve_place(line) is not None:
        return None
    return name, role


def counterpart(line: str) -> tuple[str, str] | None:
    """`French Foreign Minister Jean-Yves Le Drian` -> (name, role words before it)."""
    if "," in line or len(line) > 160 or _SENTENCE.search(line):
        return None
    tokens = line.split()
    if len(tokens) < 3 or not ROLE_WORD_PATTERN.search(line):
        return None
    # the name is the longest tail of tokens that reads as a name and holds no role word
    for k in range(min(len(tokens) - 1, 5), 1, -1):
        tail = " ".join(tokens[-k:])
        head = " ".join(tokens[:-k])
        if looks_like_name(tail) and any(is_office_word(w) for w in tokens[:-k]):
            return tail, head  # an office must name them: `U.S. Embassy Panama City` is a place
    return None


def office_and_name(phrase: str) -> PersonLine | None:
    """A person phrase of a title, office first (see _office_and_name), as a record of its own."""
    found = _office_and_name(phrase)
    return PersonLine(found[0], found[1], -1, found[2]) if found is not None else None


@lru_cache(maxsize=8192)
def _office_and_name(phrase: str) -> tuple[str | None, str | None, str | None] | None:
    """A person phrase of a title, office first: `Press Secretary Jen Psaki`, `President Biden`,
    `Chair of the Council of Economic Advisers Cecilia Rouse`, `Prime Minister Mark Brown of
    the Cook Islands`.  A surname alone needs an office word right before it; an office with
    no name (`a Senior Administration Official`) is nobody in particular, so None."""
    words = phrase.replace("\u00a0", " ").split()
    while words and words[0].lower() in ("a", "an", "the"):
        words.pop(0)
    if not words or len(words) > 16:
        return None
    affiliation = None
    for i in range(len(words) - 1, 0, -1):  # `... Mark Brown of the Cook Islands`
        if words[i].lower() == "of" and i + 1 < len(words):
            before = _office_and_name(" ".join(words[:i]))
            if before and before[0] and before[1]:
                body = " ".join(words[i + 1:])
                return before[0], before[1], body[4:] if body.lower().startswith("the ") else body
            break
    best = None
    for k in range(min(len(words), 5), 0, -1):
        tail, head = words[-k:], words[:-k]
        if any(is_role_word(w) or any(ch.isdigit() for ch in w) for w in tail):
            continue
        if not all(_NAME_TOKEN.match(w) and (w[0].isupper() or w.lower() in NAME_PARTICLES) for w in tail):
            continue
        if tail[0].lower() in NAME_PARTICLES:
            continue
        if k == 1 and not (head and head[-1].lower().strip(".") in OFFICE_WORDS):
            continue
        if k >= 2 and not looks_like_name(" ".join(tail)):
            continue
        if head and not (is_honorific(head[-1]) or is_role_word(head[-1]) and head[-1].lower() not in JOINING_WORDS):
            continue  # the words right before a name are its office: `... Director Brian Deese`
        name, role = " ".join(tail), " ".join(head) or None
        if name.isupper() and len(name) > 3:  # a title printed in capitals: `... KAROLINE LEAVITT`
            name, role = name.title(), role.title() if role else None
        best = name, role, affiliation
        break
    return best
