"""The header: everything before the first turn.

Lines are recognised by what they say, not where they stand, because two layouts occur:
the seed's (title, principal, place, venue, date, time) and a newer one (principal,
counterparts, place, venue, title, document type, date).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..dates import DATE_LINE, parse_date
from ..records import EventType
from .lines import normalize_space
from .places import Place, resolve_place

TIME_LINE = re.compile(
    r"^(?:\d{1,2}(?::\d{2})?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)|noon|midnight)(?:\s*[-–]\s*\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?))?"
    r"(?:\s+\(?[A-Z]{2,5}\)?|\s+local(?: time)?)?\.?$",
    re.I,
)
DOC_TYPE_LINE = re.compile(
    r"^(?:remarks|interview|press briefing|special briefing|background briefing|on-background briefing|"
    r"press availability|joint press availability|press conference|joint press conference|media availability|"
    r"readout|press statement|statement|media note|fact sheet|testimony|speech|op-ed|transcript|briefing|"
    r"remarks to the press|opening remarks|keynote(?: address| remarks)?|panel discussion|roundtable|"
    r"teleconference|telephonic press briefing|virtual press briefing|press release|notice to the press)$",
    re.I,
)
# Words that make a `Name, ...` line the title of an event rather than a principal line.
_TITLE_OF_EVENT = re.compile(r"\b(?:at an?|at the|joint|press availability|remarks|meeting|before their|statements? "
                             r"to|interview|briefing|conference|roundtable|discussion)\b", re.I)
_LEADING_TITLE = re.compile(r"^(?:(?:ambassador|amb\.|senator|governor|general|admiral|judge|secretary|minister|"
                            r"president|dr\.?|mr\.?|ms\.?|mrs\.?)\s+)+", re.I)
_OFFICE = re.compile(r"^(?:the )?office of\b|^(?:the )?(?:u\.?s\.? |united states )?(?:bureau|department) of\b[^,]{0,60}$",
                     re.I)
_PARTICLES = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "al", "el", "bin", "ibn", "la", "le",
              "du", "dos", "das", "y", "e", "ter", "ten", "zu", "st."}
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w’'\-]*\.?|[^\W\d_]\.(?:[^\W\d_]\.)*)$")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Sir|Dame|H\.?E|His|Her|Sheikh|Prof)\.?$")
ROLE_WORDS = re.compile(
    r"\b(?:secretary|minister|president|ambassador|spokesperson|spokesman|spokeswoman|director|coordinator|envoy|"
    r"representative|administrator|chancellor|prime|premier|king|queen|prince|princess|emir|sultan|governor|senator|"
    r"chairman|chair|chairwoman|commissioner|official|officials|advisor|adviser|counselor|counsel|assistant|deputy|"
    r"under|chief|head|general|mayor|member|officer|attache|attaché|consul|chargé|charge|lieutenant|colonel|admiral|"
    r"captain|judge|justice|leader|speaker|vice|high|special|acting|principal|undersecretary|president-elect|"
    r"administration|department|office|bureau|ministry|council|spokesperson’s|press)\b",
    re.I,
)
_SENTENCE = re.compile(r"[.?!”\"]$")


@dataclass
class PersonLine:
    name: str | None
    role: str | None
    line_index: int


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


def looks_like_name(s: str) -> bool:
    """A person's name as printed: 2-7 capitalised tokens, initials and particles allowed."""
    tokens = s.replace("\u00a0", " ").split()
    if not 1 <= len(tokens) <= 7:
        return False
    named = 0
    for i, tok in enumerate(tokens):
        if tok.lower() in _PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if _HONORIFIC.match(tok):
            continue
        if not _NAME_TOKEN.match(tok) or not (tok[0].isupper() or "-" in tok):
            return False
        if ROLE_WORDS.search(tok) and tok.lower() not in ("general",):
            return False
        named += 1
    return named >= 2 or (named == 1 and len(tokens) >= 2)


