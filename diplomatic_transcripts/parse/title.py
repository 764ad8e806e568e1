"""What a title says: who spoke, to whom, on which outlet, and what kind of event it was.

Titles of every publisher follow the grammar of English headlines: `Press Briefing by Press
Secretary Jen Psaki, May 25, 2021`, `Remarks by President Biden and Chancellor Merkel of
Germany in Joint Press Conference`, `Foreign Ministry Spokesperson Wang Wenbin's Regular
Press Conference on May 11, 2018`, `Secretary Antony J. Blinken With James Landale of the
BBC`, `Secretary Antony J. Blinken On NBC Nightly News with Lester Holt`.  The rules read
that grammar; they name no outlet and no publisher.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import EventType
from ..vocabulary import MEDIA_WORDS, ROLE_WORD_PATTERN
from .lines import normalize_space
from .people import PersonLine, counterpart, looks_like_name, office_and_name

_BY = re.compile(r"\bby\s+", re.I)
_POSSESSIVE_LEAD = re.compile(r"^(?P<who>[^,:;]{3,120}?)[’']s\s+(?=\w)")
# Where the people of a `by` phrase end: the place, the occasion or the date begins.
_PEOPLE_END = re.compile(
    r"\s+(?:on|in|at|before|after|during|following|upon|aboard|en route|to|from|regarding|about|via|"
    r"previewing|ahead of)\s+|,\s+(?=(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b)|\s*[:;(]", re.I)
_PEOPLE_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s+with\s+", re.I)
_TITLE_LEAD = re.compile(r"^(?P<lead>.+?)(?:,| and | at | with | on | to | before | joint | remarks| press| statements?| "
                         r"panel| op-ed|$)", re.I)

_INTERVIEW_WITH = re.compile(r"\bwith\s+(?P<who>[^;:]+?)\s+(?:of|from)\s+(?P<outlet>.+?)\s*$", re.I)
# `<person> On <Show> with <Name>`: an appearance on a programme, right after the person
_INTERVIEW_ON = re.compile(r"^(?P<lead>.+?)\s+on\s+(?P<outlet>[A-Z0-9][^,;:]*?)\s+with\s+(?P<who>[^,;:]+?)\s*$",
                           re.I)
_WITH_ONLY = re.compile(r"\bwith\s+(?P<who>.+?)\s*$", re.I)
_NAME_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,5}(?:[’']s)?$")


def people_in_title(title: str | None) -> list[PersonLine]:
    """The people a title names as the speakers: after `by` (`Press Briefing by Press Secretary
    Jen Psaki and National Economic Council Director Brian Deese`), or before a possessive
    (`Spokesperson Wang Wenbin's Regular Press Conference`); offices without names are left out."""
    if not title:
        return []
    t = normalize_space(title)
    m = _BY.search(t)
    if m:
        segment = t[m.end():]
    elif (lead := _POSSESSIVE_LEAD.match(t)) is not None:
        segment = lead.group("who")
    else:
        return []
    end = _PEOPLE_END.search(segment)
    if end:
        segment = segment[:end.start()]
    people = []
    for phrase in _PEOPLE_SEPARATOR.split(segment):
        person = office_and_name(phrase.strip(" ,"))
        if person is not None and person.name:
            people.append(person)
    return people


def principal_from_title(title: str | None, people: list[PersonLine] | None = None) -> PersonLine | None:
    """The first person a title names: `... by Press Secretary Jen Psaki` -> Jen Psaki, or the
    title's lead: `Secretary Antony J. Blinken Joint Press Availability ...` -> Antony J. Blinken.
    `people`: people_in_title(title) when the caller has it already."""
    if not title:
        return None
    people = people_in_title(title) if people is None else people
    if people:
        return replace(people[0])  # a record of its own, as a fresh reading of the title gives
    m = _TITLE_LEAD.match(normalize_space(title))
    if not m:
        return None
    cp = counterpart(re.sub(r"[’']s$", "", m.group("lead").strip()))
    return PersonLine(cp[0], cp[1], -1) if cp else None


# `Background Briefing`, or anonymous officials in the title: `Senior Administration Officials`
_BACKGROUND = re.compile(r"\bbackground\b|\bsenior (?:[\w.]+ ){0,3}officials?\b")
_PANEL = re.compile(r"\bpanel\b")
_REGULAR_BRIEFING = re.compile(r"\bregular press conference\b|\bspokes(?:person|man|woman)[’']?s? (?:regular )?press "
                               r"conference\b|\bgaggle\b|\bpress call\b")
_AVAILABILITY = re.compile(r"\bpress availabilit|\bpress conference\b|\bmedia availabilit|\bjoint press\b|"
                           r"\bpress stakeout\b")
_BRIEFING = re.compile(r"\bbriefing\b|\bbriefs\b|\bteleconference\b")
_INTERVIEW = re.compile(r"\binterview\b")
_REMARKS = re.compile(r"\bremarks\b|\bspeech\b|\baddress\b|\bstatements? (?:to|before|for) the press\b|\btoast\b|"
                      r"\bkeynote\b|\bwelcom|\bat (?:the|a)\b|\bbefore (?:their|the|a)\b|\bdeliver")


def event_type_of(title: str | None, doc_type: str | None,
                  parts: tuple[str | None, str | None] | None = None) -> EventType:
    """Event type from the title and document-type line; the order of tests matters.
    `parts`: interview_parts(title) when the caller has it already."""
    t = normalize_space(f"{doc_type or ''} {title or ''}").lower()
    if _BACKGROUND.search(t):
        return "background_briefing"
    if _PANEL.search(t):
        return "panel"
    if _REGULAR_BRIEFING.search(t):
        return "press_briefing"
    if _AVAILABILITY.search(t):
        return "press_availability"
    if _BRIEFING.search(t):
        return "press_briefing"
    interviewer, outlet = interview_parts(title) if parts is None else parts
    if _INTERVIEW.search(t) or outlet:  # `… With NAME of OUTLET`, `… On OUTLET with NAME`
        return "interview"
    if _REMARKS.search(t):  # `Remarks by … Before Meeting with Pacific Islands Forum Leaders`
        return "remarks"
    if interviewer:  # `Secretary Antony J. Blinken with Stephen Colbert`
        return "interview"
    return "other"


def _names(who: str) -> list[str]:
    return [n for n in _NAME_SEPARATOR.split(who) if n]


def _outlet_shaped(phrase: str) -> bool:
    """A media outlet's name as a title prints it without a person: a media word (`Kuwait
    Television`, `Fox News Sunday`) or an acronym (`TVN`, `BBC`), and no office word."""
    words = phrase.split()
    if not 1 <= len(words) <= 6 or ROLE_WORD_PATTERN.search(phrase):
        return False
    return any(w.strip("’'s.,").lower() in MEDIA_WORDS or _ACRONYM.match(w) for w in words)


def interview_parts(title: str | None) -> tuple[str | None, str | None]:
    """(interviewer, outlet) from `X With NAME of OUTLET`, `X On OUTLET with NAME` or `X With OUTLET`."""
    if not title:
        return None, None
    t = normalize_space(title)
    m = _INTERVIEW_ON.search(t)
    if m and looks_like_name(m.group("who")) and not ROLE_WORD_PATTERN.search(m.group("who")) \
            and principal_from_title(m.group("lead")) is not None and not m.group("outlet")[:4].lower() == "the ":
        return m.group("who"), m.group("outlet")
    m = _INTERVIEW_WITH.search(t)
    if m:
        who = m.group("who")
        if all(looks_like_name(n) for n in _names(who)) and not ROLE_WORD_PATTERN.search(who):
            return who, m.group("outlet")
    m = _WITH_ONLY.search(t)
    if m:
        who = m.group("who")
        names = _names(who)
        if _outlet_shaped(who):
            return None, who
        if names and all(looks_like_name(n) for n in names) and not ROLE_WORD_PATTERN.search(who):
            return who, None
    return None, None
