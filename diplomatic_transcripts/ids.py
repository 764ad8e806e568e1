"""Transcript and speaker ids: the slug rule (lowercase, every run of other characters one
hyphen, trimmed), in one place."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from .vocabulary import HONORIFICS, NAME_PARTICLES, NAME_SUFFIXES


ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_OTHER = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase, every run of other characters one hyphen, trimmed (accents folded first)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _OTHER.sub("-", folded.lower()).strip("-")


def id_from_stem(stem: str) -> str:
    return slugify(stem)


def id_from_url(url: str) -> str:
    """The page's slug: the last non-empty path segment of the URL."""
    path = urlsplit(url).path.rstrip("/")
    return slugify(path.rsplit("/", 1)[-1] if path else url)


@lru_cache(maxsize=8192)
def label_key(label: str) -> str:
    """The form two printings of one label share: NFKC, upper case, no periods, one space.

    Sidecars are keyed by it, speakers merge on it and persons resolve labels by it."""
    s = unicodedata.normalize("NFKC", label).replace("\u00a0", " ").upper().replace(".", " ")
    return re.sub(r"\s+", " ", s).strip()


def is_valid_id(value: str) -> bool:
    return bool(ID_RE.match(value))


def _is_honorific(token: str) -> bool:
    t = token.lower().rstrip(".")
    return t in HONORIFICS or t == "the"


def _is_suffix(token: str) -> bool:
    return token.lower().rstrip(".,") in NAME_SUFFIXES


_INITIAL = re.compile(r"^[^\W\d_]\.?$|^(?:[^\W\d_]\.){2,}$")


def person_key(name: str | None) -> str | None:
    """The person id a printed name gives, or None when it is not one person's name."""
    if not name or re.search(r",| and |&|\d|/", name):
        return None
    tokens = [t for t in name.replace("\u00a0", " ").split() if not _is_honorific(t) and not _is_suffix(t)]
    core = [t for t in tokens if not _INITIAL.match(t)]
    if not core or len(core) > 6 or not all(t[:1].isupper() or "-" in t or t.lower() in NAME_PARTICLES for t in core):
        return None
    if len(core) == 1 and len(tokens) == 1:
        return None  # a single word is a label or a mononym we cannot tell apart
    return slugify(" ".join(core)) or None