def person_role(line: str) -> tuple[str, str] | None:
    """`Name, Role` -> (name, role); None when the line is not of that form."""
    if "," not in line or len(line) > 300 or _SENTENCE.search(line) and not line.endswith("."):
        return None
    name, _, role = line.partition(",")
    name, role = name.strip(), role.strip()
    name = _LEADING_TITLE.sub("", name)  # `Ambassador Bonnie Denise Jenkins, Under Secretary ...`
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
    if len(tokens) < 3 or not ROLE_WORDS.search(line):
        return None
    # the name is the longest tail of tokens that reads as a name and holds no role word
    for k in range(min(len(tokens) - 1, 5), 1, -1):
        tail = " ".join(tokens[-k:])
        head = " ".join(tokens[:-k])
        if looks_like_name(tail) and ROLE_WORDS.search(head):
            return tail, head
    return None


_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:St|Mt|Ft|Jr|Sr|Inc|Co|Ltd)\.$")


def is_sentence(text: str) -> bool:
    """A line that ends like a sentence (not like `Washington, D.C.`)."""
    return bool(re.search(r"[.?!…]$", text)) and not _ABBREVIATION_END.search(text) and len(text.split()) >= 3


def is_prose(text: str) -> bool:
    """A line that reads as running prose rather than a header field."""
    words = text.split()
    return len(text) > 200 or (len(words) > 10 and _SENTENCE.search(text) is not None)


_EVENT_WORDS = re.compile(
    r"\b(?:remarks|briefing|press|availability|interview|with|statement|statements|meeting|roundtable|"
    r"conversation|discussion|panel|conference|address|speech|toast|visit|travel|trip|launch|ceremony|"
    r"signing|dialogue|summit|before|at|on|and)\b", re.I)
_VENUE_WORDS = re.compile(
    r"\b(?:room|hall|building|hotel|center|centre|house|palace|ministry|embassy|residence|base|airport|"
    r"auditorium|theater|theatre|museum|university|headquarters|chancellery|office|club|library|garden|"
    r"gardens|stadium|terminal|complex|campus|institute|parliament|capitol|hangar)\b", re.I)


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


def read_header(texts: list[str], *, title_first: bool) -> Header:
    """Read header lines (normalized) into fields; `kinds` says how each line was read.

    title_first: the first line is the title (plain-text copies of a page start with it).
    """
    h = Header()
    kinds = ["other"] * len(texts)
    place_index = None
    if title_first and texts and (person_role(texts[0]) or DATE_LINE.match(texts[0]) or TIME_LINE.match(texts[0])
                                  or _plain_place(texts[0]) or _OFFICE.match(texts[0])):
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
        elif re.match(r"^(?:the )?office of\b|^(?:the )?(?:u\.?s\.? |united states )?(?:bureau|department) of\b", t, re.I) \
                and len(t) < 120:
            h.principals.append(PersonLine(None, t, i))
            kinds[i] = "principal"
        elif (cp := counterpart(t)) is not None and h.title is not None:
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
        h.venue = texts[place_index + 1]
        kinds[place_index + 1] = "venue"
    for i, k in enumerate(kinds):
        if k == "other" and (cp := counterpart(texts[i])) is not None:
            h.counterparts.append(PersonLine(cp[0], cp[1], i))
            kinds[i] = "counterpart"
    h.kinds = kinds
    return h


_INTERVIEW_WITH = re.compile(
    r"\bwith\s+(?P<who>[^;:]+?)\s+(?:of|from)\s+(?P<outlet>.+?)\s*$", re.I)
_INTERVIEW_ON = re.compile(r"\bon\s+(?P<outlet>.+?)\s+with\s+(?P<who>.+?)\s*$", re.I)
_WITH_ONLY = re.compile(r"\bwith\s+(?P<who>.+?)\s*$", re.I)


_TITLE_LEAD = re.compile(r"^(?P<lead>.+?)(?:,| and | at | with | on | to | before | joint | remarks| press| statements?| panel| op-ed|$)", re.I)


