"""A publisher's site on 127.0.0.1, made of the real feed snapshots, with faults on demand.

The 18 snapshots of `statedept-rss-raw/` are served in order at the feed's path (the n-th
request of the feed gets the n-th snapshot, then the last one again), with each item's
`<link>` rewritten to this server; the page at an item's link is built from the item's
`content:encoded` body as the newest snapshot served so far carries it.  Feeds, pages and
robots.txt carry an ETag and Last-Modified and answer conditional requests with 304.
Beyond page 1, `?paged=N` is a 404, as on WordPress past the last page.

Faults are queued per path and used up one per request: `429` (with Retry-After),
`500`, `timeout` (the answer comes later than the client waits), `truncate` (a
Content-Length larger than the body), `hang` (an answer held until released, for kill
tests).  A sitemap index, a sitemap and a two-page news listing of the same items are
served too.
"""

from __future__ import annotations

import hashlib
import html
import http.server
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

FEED_PATH = "/rss-feed/press-releases/feed/"
LAST_MODIFIED = "Fri, 03 Jun 2022 17:10:21 GMT"
_ITEM = re.compile(rb"<item>.*?</item>", re.S)
_LINK = re.compile(rb"<link>(https://www\.state\.gov)(/[^<]*)</link>")


@dataclass
class Item:
    path: str
    title: str
    body: str


def snapshot_items(data: bytes) -> list[Item]:
    """The items of a snapshot, read with feedparser (the harvester's own reader is not used
    to build the site, so the site is independent of the code under test's page logic)."""
    import feedparser

    out = []
    for e in feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False).entries:
        path = re.sub(r"^https://www\.state\.gov", "", e.link)
        out.append(Item(path, e.title, e.content[0].value))
    return out


def page_html(item: Item, extra: str = "") -> bytes:
    t = html.escape(item.title)
    return (f'<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8">'
            f"<title>{t} - United States Department of State</title>"
            f'<meta property="og:title" content="{t}"></head>\n<body><main><article>'
            f'<h1>{t}</h1><div class="entry-content">{item.body}</div>{extra}</article></main></body></html>\n'
            ).encode("utf-8")


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int = 0
    at: float = field(default_factory=time.monotonic)


@dataclass
class PublisherSite:
    snapshots: list[bytes]
    robots: str = "User-agent: *\nDisallow: /wp-admin/\n"
    retry_after: str = "1"
    timeout_sleep: float = 1.0
    fixed: int | None = None  # serve this snapshot always instead of in order
    requests: list[Request] = field(default_factory=list)
    faults: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    extras: dict[str, str] = field(default_factory=dict)  # path -> text appended to the page (a new version)
    release: threading.Event = field(default_factory=threading.Event)
    hanging: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._served = -1
        self.pages: dict[str, Item] = {}
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.feed_url = self.url + FEED_PATH
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        if self.fixed is not None:
            self._serve_snapshot(self.fixed)

    @classmethod
    def from_corpus(cls, folder: Path, **kw) -> PublisherSite:
        return cls([p.read_bytes() for p in sorted(folder.glob("*.rss"))], **kw)

    def __enter__(self) -> PublisherSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- content ---------------------------------------------------------------------------
    def rewritten(self, index: int) -> bytes:
        return _LINK.sub(lambda m: b"<link>" + self.url.encode() + m.group(2) + b"</link>", self.snapshots[index])

    def _serve_snapshot(self, index: int) -> bytes:
        data = self.rewritten(index)
        for item in snapshot_items(self.snapshots[index]):
            self.pages[item.path] = item
        self._served = max(self._served, index)
        return data

    def all_items(self) -> dict[str, Item]:
        """Every item of every snapshot, newest version of each (what the site ends up serving)."""
        out: dict[str, Item] = {}
        for data in self.snapshots:
            for item in snapshot_items(data):
                out[item.path] = item
        return out

    def page_bytes(self, path: str) -> bytes:
        return page_html(self.pages[path], self.extras.get(path, ""))

    def sitemap_index(self) -> bytes:
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.url}/post-sitemap.xml</loc><lastmod>2022-06-03T17:00:00+00:00</lastmod></sitemap>"
                "</sitemapindex>\n").encode()

    def sitemap(self) -> bytes:
        urls = "".join(f"<url><loc>{self.url}{p}</loc><lastmod>2022-06-03T12:00:00+00:00</lastmod></url>"
                       for p in sorted(self.pages))
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{urls}</urlset>\n").encode()

    def listing(self, number: int) -> bytes | None:
        paths = sorted(self.pages)
        half = (len(paths) + 1) // 2
        chunk = paths[:half] if number == 1 else paths[half:] if number == 2 else None
        if chunk is None:
            return None
        arts = "".join(f'<article><h2><a href="{p}">{html.escape(self.pages[p].title)}</a></h2></article>' for p in chunk)
        nxt = '<a class="next page-numbers" href="/news/page/2/">Next</a>' if number == 1 else ""
        return (f"<!DOCTYPE html><html><head><title>News</title></head><body><nav><a href=\"/about/\">About</a></nav>"
                f"<main>{arts}</main>{nxt}</body></html>").encode()

    # -- serving ---------------------------------------------------------------------------
    def _answer(self, path: str, query: str) -> tuple[int, bytes, str] | None:
        with self._lock:
            if path == "/robots.txt":
                return 200, self.robots.encode(), "text/plain; charset=utf-8"
            if path == FEED_PATH:
                if "paged=" in query:
                    return 404, b"not found", "text/html"
                index = self.fixed if self.fixed is not None else min(self._served + 1, len(self.snapshots) - 1)
                return 200, self._serve_snapshot(index), "application/rss+xml; charset=UTF-8"
            if path == "/sitemap_index.xml":
                return 200, self.sitemap_index(), "application/xml"
            if path == "/post-sitemap.xml":
                return 200, self.sitemap(), "application/xml"
            m = re.fullmatch(r"/news/(?:page/(\d+)/)?", path)
            if m:
                body = self.listing(int(m.group(1) or 1))
                return (200, body, "text/html; charset=UTF-8") if body else (404, b"not found", "text/html")
            if path in self.pages:
                return 200, self.page_bytes(path), "text/html; charset=UTF-8"
        return None

    def _handler(self):
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                req = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                site.requests.append(req)
                queue = site.faults.get(self.path) or site.faults.get(path)
                fault = queue.popleft() if queue else None
                if fault == "hang":
                    site.hanging.set()
                    site.release.wait(30)
                if fault == "timeout":
                    time.sleep(site.timeout_sleep)
                if fault in ("429", "500"):
                    req.status = int(fault)
                    self.send_response(req.status)
                    if fault == "429":
                        self.send_header("Retry-After", site.retry_after)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                answer = site._answer(path, query)
                if answer is None:
                    answer = (404, b"not found", "text/html")
                status, body, ctype = answer
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if status == 200 and (self.headers.get("If-None-Match") == etag or (
                        "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED
                        and path not in (FEED_PATH,))):
                    req.status = 304
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                req.status = status
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if status == 200:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                if fault == "truncate":
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    # -- what was asked ----------------------------------------------------------------------
    def page_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.partition("?")[0] in self.pages]

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]
