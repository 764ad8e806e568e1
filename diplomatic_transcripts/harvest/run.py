"""One harvest: from the ways in (feeds, sitemaps, listings) to items held in the folder.

For each way in, the walker yields its items a page at a time; for each item the page at
its link is fetched (conditionally when held) and stored, and the item's feed-export line
is recorded: the feed's own fields and body when a feed described it, else the page itself
with the title and date it gives.  Every item ends as new, changed, unchanged, disallowed
(robots.txt: the page was never requested), skipped (outside --since/--until) or failed
with its reason; a failed page of a feed item keeps the feed's line, and the next harvest
asks for the page again.

Walking stops where it has nothing more to learn: a feed page or listing page that brings
no item the folder lacks (without --since), items older than --since, a 404 past the
first page, --max items, or `max_pages`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from ..dates import feed_date
from .feeds import FeedEntry, is_feed, next_page_url, parse_feed
from .fetch import Disallowed, FetchFailed, Fetcher, Response
from .lines import BadItem, feed_line
from .listings import parse_listing
from .pages import decode_page, page_facts
from .presets import Target, is_http_url
from .sitemaps import sitemap_pages
from .store import HarvestStore, StoreError

STATUSES = ("new", "changed", "unchanged", "disallowed", "skipped", "failed")


@dataclass
class HarvestOptions:
    since: dt.date | None = None
    until: dt.date | None = None
    max_items: int | None = None
    max_pages: int = 1000  # per feed or listing


@dataclass
class Outcome:
    url: str
    status: str  # one of STATUSES
    reason: str | None = None
    kind: str = "item"  # item | source


@dataclass
class HarvestReport:
    out: str
    outcomes: list[Outcome] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    items_held: int = 0

    def counts(self) -> dict[str, int]:
        c = dict.fromkeys(STATUSES, 0)
        for o in self.outcomes:
            if o.kind == "item" or o.status in ("failed", "disallowed"):
                c[o.status] += 1
        return c

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


@dataclass
class _Candidate:
    link: str
    origin: str
    origin_sha256: str | None
    publisher: str | None
    entry: FeedEntry | None = None
    lastmod: dt.datetime | None = None
    title: str | None = None


Walk = Generator[list[_Candidate], list[Outcome], None]
Progress = Callable[[int, int | None, str], None]


def _sniff(body: bytes) -> str:
    """What a way in is, from its first bytes (a full feed parse costs as much as the walk):
    a sitemap's root, a feed's root (RSS, RDF, Atom), else an HTML listing; feedparser
    decides only when the start is ambiguous."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if body[:2] == b"\x1f\x8b" or b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<rdf:rdf" in head or b"<feed" in head:
        return "feed"
    if b"<html" in head or b"<!doctype html" in head:
        return "listing"
    return "feed" if is_feed(body) else "listing"


