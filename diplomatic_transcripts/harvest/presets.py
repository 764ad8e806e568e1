"""Presets: a publisher's name standing for its public feeds and sitemaps.

The table is data (`presets.toml` beside this module), so adding a publisher is a reviewed
line of TOML, not code.  A target on the command line is either a preset name or an
http(s) URL; anything else is a usage error that lists the presets.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Preset:
    name: str
    publisher: str
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()
    match: str | None = None


@dataclass
class Target:
    """One way in: a URL, the publisher it belongs to (when a preset says so), and whether
    it is known to be a sitemap (else its content decides: feed, sitemap or listing)."""

    url: str
    publisher: str | None = None
    sitemap: bool = False
    match: re.Pattern[str] | None = field(default=None, compare=False)


class PresetError(ValueError):
    """A target that is neither a preset nor an http(s) URL."""


@lru_cache(maxsize=1)
def presets() -> dict[str, Preset]:
    text = resources.files(__package__).joinpath("presets.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)
    out = {}
    for name, row in table.items():
        out[name] = Preset(name, str(row["publisher"]), tuple(row.get("feeds", ())),
                           tuple(row.get("sitemaps", ())), row.get("match"))
    return out


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def resolve_targets(values: list[str], *, sitemaps: bool = False, match: str | None = None) -> list[Target]:
    """Preset names and URLs as the URLs to start from, in the order given, each once."""
    table = presets()
    user_match = re.compile(match) if match else None
    out: list[Target] = []
    seen: set[str] = set()

    def add(t: Target) -> None:
        if t.url not in seen:
            seen.add(t.url)
            out.append(t)

    for value in values:
        preset = table.get(value.strip().lower())
        if preset:
            for url in preset.feeds:
                add(Target(url, preset.publisher, False, user_match))
            if sitemaps:
                pattern = user_match or (re.compile(preset.match) if preset.match else None)
                for url in preset.sitemaps:
                    add(Target(url, preset.publisher, True, pattern))
        elif is_http_url(value):
            add(Target(value, None, False, user_match))
        else:
            raise PresetError(f"{value!r} is neither a preset ({', '.join(sorted(table))}) nor an http(s) URL")
    return out
