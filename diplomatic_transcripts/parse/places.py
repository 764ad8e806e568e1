"""Place lines (`Mexico City, Mexico`, `Washington, D.C.`, `Via Teleconference`) to city,
country and ISO 3166-1 alpha-2 code.

Countries are resolved with pycountry (the ISO 3166 tables); U.S. states with pycountry's
ISO 3166-2 subdivisions.  The short table below holds only the names transcripts use
that ISO spells differently, never a guess: fuzzy matching would turn "Republic of
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


# Adjectives of nationality as titles print them ("French Foreign
# Minister"), to the country's ISO code.  Data, not inference: a missing one stays unknown.
DEMONYMS: dict[str, str] = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "angolan": "AO", "argentine": "AR", "argentinian": "AR",
    "armenian": "AM", "australian": "AU", "austrian": "AT", "azerbaijani": "AZ", "bahraini": "BH",
    "bangladeshi": "BD", "belgian": "BE", "bolivian": "BO", "bosnian": "BA", "brazilian": "BR", "british": "GB",
    "bulgarian": "BG", "burmese": "MM", "cambodian": "KH", "cameroonian": "CM", "canadian": "CA", "chilean": "CL",
    "chinese": "CN", "colombian": "CO", "congolese": "CD", "costa rican": "CR", "croatian": "HR", "cuban": "CU",
    "cypriot": "CY", "czech": "CZ", "danish": "DK", "dominican": "DO", "dutch": "NL", "ecuadorian": "EC",
    "egyptian": "EG", "emirati": "AE", "estonian": "EE", "ethiopian": "ET", "fijian": "FJ", "filipino": "PH",
    "finnish": "FI", "french": "FR", "georgian": "GE", "german": "DE", "ghanaian": "GH", "greek": "GR",
    "greenlandic": "GL", "guatemalan": "GT", "haitian": "HT", "honduran": "HN", "hungarian": "HU",
    "icelandic": "IS", "indian": "IN", "indonesian": "ID", "iranian": "IR", "iraqi": "IQ", "irish": "IE",
    "israeli": "IL", "italian": "IT", "jamaican": "JM", "japanese": "JP", "jordanian": "JO", "kazakh": "KZ",
    "kazakhstani": "KZ", "kenyan": "KE", "korean": "KR", "kosovar": "XK", "kuwaiti": "KW", "kyrgyz": "KG",
    "latvian": "LV", "lebanese": "LB", "libyan": "LY", "lithuanian": "LT", "luxembourgish": "LU",
    "malawian": "MW", "malaysian": "MY", "maldivian": "MV", "malian": "ML", "maltese": "MT", "mexican": "MX",
    "moldovan": "MD", "mongolian": "MN", "montenegrin": "ME", "moroccan": "MA", "mozambican": "MZ",
    "namibian": "NA", "nepali": "NP", "nepalese": "NP", "new zealand": "NZ", "nicaraguan": "NI",
    "nigerian": "NG", "nigerien": "NE", "norwegian": "NO", "omani": "OM", "pakistani": "PK", "palauan": "PW",
    "palestinian": "PS", "panamanian": "PA", "paraguayan": "PY", "peruvian": "PE", "polish": "PL",
    "portuguese": "PT", "qatari": "QA", "romanian": "RO", "russian": "RU", "rwandan": "RW", "saudi": "SA",
    "senegalese": "SN", "serbian": "RS", "singaporean": "SG", "slovak": "SK", "slovenian": "SI",
    "somali": "SO", "south african": "ZA", "south korean": "KR", "spanish": "ES", "sri lankan": "LK",
    "sudanese": "SD", "swedish": "SE", "swiss": "CH", "syrian": "SY", "taiwanese": "TW", "tajik": "TJ",
    "tanzanian": "TZ", "thai": "TH", "tunisian": "TN", "turkish": "TR", "turkmen": "TM", "ugandan": "UG",
    "ukrainian": "UA", "uruguayan": "UY", "uzbek": "UZ", "venezuelan": "VE", "vietnamese": "VN",
    "yemeni": "YE", "zambian": "ZM", "zimbabwean": "ZW", "american": "US", "u.s.": "US", "us": "US",
}


# Organisations that stand where a nationality would ("NATO Secretary General").
ORGANISATIONS = {"nato", "eu", "european union", "un", "united nations", "african union", "asean", "oas", "osce",
                 "palestinian authority", "eeas", "iaea", "who", "wto", "imf", "world bank", "g7", "g20", "quad",
                 "european commission", "council of europe", "arab league", "gulf cooperation council"}


def _country_name(code: str, printed: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return printed
    return getattr(country, "common_name", None) or country.name.split(",")[0]


@lru_cache(maxsize=8192)
def split_affiliation(role: str | None) -> tuple[str | None, str | None]:
    """`French Foreign Minister` -> (`Foreign Minister`, `France`); the country as ISO names it
    when only an adjective is printed, as printed when a country name is."""
    if not role:
        return role, None
    words = role.split()
    for k in range(min(5, len(words) - 1), 0, -1):
        head, rest = " ".join(words[:k]), " ".join(words[k:])
        key = _norm(head).lower()
        if key in ORGANISATIONS:
            return rest, head
        if key in DEMONYMS:
            return rest, _country_name(DEMONYMS[key], head)
        if country_code(head) and not key.startswith(("the ", "of ")):
            return rest, head
    return role, None


@dataclass(frozen=True, slots=True)
class Place:
    city: str | None
    country: str | None
    country_code: str | None
    is_virtual: bool = False


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def _norm(s: str) -> str:
    """Spaces folded, curly apostrophes straightened, invisible characters (zero-width spaces
    and joiners a page's editor left behind) dropped."""
    s = _INVISIBLE.sub("", s) if not s.isascii() else s
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ").replace("’", "'")).strip().strip(".,").strip()


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Every ISO 3166 name and code, lowercased, to its alpha-2 code: built once, so a look-up
    is a dict access instead of pycountry's scan of every country."""
    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                index.setdefault(value.lower(), c.alpha_2)
    return index


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """Alpha-2 code of a country name as printed, or None when it names no country."""
    key = _norm(name).lower()
    if not key or len(key) > 60:
        return None
    if key in _USAGE:
        return _USAGE[key]
    return _country_index().get(key)


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
    if not city[:1].isupper() or len(city.split()) > 5 or any(ch.isdigit() for ch in city):
        return None
    if _DC.match(last) or (len(last.replace(".", "")) == 2 and is_us_state(last)):
        return Place(city, "United States", "US")
    code = country_code(last)
    if code:
        return Place(city, last, code)
    if is_us_state(last):
        return Place(city, "United States", "US")
    return None