def principal_from_title(title: str | None) -> PersonLine | None:
    """`Secretary Antony J. Blinken Joint Press Availability ...` -> Antony J. Blinken, Secretary."""
    if not title:
        return None
    m = _TITLE_LEAD.match(normalize_space(title))
    if not m:
        return None
    cp = counterpart(m.group("lead").strip())
    return PersonLine(cp[0], cp[1], -1) if cp else None


def event_type_of(title: str | None, doc_type: str | None) -> EventType:
    """Event type from the title and document-type line; the order of tests matters."""
    t = normalize_space(f"{doc_type or ''} {title or ''}").lower()
    if re.search(r"\bbackground\b|\bsenior (?:state department|administration|state administration|u\.s\.)?\s*officials?\b", t):
        return "background_briefing"
    if re.search(r"\bpanel\b", t):
        return "panel"
    if re.search(r"\bpress availabilit|\bpress conference\b|\bmedia availabilit|\bjoint press\b|\bpress stakeout\b", t):
        return "press_availability"
    if re.search(r"\bbriefing\b|\bbriefs\b|\bteleconference\b", t):
        return "press_briefing"
    if re.search(r"\binterview\b", t) or interview_parts(title)[0] or interview_parts(title)[1]:
        return "interview"
    if re.search(r"\bremarks\b|\bspeech\b|\baddress\b|\bstatements? (?:to|before|for) the press\b|\btoast\b|"
                 r"\bkeynote\b|\bwelcom|\bat (?:the|a)\b|\bbefore (?:their|the|a)\b|\bdeliver", t):
        return "remarks"
    return "other"


_OUTLET_HINT = re.compile(
    r"\b(?:tv|television|news|radio|cnn|nbc|cbs|abc|bbc|fox|msnbc|npr|pbs|axios|times|post|journal|channel|press|"
    r"network|magazine|daily|herald|tribune|telegraph|guardian|reuters|bloomberg|politico|espanol|español|"
    r"gps|nation|meet the press|state of the union|this week|morning|tonight|hour|report|show|au|france|dozhd|"
    r"sky|al jazeera|univision|telemundo|nhk|kbs|tvn|rai|zdf|ard|spiegel|milenio|aire|agence|afp|ap|reuters|ert|"
    r"ansa|efe|dpa|kyodo|yonhap|xinhua|tass|ria|anadolu|wafa|bernama|antara|pti|ani|lusa|ctk|pap|ukrinform|"
    r"euronews|deutsche welle|dw|voa|rfe|rfa|cbc|ctv|abc news|sbs|nikkei|asahi|yomiuri|mainichi|le monde|"
    r"le figaro|el pais|el país|la repubblica|corriere|haaretz|the hill|bloomberg|financial times|economist)\b",
    re.I,
)


def interview_parts(title: str | None) -> tuple[str | None, str | None]:
    """(interviewer, outlet) from `X With NAME of OUTLET` or `X On OUTLET with NAME`."""
    if not title:
        return None, None
    t = normalize_space(title)
    m = _INTERVIEW_ON.search(t)
    if m and _OUTLET_HINT.search(m.group("outlet")) and looks_like_name(m.group("who")):
        return m.group("who"), m.group("outlet")
    m = _INTERVIEW_WITH.search(t)
    if m:
        who = m.group("who")
        names = re.split(r",\s*(?:and\s+)?|\s+and\s+", who)
        if all(looks_like_name(n) for n in names if n) and not ROLE_WORDS.search(who):
            return who, m.group("outlet")
    m = _WITH_ONLY.search(t)
    if m:
        who = m.group("who")
        names = [n for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", who) if n]
        if _OUTLET_HINT.search(who) and not ROLE_WORDS.search(who) and len(who.split()) <= 6:
            return None, who
        if names and all(looks_like_name(n) for n in names) and not ROLE_WORDS.search(who):
            return who, None
    return None, None