class Harvester:
    def __init__(self, store: HarvestStore, fetcher: Fetcher, options: HarvestOptions | None = None,
                 on_progress: Progress | None = None) -> None:
        self.store = store
        self.fetcher = fetcher
        self.options = options or HarvestOptions()
        self.on_progress = on_progress
        self.report = HarvestReport(str(store.root))
        self._seen: set[str] = set()
        self._n_items = 0
        self._discovered = 0
        fetcher.robots_source = self._robots

    # -- fetching through the store ----------------------------------------------------
    def _robots(self, origin: str) -> Response | FetchFailed | None:
        url = f"{origin}/robots.txt"
        held = self.store.held(url)
        try:
            r = self.fetcher.request(url, etag=held.etag if held else None,
                                     last_modified=held.last_modified if held else None)
        except FetchFailed as exc:
            return exc
        if r.status == 304 and held:
            return Response(url, url, 200, {}, held.body_path.read_bytes())
        self.store.save_response(url=url, final_url=r.final_url, status=r.status, headers=r.headers, body=r.body,
                                 kind="robots", publisher=None)
        return r

    def _fetch(self, url: str, kind: str | Callable[[bytes], str], publisher: str | None
               ) -> tuple[bytes, str | None, bool, str]:
        """(body, content type, new version?, sha256) of a URL: asked for conditionally when
        held, a 304 answered from the folder.  Raises Disallowed, FetchFailed, StoreError."""
        held = self.store.held(url)
        r = self.fetcher.get(url, etag=held.etag if held else None, last_modified=held.last_modified if held else None)
        if r.status == 304:
            if held is None:
                raise FetchFailed("HTTP 304 for a page this folder does not hold", 304)
            return held.body_path.read_bytes(), held.content_type, False, held.sha256
        what = kind(r.body) if callable(kind) else kind
        h, new = self.store.save_response(url=url, final_url=r.final_url, status=r.status, headers=r.headers,
                                          body=r.body, kind=what, publisher=publisher)
        return r.body, h.content_type, new, h.sha256

    # -- the run -------------------------------------------------------------------------
    def run(self, targets: list[Target]) -> HarvestReport:
        try:
            for target in targets:
                if self._full():
                    break
                walk = self._walk(target)
                try:
                    batch = next(walk)
                    while True:
                        outcomes = [o for o in (self._item(c) for c in batch) if o is not None]
                        batch = walk.send(outcomes)
                except StopIteration:
                    pass
        finally:
            self.store.checkpoint(force=True)
            self.report.requests = self.fetcher.requests
            self.report.retries = self.fetcher.retries
            self.report.items_held = len(self.store.items)
        return self.report

    def _full(self) -> bool:
        return self.options.max_items is not None and self._n_items >= self.options.max_items

    def _source_failed(self, url: str, status: str, reason: str) -> None:
        self.report.outcomes.append(Outcome(url, status, reason, kind="source"))

    def _walk(self, target: Target) -> Walk:
        if target.sitemap:
            yield from self._walk_sitemap(target)
            return
        kinds: list[str] = []

        def sniff(data: bytes) -> str:
            kinds.append(_sniff(data))
            return kinds[-1]

        try:
            body, _, _, sha = self._fetch(target.url, sniff, target.publisher)
        except Disallowed:
            self._source_failed(target.url, "disallowed", "robots.txt disallows it; it was not requested")
            return
        except (FetchFailed, StoreError) as exc:
            self._source_failed(target.url, "failed", str(exc))
            return
        kind = kinds[-1] if kinds else _sniff(body)  # a 304 is answered from the folder, unsniffed
        if kind == "feed":
            yield from self._walk_feed(target, body, sha)
        elif kind == "sitemap":
            yield from self._walk_sitemap(target)
        else:
            yield from self._walk_listing(target, body, sha)

    def _in_range(self, day: dt.date | None) -> bool:
        o = self.options
        return day is None or ((o.since is None or day >= o.since) and (o.until is None or day <= o.until))

    def _walk_feed(self, target: Target, body: bytes, sha: str) -> Walk:
        url, number = target.url, 1
        while True:
            page = parse_feed(body, url)
            if not page.entries and number == 1:
                self._source_failed(url, "failed", "the feed has no items")
                return
            batch, fresh, older = [], False, 0
            for e in page.entries:
                if e.link is None or not is_http_url(e.link):
                    self.report.outcomes.append(Outcome(
                        url, "failed", f"a feed item has no http(s) link ({e.title!r}: {e.link!r})"))
                    continue
                if self.options.since and e.date and e.date < self.options.since:
                    older += 1
                if not self._in_range(e.date):
                    continue
                if target.match and not target.match.search(e.link):
                    continue
                fresh = fresh or e.link not in self.store.items
                batch.append(_Candidate(e.link, url, sha, target.publisher, entry=e))
            yield batch
            if self._full() or not page.entries or (older and older == len(page.entries)):
                return
            if self.options.since is None and not fresh:
                return  # nothing on this page was new: the older pages are held already
            number += 1
            nxt = next_page_url(url, page, number)
            if nxt is None or number > self.options.max_pages:
                return
            try:
                body, _, _, sha = self._fetch(nxt, "feed", target.publisher)
            except Disallowed:
                self._source_failed(nxt, "disallowed", "robots.txt disallows it; it was not requested")
                return
            except FetchFailed as exc:
                if exc.status not in (404, 410):  # past the last page, WordPress answers 404
                    self._source_failed(nxt, "failed", exc.reason)
                return
            except StoreError as exc:
                self._source_failed(nxt, "failed", str(exc))
                return
            url = nxt

    def _walk_sitemap(self, target: Target) -> Walk:
        def get(u: str) -> tuple[bytes, str | None] | str:
            try:
                body, ctype, _, _ = self._fetch(u, "sitemap", target.publisher)
                return body, ctype
            except Disallowed:
                return "robots.txt disallows it; it was not requested"
            except (FetchFailed, StoreError) as exc:
                return str(exc)

        pages, failures = sitemap_pages(target.url, get)
        for u, why in failures:
            self._source_failed(u, "failed", why)
        batch = []
        for p in pages:
            if not is_http_url(p.url) or (target.match and not target.match.search(p.url)):
                continue
            if not self._in_range(p.lastmod.date() if p.lastmod else None):
                continue
            batch.append(_Candidate(p.url, target.url, None, target.publisher, lastmod=p.lastmod, title=p.title))
        yield batch

    def _walk_listing(self, target: Target, body: bytes, sha: str) -> Walk:
        url, number = target.url, 1
        while True:
            listing = parse_listing(body, url)
            batch = [_Candidate(link, url, sha, target.publisher) for link in listing.items
                     if is_http_url(link) and (not target.match or target.match.search(link))]
            fresh = any(c.link not in self.store.items for c in batch)
            outcomes = yield batch
            if self._full() or not listing.next_url or number >= self.options.max_pages or not batch:
                return
            if outcomes and all(o.status == "skipped" for o in outcomes):
                return  # everything on this listing page was older than --since
            if self.options.since is None and not fresh:
                return
            number += 1
            url = listing.next_url
            try:
                body, _, _, sha = self._fetch(url, "listing", target.publisher)
            except Disallowed:
                self._source_failed(url, "disallowed", "robots.txt disallows it; it was not requested")
                return
            except (FetchFailed, StoreError) as exc:
                self._source_failed(url, "failed", str(exc))
                return

    # -- one item ------------------------------------------------------------------------
    def _item(self, c: _Candidate) -> Outcome | None:
        if c.link in self._seen or self._full():
            return None
        self._seen.add(c.link)
        self._n_items += 1
        outcome = self._item_outcome(c)
        self.report.outcomes.append(outcome)
        if self.on_progress:
            self.on_progress(self._n_items, self.options.max_items, c.link)
        self.store.checkpoint()
        return outcome

    def _item_outcome(self, c: _Candidate) -> Outcome:
        page: tuple[bytes, str | None] | None = None  # decoded only when the line needs it
        page_new = False
        problem: Outcome | None = None
        held = self.store.held(c.link)
        if held and c.lastmod and _not_after(c.lastmod, held.retrieved_at):
            page = held.body_path.read_bytes(), held.content_type  # unchanged by its own lastmod
        else:
            try:
                body, ctype, page_new, _ = self._fetch(c.link, "page", c.publisher)
                page = body, ctype
            except Disallowed:
                problem = Outcome(c.link, "disallowed", "robots.txt disallows the page; it was not requested")
            except (FetchFailed, StoreError) as exc:
                problem = Outcome(c.link, "failed", f"the page: {exc}")
        try:
            if c.entry is not None:
                e = c.entry
                line = feed_line(link=c.link, title=e.title, creator=e.creator, pub_date=e.pub_date,
                                 content_html=e.content_html or (decode_page(*page) if page else None) or e.summary)
            else:
                if page is None:
                    return problem or Outcome(c.link, "failed", "no page")
                html = decode_page(*page)
                facts = page_facts(html)
                day = feed_date(facts.published)
                if not self._in_range(day):
                    return Outcome(c.link, "skipped", f"published {day}, outside --since/--until")
                published = facts.published or (c.lastmod.isoformat() if c.lastmod else "")
                line = feed_line(link=c.link, title=facts.title or c.title or "", creator="", pub_date=published,
                                 content_html=html)
        except BadItem as exc:
            return problem or Outcome(c.link, "failed", str(exc))
        try:
            status = self.store.save_item(line, origin=c.origin, origin_sha256=c.origin_sha256)
        except (OSError, StoreError) as exc:
            return Outcome(c.link, "failed", f"could not be stored: {exc}")
        if problem:
            return problem
        if status == "unchanged" and page_new:
            status = "changed"
        return Outcome(c.link, status)


def _not_after(lastmod: dt.datetime, retrieved_at: str) -> bool:
    """True when a sitemap's lastmod is no later than when the folder's copy was fetched."""
    try:
        got = dt.datetime.fromisoformat(retrieved_at.replace("Z", "+00:00"))
    except ValueError:
        return False
    when = lastmod if lastmod.tzinfo else lastmod.replace(tzinfo=dt.timezone.utc)
    return when <= got
