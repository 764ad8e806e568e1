"""XML sitemaps and sitemap indexes: the pages a site lists, with their `lastmod`.

ultimate-sitemap-parser reads them: sitemap indexes to any depth (with loop detection),
urlset, gzip, plain-text and RSS/Atom sitemaps, Google News extensions, and the malformed
XML of real sites, streaming with expat.  It lets the caller supply the web client, so every
sitemap request goes through the harvester's own fetcher (robots.txt, pacing, retries,
conditional requests) and is stored like any response.  trafilatura's sitemap search
fetches on its own, which would bypass all of that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from usp.web_client.abstract_client import (
    AbstractWebClient,
    AbstractWebClientResponse,
    AbstractWebClientSuccessResponse,
    WebClientErrorResponse,
)


@dataclass
class SitemapPage:
    url: str
    lastmod: dt.datetime | None
    title: str | None = None  # Google News sitemaps name the story


class _Ok(AbstractWebClientSuccessResponse):
    def __init__(self, url: str, body: bytes, content_type: str | None) -> None:
        self._url, self._body, self._type = url, body, content_type

    def status_code(self) -> int:
        return 200

    def status_message(self) -> str:
        return "OK"

    def header(self, case_insensitive_name: str) -> str | None:
        return self._type if case_insensitive_name.lower() == "content-type" else None

    def raw_data(self) -> bytes:
        return self._body

    def url(self) -> str:
        return self._url


class _Error(WebClientErrorResponse):
    pass


# url -> (body, content type) or an error message
Getter = Callable[[str], "tuple[bytes, str | None] | str"]


class _HarvestClient(AbstractWebClient):
    """USP's web client, answered by the harvester (which already retried)."""

    def __init__(self, get: Getter) -> None:
        self._get = get

    def set_max_response_data_length(self, max_response_data_length: int | None) -> None:
        pass

    def get(self, url: str) -> AbstractWebClientResponse:
        got = self._get(url)
        if isinstance(got, str):
            return _Error(got, retryable=False)
        return _Ok(url, got[0], got[1])


def sitemap_pages(url: str, get: Getter) -> tuple[list[SitemapPage], list[tuple[str, str]]]:
    """Every page the sitemap (or index) at `url` lists, and the sitemaps that failed with why."""
    import logging

    from usp.fetch_parse import SitemapFetcher
    from usp.objects.sitemap import InvalidSitemap

    logging.getLogger("usp").setLevel(logging.ERROR)
    tree = SitemapFetcher(url, 0, web_client=_HarvestClient(get)).sitemap()
    failures = [(s.url, s.reason) for s in [tree, *tree.all_sitemaps()] if isinstance(s, InvalidSitemap)]
    pages = []
    seen: set[str] = set()
    for p in tree.all_pages():
        if p.url in seen:
            continue
        seen.add(p.url)
        title = p.news_story.title if p.news_story is not None else None
        pages.append(SitemapPage(p.url, p.last_modified, title))
    return pages, failures
