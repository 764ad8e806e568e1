"""Transcript and speaker ids: DESIGN.md's slug rule, in one place."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

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


def is_valid_id(value: str) -> bool:
    return bool(ID_RE.match(value))
