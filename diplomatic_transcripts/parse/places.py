"""Place lines (`Mexico City, Mexico`, `Washington, D.C.`, `Via Teleconference`) to city,
country and ISO 3166-1 alpha-2 code.

Countries are resolved with pycountry (the ISO 3166 tables); U.S. states with pycountry's
ISO 3166-2 subdivisions.  The short table below holds only the names the State Department
uses that ISO spells differently, never a guess: fuzzy matching would turn "Republic of
Korea" into North Korea.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

_USAGE: dict[str, str] = {
    "republic of korea": "KR", "south korea": "KR", "korea": "KR", "rok": "KR", "north korea": "KP",
    "democratic people's republic of korea": "KP", "dprk": "KP", "russia": "RU", "burma": "MM",
    "kosovo": "XK", "cote d'ivoire": "CI", "côte d'ivoire": "CI", "ivory coast": "CI",
    "democratic republic of the congo": "CD", "drc": "CD", "republic of the congo": "CG", "congo": "CG",
    "the netherlands": "NL", "netherlands": "NL", "uk": "GB", "united kingdom": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "great britain": "GB", "britain": "GB",
    "usa": "US", "u.s.": "US", "united states": "US", "united states of america": "US", "the united states": "US",
    "vatican": "VA", "vatican city": "VA", "holy see": "VA", "the holy see": "VA", "turkey": "TR",
    "czech republic": "CZ", "the bahamas": "BS", "bahamas": "BS", "the gambia": "GM", "gambia": "GM",
    "brunei": "BN", "laos": "LA", "vietnam": "VN", "syria": "SY", "iran": "IR", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "micronesia": "FM", "taiwan": "TW",
    "west bank": "PS", "palestinian territories": "PS", "gaza": "PS", "macedonia": "MK",
    "east timor": "TL", "cape verde": "CV", "swaziland": "SZ", "the philippines": "PH",
    "the united arab emirates": "AE", "uae": "AE", "sao tome and principe": "ST", "são tomé and príncipe": "ST",
}
_DC = re.compile(r"^(?:d\.?\s?c\.?|district of columbia)$", re.I)
_VIRTUAL = re.compile(
    r"^(?:via |by )?(?:tele(?:conference|phone|phonic)|video ?(?:conference|teleconference|link)|virtual(?:ly)?|"
    r"zoom|webex|online|conference call|telephonic(?:ally)?)(?: (?:call|briefing|meeting|event))?\.?$",
    re.I,
)
_BORDER = re.compile(r"^(.+?)\s+(?:border|border crossing|frontier)$", re.I)
_STRAY_TAIL = re.compile(r"\s+(?:location|venue|place)$", re.I)


@dataclass(frozen=True, slots=True)
class Place:
    city: str | None
    country: str | None
    country_code: str | None
    is_virtual: bool = False


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ").replace("’", "'")).strip().strip(".,").strip()


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """Alpha-2 code of a country name as printed, or None when it names no country."""
    key = _norm(name).lower()
    if not key or len(key) > 60:
        return None
    if key in _USAGE:
        return _USAGE[key]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    states = {}
    for sub in pycountry.subdivisions.get(country_code="US"):
        states[sub.name.lower()] = sub.code
        states[sub.code.split("-")[1].lower()] = sub.code
    return states


def is_us_state(name: str) -> bool:
    key = _norm(name).lower()
    return key in _us_states() or bool(_DC.match(key))


@lru_cache(maxsize=8192)
def resolve_place(line: str) -> Place | None:
    """The place a header line names, or None when the line is not a place."""
    text = _norm(line)
    if not text or len(text) > 80 or text.endswith(("?", "!")):
        return None
    if _VIRTUAL.match(text):
        return Place(None, None, None, True)
    text = _STRAY_TAIL.sub("", text)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or len(parts) > 3:
        return None
    last = parts[-1]
    if len(parts) == 1:
        code = country_code(last)
        if code:
            return Place(None, last, code)
        if is_us_state(last) and len(last) > 2:
            return Place(None, "United States", "US")
        border = _BORDER.match(last)
        if border and all(country_code(c) for c in re.split(r"\s*[-–/]\s*", border.group(1))):
            return Place(last, None, None)
        return None
    city = ", ".join(parts[:-1])
    if not city[:1].isupper():
        return None
    if _DC.match(last) or (len(last.replace(".", "")) == 2 and is_us_state(last)):
        return Place(city, "United States", "US")
    code = country_code(last)
    if code:
        return Place(city, last, code)
    if is_us_state(last):
        return Place(city, "United States", "US")
    return None
