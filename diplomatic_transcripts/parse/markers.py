"""Non-speech markers: the parenthetical stage directions inside a turn.

A parenthetical is a marker when its words say what happened in the room (`(Inaudible.)`,
`(Laughter.)`, `(Via interpreter)`, `(In Spanish.)`, `(The briefing was concluded at 2:10
p.m.)`, `(The journalist laughed.)`, `(Turning to the Reuters journalist)`).  Ordinary
parentheses in prose — acronyms `(EPA)`, list items `(a)`, dates, asides in lower case — are
not markers.  Square brackets are the publisher's own insertions into the words spoken
(`[sic]`, `[they]`, `[senior administration official]` for a withheld name): markers of
kind `editorial` (or `redaction`), except footnote numbers (`[3]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from ..records import MarkerKind

# Names transcripts use for languages that pycountry spells otherwise,
# and the adjectives they sometimes use in their place.  None: a language, code unknown.
_LANGUAGE_ALIASES: dict[str, str | None] = {
    "mandarin": "zh", "chinese": "zh", "cantonese": "yue", "farsi": "fa", "persian": "fa", "dari": "prs",
    "creole": "ht", "haitian creole": "ht", "filipino": "fil", "tagalog": "tl", "burmese": "my", "moldovan": "ro",
    "greek": "el", "swahili": "sw", "malay": "ms", "nepali": "ne", "pashto": "ps", "slovene": "sl",
    "slovenian": "sl", "kyrgyz": "ky", "uyghur": "ug", "sinhala": "si", "sinhalese": "si", "tetum": "tet",
    "indian": None, "arabic": "ar", "hebrew": "he", "ukrainian": "uk", "english": "en", "spanish": "es",
    "french": "fr", "portuguese": "pt", "russian": "ru", "german": "de", "japanese": "ja", "korean": "ko",
    "italian": "it", "turkish": "tr", "polish": "pl", "romanian": "ro", "hindi": "hi", "urdu": "ur",
    "dutch": "nl", "flemish": "nl", "icelandic": "is", "catalan": "ca", "khmer": "km", "lao": "lo",
}


@lru_cache(maxsize=512)
def language_code(name: str) -> tuple[bool, str | None]:
    """(is a language name, its BCP 47 code) for a name such as `Spanish`."""
    key = name.strip().lower()
    if key in _LANGUAGE_ALIASES:
        return True, _LANGUAGE_ALIASES[key]
    lang = pycountry.languages.get(name=key.title())
    if lang is None:
        return False, None
    return True, getattr(lang, "alpha_2", None) or lang.alpha_3


_PAREN = re.compile(r"\(([^()\r\n]{1,160})\)|\[([^\[\]\r\n]{1,60})\]")
_LANG_WORD = r"[A-Za-z]+(?: [Cc]reole)?"
_LANGUAGE = re.compile(
    rf"^(?:(?:speaks|spoke|speaking|continues|continued|answers|answered|responds|responded|asks|asked)(?: \w+)? )?"
    rf"in ({_LANG_WORD}(?:(?:, | and |, and |/)(?:in )?{_LANG_WORD})*)$",
    re.I,
)
_RULES: tuple[tuple[MarkerKind, re.Pattern[str]], ...] = (
    ("in_progress", re.compile(r"\bin[- ]progress\b|^in mid-?sentence$", re.I)),
    ("interpretation", re.compile(
        r"^(?:(?:via|through|by|as) (?:an? |the )?)?(?:int\w*pret\w*|translat\w*|simultaneous interpretation)\b", re.I)),
    ("inaudible", re.compile(r"^(?:partially |largely |mostly )?(?:inaudible|unintelligible|indiscernible|unclear|audio unclear)\b", re.I)),
    ("crosstalk", re.compile(r"^(?:cross-?talk|crosstalk|multiple speakers|speaking simultaneously|overlapping)\b", re.I)),
    ("laughter", re.compile(r"^(?:[a-z ]+ and )?(?:laughter|laughs|laughing|chuckles)\b|\b(?:laugh(?:s|ed|ing|ter)?|chuckl\w*)\b", re.I)),
    ("applause", re.compile(r"^(?:[a-z ]+ and )?applause\b|\bapplau\w*\b", re.I)),
    ("off_mic", re.compile(r"^off[- ]?mi(?:ke|c|crophone)\b|^(?:speaks |speaking )?away from (?:the )?mi(?:ke|c|crophone)", re.I)),
    ("break", re.compile(r"^(?:break|pause|recess|intermission|technical difficult\w*|audio (?:drops|interrupted|cuts out|lost)|"
                         r"connection (?:lost|drops)|silence)\b", re.I)),
    ("redaction", re.compile(r"\bredacted\b|^name withheld|^omitted\b|^deleted\b", re.I)),
    ("procedural", re.compile(
        r"^(?:the |a |an )?(?:briefing|call|press conference|meeting|event|interview|session|program|programme|"
        r"conference|availability|hearing|discussion|panel|remarks|segment|broadcast|transcript)\b.*\b(?:concluded|ended|"
        r"adjourned|began|begins|started|recessed|resumed|ends|concludes)\b"
        r"|^(?:the |an? )?(?:video|audio|film|clip|anthem|national anthem|music|recording)\b"
        r"|^(?:begin|end) (?:of )?(?:video|audio|clip|transcript|remarks)\b"
        r"|^(?:the |a |an )\w[\w ’'-]* (?:is|are|was|were) (?:\w+ed|read|played|shown|signed|sung|given|held|taken)\b",
        re.I)),
)
_SENTENCE_END = re.compile(r"(?:^|[.?!:;…—–\-\"”’)]\s*|\s)$")
_DATE_ONLY = re.compile(r"^(?:\w+day,?\s+)?[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}$")
_STANDS_FOR_A_NAME = re.compile(r"^(?:an? |the )?(?:[\w-]+ ){0,4}(?:officials?|spokesperson|speaker)$", re.I)
_GERUND = re.compile(r"^[A-Z][a-z]+ing\b")


@dataclass(slots=True)
class FoundMarker:
    kind: MarkerKind
    start: int  # offsets into the string searched
    end: int
    value: str | None


def _language_codes(names_text: str) -> list[str] | None:
    """BCP 47 codes of `Spanish and French`; None when a name is not a language."""
    codes: list[str] = []
    for n in re.split(r", and |, | and |/|in ", names_text):
        if not n.strip():
            continue
        ok, code = language_code(n)
        if not ok:
            return None
        if code and code not in codes:
            codes.append(code)
    return codes


@lru_cache(maxsize=4096)
def classify(inner: str, *, bracket: bool = False) -> tuple[MarkerKind | None, str | None]:
    """Kind and value of a parenthetical's (or a bracket's) inner text, or (None, None) for
    ordinary prose.  The same few notes recur in every transcript, so memoized."""
    words = inner.replace("\u00a0", " ").strip().rstrip(".").strip()
    if not words:
        return None, None
    for kind, rx in _RULES:
        if rx.search(words):
            return kind, None
    m = _LANGUAGE.match(words)
    if m:
        codes = _language_codes(m.group(1))
        if codes is not None:
            return "language", ",".join(codes) or None
    if bracket and _STANDS_FOR_A_NAME.match(words):
        return "redaction", None  # [senior administration official] in place of a name withheld
    if bracket and any(ch.isalpha() for ch in words):
        return "editorial", None  # [sic], [they], [thousand]: the publisher's insertion
    return None, None


@lru_cache(maxsize=8192)
def _narrates(inner: str) -> bool:
    """The words of a parenthetical read as a stage direction (capitalised, a sentence or an
    -ing phrase, not an acronym, a date or a number); where it stands is checked apart."""
    w = inner.strip()
    if not w or not w[0].isupper() or len(w.split()) > 16 or len(w) < 4:
        return False
    if w.upper() == w or not any(c.islower() for c in w):  # acronyms: (EPA), (PRC), (LGBTQI+)
        return False
    if _DATE_ONLY.match(w.rstrip(".")):
        return False
    if any(ch.isdigit() for ch in w) and not w.lower().startswith(("the ", "a ")):
        return False
    return w.endswith(".") or _GERUND.match(w) is not None


@lru_cache(maxsize=8192)
def may_be_marker(inner: str, bracket: bool) -> bool:
    """Whether a parenthetical (or bracket) with this inner text can be a marker wherever it
    stands: a known kind, or words that narrate.  Most parentheses of prose are not."""
    return classify(inner, bracket=bracket)[0] is not None or (not bracket and _narrates(inner))


def _looks_like_direction(inner: str, before: str, after: str) -> bool:
    """A free-standing capitalised parenthetical between sentences that narrates what happens:
    `(The Vice President holds up a Venn diagram.)`, `(Turning to the Reuters journalist)`."""
    if not _narrates(inner):
        return False
    if before and not _SENTENCE_END.search(before[-3:]):
        return False
    after = after.lstrip()
    return not after or after[0].isupper() or after[0] in "(\"“—–-"


def found_marker(text: str, inner: str, start: int, end: int, *, bracket: bool) -> FoundMarker | None:
    """The marker a parenthetical (or bracket) at text[start:end] with this inner text is, if any."""
    kind, value = classify(inner, bracket=bracket)
    if kind is None:
        if bracket or not _looks_like_direction(inner, text[max(0, start - 3):start], text[end:end + 2]):
            return None
        kind = "other"
    return FoundMarker(kind, start, end, value)


def find_markers(text: str) -> list[FoundMarker]:
    """Markers in a normalized turn text, with their offsets in it."""
    if "(" not in text and "[" not in text:
        return []
    out: list[FoundMarker] = []
    for m in _PAREN.finditer(text):
        bracket = m.group(1) is None
        fm = found_marker(text, m.group(2) if bracket else m.group(1), m.start(), m.end(), bracket=bracket)
        if fm is not None:
            out.append(fm)
    return out
