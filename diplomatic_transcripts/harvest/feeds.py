"""RSS and Atom feeds: their items, and the way to the next (older) page.

feedparser reads the feed: RSS 0.9x/1.0/2.0 and Atom, `content:encoded`, `dc:creator`,
entities, encodings and the malformed XML real feeds carry, after twenty years of meeting
them; trafilatura's feed module gives links only, and an item's body is what `build`
parses.  HTML sanitising and relative-URI rewriting are off: the body is kept as the
publisher wrote it (scripts and all; the parser skips them).

Paging back in time: a feed's own `<link rel="next">` (RFC 5005) when it has one, else
WordPress's `?paged=N` when the feed says WordPress generated it.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit


@dataclass
class FeedEntry:
    link: str | None
    title: str
    creator: str
    pub_date: str
    content_html: str | None  # the full body (content:encoded / atom:content), if the feed carries it
    summary: str | None
    date: dt.date | None


@dataclass
class FeedPage:
    entries: list[FeedEntry] = field(default_factory=list)
    next_url: str | None = None
    wordpress: bool = False


def is_feed(data: bytes) -> bool:
    """True when feedparser recognises an RSS or Atom document."""
    import feedparser

    return bool(feedparser.parse(data).get("version"))


def _date(parsed: object) -> dt.date | None:
    try:
        return dt.date(parsed[0], parsed[1], parsed[2]) if parsed else None  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None


def parse_feed(data: bytes, url: str) -> FeedPage:
    import feedparser

    doc = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    with warnings.catch_warnings():  # feedparser warns when `updated` stands in for `published`
        warnings.simplefilter("ignore", DeprecationWarning)
        return _page(doc, url)


def _page(doc: Any, url: str) -> FeedPage:
    page = FeedPage()
    generator = str(doc.feed.get("generator", "") or "")
    page.wordpress = "wordpress" in generator.lower()
    for link in doc.feed.get("links", []) or []:
        if link.get("rel") == "next" and link.get("href"):
            page.next_url = urljoin(url, link["href"])
    for e in doc.entries:
        content = None
        for c in e.get("content", []) or []:
            if c.get("value") and (content is None or "html" in str(c.get("type", ""))):
                content = c["value"]
        link = e.get("link")
        page.entries.append(FeedEntry(
            link=urljoin(url, link) if isinstance(link, str) and link.strip() else None,
            title=str(e.get("title", "") or ""),
            creator=str(e.get("author", "") or ""),
            pub_date=str(e.get("published") or e.get("updated") or ""),
            content_html=content,
            summary=e.get("summary") if isinstance(e.get("summary"), str) else None,
            date=_date(e.get("published_parsed") or e.get("updated_parsed")),
        ))
    return page


def next_page_url(url: str, page: FeedPage, number: int) -> str | None:
    """The URL of page `number` (2, 3, ...) after the page just read, or None when the feed
    has no way back."""
    if page.next_url:
        return page.next_url
    if not page.wordpress:
        return None
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "paged"]
    query.append(("paged", str(number)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
