"""The header (everything before the first turn) and the trailer (the lines after the last).

Lines are recognised by what they say, not where they stand, because layouts differ: the
seed's (title, principal, place, venue, date, time), a newer one (principal, counterparts,
place, venue, title, document type, date), and others (an issuing body over its office,
`Office of Communications`; travel, `Aboard …` / `En Route Ottawa, Canada`; a briefing room;
a bracketed date, `(March 9, 2025)`; a time with its zone, `1:06 P.M. EST`).  A trailer
closes some transcripts: `END 1:52 P.M. EST`, a bare time line, `###`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from ..dates import DATE_LINE, parse_date
from ..vocabulary import BODY_WORDS, VENUE_WORDS, is_office_word
from .people import PersonLine
from .people import counterpart as _counterpart
from .people import person_role as _person_role
from .places import Place, resolve_place

T = TypeVar("T")
TIME_LINE = re.compile(
    r"^(?:\d{1,2}(?::\d{2})?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)|noon|midnight)(?:\s*[-–]\s*\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?))?"
    r"(?:\s+\(?[A-Z]{2,5}\)?|\s+local(?: time)?)?\.?$",
    re.I,
)
_TIME = (r"(?:\d{1,2}(?::\d{2})?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)|noon|midnight)"
         r"(?:\s+\(?[A-Z]{2,5}\)?|\s+local(?: time)?)?\.?")
# The lines that close a transcript: `END 1:52 P.M. EST`, `END`, a bare time, `###`.
TRAILER_LINE = re.compile(rf"^(?:END\.?(?:\s+(?P<time>{_TIME}))?|(?P<bare>{_TIME})|#{{3}}|-\s*(?:END|30)\s*-)$", re.I)
DOC_TYPE_LINE = re.compile(
    r"^(?:remarks|interview|press briefing|special briefing|background briefing|on-background briefing|"
    r"press availability|joint press availability|press conference|joint press conference|media availability|"
    r"readout|press statement|statement|media note|fact sheet|testimony|speech|op-ed|transcript|briefing|"
    r"remarks to the press|opening remarks|keynote(?: address| remarks)?|panel discussion|roundtable|"
    r"teleconference|telephonic press briefing|virtual press briefing|press release|notice to the press)$",
    re.I,
)


@dataclass
class Header:
    title: str | None = None
    title_index: int | None = None
    principals: list[PersonLine] = field(default_factory=list)
    counterparts: list[PersonLine] = field(default_factory=list)
    place: Place | None = None
    venue: str | None = None
    date: dt.date | None = None
    time_text: str | None = None
    doc_type: str | None = None
    kinds: list[str] = field(default_factory=list)  # per header line: what it was read as


_OFFICE = re.compile(r"^(?:the )?office of\b|^(?:the )?(?:u\.?s\.? |united states )?(?:bureau|department) of\b[^,]{0,60}$",
                     re.I)
_OFFICE_OF = re.compile(r"^(?:the )?office of\b|^(?:the )?(?:u\.?s\.? |united states )?(?:bureau|department) of\b", re.I)
_RELEASE = re.compile(r"^(?:for immediate release|embargoed\b.*|as prepared(?: for delivery)?|check against delivery)\.?$",
                      re.I)
_ABOARD = re.compile(r"^(?:aboard|on board|onboard|en route|enroute)\b", re.I)
_SENTENCE = re.compile(r"[.?!”\"]$")
_SENTENCE_STOP = re.compile(r"[.?!…]$")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:St|Mt|Ft|Jr|Sr|Inc|Co|Ltd)\.$")


def is_sentence(text: str) -> bool:
    """A line that ends like a sentence (not like `Washington, D.C.`)."""
    return bool(_SENTENCE_STOP.search(text)) and not _ABBREVIATION_END.search(text) and len(text.split()) >= 3


def is_prose(text: str) -> bool:
    """A line that reads as running prose rather than a header field."""
    words = text.split()
    return len(text) > 200 or (len(words) > 10 and _SENTENCE.search(text) is not None)


_EVENT_WORDS = re.compile(
    r"\b(?:remarks|briefing|press|availability|interview|with|statement|statements|meeting|roundtable|"
    r"conversation|discussion|panel|conference|address|speech|toast|visit|travel|trip|launch|ceremony|"
    r"signing|dialogue|summit|before|at|on|and)\b", re.I)
_VENUE_WORDS = re.compile(r"\b(?:" + "|".join(sorted(VENUE_WORDS)) + r")\b", re.I)


def _title_score(texts: list[str], kinds: list[str], i: int, place_index: int | None, names: set[str]) -> int:
    """How much an unread header line reads like the title rather than a venue or an office."""
    t = texts[i]
    score = 0
    if names & {w.strip(",.’'").lower() for w in t.split()}:
        score += 3  # titles name the principal or a counterpart
    if _EVENT_WORDS.search(t):
        score += 2
    if i + 1 < len(kinds) and kinds[i + 1] in ("doc_type", "date", "time"):
        score += 2  # the newer layout prints title, document type, date
    if _VENUE_WORDS.search(t) and len(t.split()) <= 6:
        score -= 2
    if place_index is not None and i == place_index + 1:
        score -= 1  # where the venue usually stands
    return score


def _plain_place(line: str) -> bool:
    """A line that is only a place (`Washington, D.C.`), not a title that ends with one."""
    place = resolve_place(line)
    if place is None:
        return False
    city_words = (place.city or "").split()
    return len(city_words) <= 3 and all(w[:1].isupper() or w in ("de", "del", "la", "of", "da", "do", "es")
                                        for w in city_words)


def _office_line(t: str) -> bool:
    """A line naming the issuing body, not a person: a body word last in a short line that is
    no sentence (`Office of Communications`, `MINISTRY OF FOREIGN AFFAIRS`,
    `National Security Council`)."""
    words = t.replace(",", " ").split()
    return 1 <= len(words) <= 6 and not is_sentence(t) and words[-1].lower().strip(".") in BODY_WORDS \
        and all(w[:1].isupper() or w.lower() in ("of", "the", "for", "and") for w in words)


def read_trailer(texts: list[str]) -> tuple[int, str | None]:
    """How many of the last lines (normalized, in order) close the transcript, and the end time
    they print (`END 1:52 P.M. EST` -> `1:52 P.M. EST`)."""
    n = 0
    end_time = None
    for t in reversed(texts):
        m = TRAILER_LINE.match(t)
        if not m:
            break
        n += 1
        end_time = m.group("time") or m.group("bare") or end_time
    return n, end_time


def _asked_once(fn: Callable[[str], T]) -> Callable[[str], T]:
    answers: dict[str, T] = {}

    def ask(line: str) -> T:
        if line not in answers:
            answers[line] = fn(line)
        return answers[line]
    return ask


def read_header(texts: list[str], *, title_first: bool) -> Header:
    """Read header lines (normalized) into fields; `kinds` says how each line was read.

    title_first: the first line is the title (plain-text copies of a page start with it).
    """
    h = Header()
    kinds = ["other"] * len(texts)
    venues: list[str] = []
    place_index = None
    # a line may be asked twice (a first line read as a title or not; unread lines again):
    # the answers are kept for this header only
    person_role = _asked_once(_person_role)
    counterpart = _asked_once(_counterpart)
    if title_first and texts and (person_role(texts[0]) or DATE_LINE.match(texts[0]) or TIME_LINE.match(texts[0])
                                  or _plain_place(texts[0]) or _OFFICE.match(texts[0]) or _office_line(texts[0])):
        title_first = False  # the newer layout: principal (or place) first, title later
    for i, t in enumerate(texts):
        if i == 0 and title_first:
            h.title, h.title_index = t, 0
            kinds[i] = "title"
            continue
        if h.date is None and (d := parse_date(t, whole_line=True)):
            h.date = d
            kinds[i] = "date"
        elif h.time_text is None and TIME_LINE.match(t):
            h.time_text = t
            kinds[i] = "time"
        elif h.doc_type is None and DOC_TYPE_LINE.match(t):
            h.doc_type = t
            kinds[i] = "doc_type"
        elif h.place is None and (p := resolve_place(t)) is not None:
            h.place = p
            place_index = i
            kinds[i] = "place"
        elif (pr := person_role(t)) is not None:
            target = h.principals if not h.counterparts or not h.principals else h.counterparts
            target.append(PersonLine(pr[0], pr[1], i))
            kinds[i] = "principal" if target is h.principals else "counterpart"
        elif _OFFICE_OF.match(t) and len(t) < 120:
            h.principals.append(PersonLine(None, t, i))
            kinds[i] = "principal"
        elif _RELEASE.match(t):
            kinds[i] = "release"
        elif _ABOARD.match(t) and len(t.split()) <= 8 and not is_sentence(t):
            venues.append(t)
            kinds[i] = "venue"
        elif h.title is not None and (cp := counterpart(t)) is not None and not _VENUE_WORDS.search(cp[0]):
            h.counterparts.append(PersonLine(cp[0], cp[1], i))
            kinds[i] = "counterpart"
    # Unread lines: the title (newer layout: the unread line that reads most like a title),
    # then the venue (the unread line right after the place).
    unread = [i for i, k in enumerate(kinds) if k == "other" and not is_sentence(texts[i])]
    if h.title is None and unread:
        names = {w.lower() for p in h.principals + h.counterparts for w in (p.name or "").split()[-1:]}
        best = max(unread, key=lambda i: (_title_score(texts, kinds, i, place_index, names), len(texts[i]), -i))
        h.title, h.title_index = texts[best], best
        kinds[best] = "title"
    if place_index is not None and place_index + 1 < len(texts) and kinds[place_index + 1] == "other" \
            and not is_sentence(texts[place_index + 1]):
        venues.insert(0, texts[place_index + 1])
        kinds[place_index + 1] = "venue"
    for i, k in enumerate(kinds):
        if k != "other":
            continue
        t = texts[i]
        if (cp := counterpart(t)) is not None and not _VENUE_WORDS.search(cp[0]):
            h.counterparts.append(PersonLine(cp[0], cp[1], i))
            kinds[i] = "counterpart"
        elif _office_line(t):
            kinds[i] = "office"
        elif _VENUE_WORDS.search(t) and len(t.split()) <= 8 and not is_sentence(t) \
                and not any(is_office_word(w) for w in t.split()):
            venues.append(t)
            kinds[i] = "venue"
    h.venue = ", ".join(venues) if venues else None
    h.kinds = kinds
    return h
