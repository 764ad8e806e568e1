"""Who published a source: the sidecar says so, or its URL's host is in the table of known
hosts (`publishers.toml`, data beside this module), or nobody knows and it stays null."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit


@lru_cache(maxsize=1)
def known_hosts() -> dict[str, str]:
    """host -> publisher, from the packaged table."""
    text = resources.files(__package__).joinpath("publishers.toml").read_text(encoding="utf-8")
    return {host.lower(): name for host, name in tomllib.loads(text).items() if isinstance(name, str)}


@lru_cache(maxsize=1024)
def publisher_of_url(url: str | None) -> str | None:
    """The publisher of a URL's host (or of the nearest parent domain in the table), else None."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if host.startswith("www."):
        host = host[4:]
    table = known_hosts()
    parts = host.split(".")
    for i in range(len(parts) - 1):  # longest suffix first: usun.usmission.gov before usmission.gov
        name = table.get(".".join(parts[i:]))
        if name:
            return name
    return None
