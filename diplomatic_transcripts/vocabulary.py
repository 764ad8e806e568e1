"""The words people and offices are printed with, each list defined once.

Titles, labels and header lines of every publisher name people the same way: an honorific
or an office, then a name whose particles (`de`, `van`, `bin`) are lower case.  These sets
hold the words of those parts; the parser, the person ids and the speaker kinds all read
them from here.  They are words of the language, not of any publisher or page: a word seen
misspelt on one page is matched by spelling distance (`is_role_word`), never listed.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

# Courtesy titles printed before a name: `Mr.`, `Dr.`, `H.E.`, `His Excellency`.
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof", "professor", "sheikh", "he", "h.e", "his", "her",
    "excellency", "madam", "madame", "honorable", "honourable", "hon", "shri", "sri", "smt", "shrimati",
})
# Lower-case words inside names: `Jean-Yves Le Drian`, `Ursula von der Leyen`.
NAME_PARTICLES = frozenset({
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "al", "el", "bin", "ibn", "la", "le", "du", "dos",
    "das", "y", "e", "ter", "ten", "zu", "st.",
})
# Generational suffixes after a name: `Joseph R. Biden, Jr.`.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words that name an office or rank: `Secretary`, `Foreign Minister`, `Press Secretary`.
OFFICE_WORDS = frozenset({
    "secretary", "minister", "president", "ambassador", "spokesperson", "spokesman", "spokeswoman", "director",
    "coordinator", "envoy", "representative", "administrator", "chancellor", "prime", "premier", "king", "queen",
    "prince", "princess", "crown", "emir", "sultan", "governor", "senator", "chairman", "chair", "chairwoman",
    "commissioner", "official", "officials", "advisor", "adviser", "counselor", "counsel", "assistant", "deputy",
    "under", "undersecretary", "chief", "head", "general", "mayor", "member", "ranking", "officer", "attache",
    "attaché", "consul", "chargé", "charge", "lieutenant", "colonel", "admiral", "captain", "judge", "justice",
    "leader", "speaker", "vice", "high", "special", "acting", "principal", "senior", "congressman", "congresswoman",
    "delegate", "commander", "president-elect", "secretary-general", "excellency", "majesty", "highness",
})
# Among them (words of OFFICE_WORDS, alone or in phrases): the offices a government's own
# officials hold (a speaker holding one is an official), and those of heads of state or
# government and of international bodies (a speaker holding one comes as a counterpart).
OWN_OFFICES = ("secretary", "ambassador", "senator", "assistant", "under", "spokesperson", "administrator",
               "director", "coordinator", "envoy", "congressman", "congresswoman", "chairman", "ranking", "governor",
               "mayor", "official")
HEAD_OFFICES = ("minister", "president", "prime", "chancellor", "king", "queen", "prince", "emir", "sultan",
                "premier", "high representative", "commissioner", "secretary general", "secretary-general")
# Words of the bodies offices belong to: `Department of State`, `Office of the Spokesperson`.
BODY_WORDS = frozenset({
    "administration", "department", "office", "bureau", "ministry", "council", "press", "house", "embassy",
    "mission", "agency", "commission", "government", "cabinet", "committee", "delegation", "secretariat",
})
# Words of an office's portfolio: `Minister of External Affairs`, `Secretary of Defense`.
PORTFOLIO_WORDS = frozenset({
    "affairs", "defense", "defence", "state", "commerce", "energy", "treasury", "security", "foreign", "external",
    "home", "interior", "justice", "health", "trade", "finance", "development", "cooperation", "environment",
    "agriculture", "economy", "economic", "homeland", "national", "general", "republic", "kingdom", "union",
    "united", "nations", "european", "policy", "international", "public", "diplomacy", "education", "labor",
    "labour", "transport", "transportation", "climate", "communications", "strategic",
})
# Small words that join the parts of an office: `Secretary of State`, `Minister for Trade`.
JOINING_WORDS = frozenset({"of", "the", "for", "and"})
# Words that count the anonymous: `SENIOR STATE DEPARTMENT OFFICIAL ONE`, `PARTICIPANT 2`.
NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "1", "2", "3", "4", "5", "6",
    "7", "8", "9", "10", "a", "b", "c", "d", "i", "ii", "iii", "iv", "first", "second", "third",
})
# Words of the language that are one letter long: such a letter opening a line is a word, not a label.
ONE_LETTER_WORDS = frozenset({"A", "I", "O"})

# Common nouns of news media: an outlet's name holds one (`Kuwait Television`, `Fox News Sunday`).
MEDIA_WORDS = frozenset({
    "television", "tv", "radio", "news", "newspaper", "channel", "network", "broadcasting", "broadcast", "times",
    "post", "journal", "magazine", "daily", "agency", "gazette", "herald", "tribune", "report", "show", "podcast",
    "media", "weekly", "review", "tonight", "wire",
})
# Nouns of the places events are held in: `Roosevelt Room`, `South Lawn`, `Sofitel Hotel`.
VENUE_WORDS = frozenset({
    "room", "hall", "building", "hotel", "center", "centre", "house", "palace", "ministry", "embassy", "residence",
    "base", "airport", "auditorium", "theater", "theatre", "museum", "university", "headquarters", "chancellery",
    "office", "club", "library", "garden", "gardens", "stadium", "terminal", "complex", "campus", "institute",
    "parliament", "capitol", "hangar", "lawn", "colonnade", "ballroom", "hub", "citadel", "school", "college",
    "arena", "park", "plaza", "square", "church", "cathedral", "pavilion", "studio", "studios", "chamber",
})
# Labels that name a part in the event rather than a person, and the speaker kind they give.
GENERIC_ROLES = {
    "QUESTION": "journalist", "Q": "journalist", "REPORTER": "journalist", "JOURNALIST": "journalist",
    "FOLLOW-UP": "journalist", "FOLLOW UP": "journalist",
    "PARTICIPANT": "participant", "PARTICIPANTS": "participant", "AUDIENCE": "participant",
    "AUDIENCE MEMBER": "participant", "ATTENDEE": "participant", "OPERATOR": "operator", "MODERATOR": "moderator",
    "INTERPRETER": "interpreter", "TRANSLATOR": "interpreter", "STAFF": "staff", "AIDE": "staff",
}
# Labels that name the side answering questions: `A:` after `Q:`; the principal speaks under them.
ANSWER_ROLES = frozenset({"A", "ANSWER"})

ROLE_WORD_PATTERN = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(w) for w in OFFICE_WORDS | BODY_WORDS), key=len, reverse=True))
    + r"|spokesperson’s)\b",
    re.I,
)
_ROLE_VOCABULARY = tuple(sorted(w.upper() for w in OFFICE_WORDS | PORTFOLIO_WORDS | BODY_WORDS if len(w) >= 6))
_OFFICE_VOCABULARY = tuple(sorted(w.upper() for w in OFFICE_WORDS if len(w) >= 6))


def _one_typo_from(token: str, vocabulary: tuple[str, ...]) -> bool:
    """A long token a typo away from a word of the vocabulary: a letter dropped, added or changed
    (`MINISTESR`, `SECRETAR`, `ECRETARY`); a typo rarely changes both ends."""
    if len(token) < 6 or not token.isalpha():
        return False
    up = token.upper()
    for word in vocabulary:
        if abs(len(word) - len(up)) <= 1 and (word[0] == up[0] or word[-1] == up[-1]):
            if difflib.SequenceMatcher(None, up, word, autojunk=False).ratio() >= 0.86:
                return True
    return False


@lru_cache(maxsize=8192)
def is_role_word(token: str) -> bool:
    """A word of an office, its body or portfolio, or of the words joining them, in any case,
    or one typo away from one."""
    t = token.strip(".,’'").lower()
    if t in OFFICE_WORDS or t in PORTFOLIO_WORDS or t in BODY_WORDS or t in JOINING_WORDS:
        return True
    return _one_typo_from(t, _ROLE_VOCABULARY)


@lru_cache(maxsize=8192)
def is_office_word(token: str) -> bool:
    """A word that names an office or rank (`MINISTER`, `SPOKESPERSON`), or one typo away from one."""
    t = token.strip(".,’'").lower()
    return t in OFFICE_WORDS or _one_typo_from(t, _OFFICE_VOCABULARY)


def is_honorific(token: str) -> bool:
    return token.strip(",").rstrip(".").lower() in HONORIFICS or token.lower() in HONORIFICS
