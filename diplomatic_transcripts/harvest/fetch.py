"""Polite, robust HTTP for the harvester: one GET at a time, asked for by URL.

Choices, and why:
- **httpx** speaks HTTP: connection pooling, per-phase timeouts, redirects, gzip, and a
  `RemoteProtocolError` when a body ends before its Content-Length (a truncated response is
  an error, never a stored page).  requests would do as well; httpx has the clearer timeout
  and transport model (tests and benchmarks can hand it a transport) and is typed.
- **stamina** retries: exponential backoff with jitter, a cap on attempts and on total time,
  and a backoff hook that returns a wait, which is how Retry-After is honoured.  It is a
  thin, opinionated layer over tenacity with safe defaults; the waits are a `FetchPolicy`,
  so tests make them milliseconds.
- **protego** reads robots.txt (Scrapy's parser: wildcards, `$`, Allow/Disallow precedence
  as RFC 9309 says, Crawl-delay); the standard library's robotparser misses wildcards.
  RFC 9309's rules for an unreachable file apply: 4xx means no rules, 5xx or no answer
  after the retries means everything is disallowed.
- **not hishel**: conditional requests use the ETag and Last-Modified kept in the harvest
  folder's sidecars, which are the store of record.  An HTTP cache would be a second copy
  of every page, and its freshness rules may answer from the cache without asking the
  server, which is not what a harvest that reports "unchanged" means.

At most one request per host per `1/rate` seconds (start to start; a robots.txt
Crawl-delay, when longer, wins); `rate=0` turns the limit off for tests and benchmarks.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import stamina

from ..version import __version__

PROJECT_URL = "https://github.com/diplomatic-transcripts/diplomatic-transcripts"
DEFAULT_USER_AGENT = f"diplomatic-transcripts/{__version__} (+{PROJECT_URL})"
ROBOTS_TOKEN = "diplomatic-transcripts"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass
class FetchPolicy:
    """How hard and how politely to ask."""

    rate: float = 1.0  # requests per second per host; 0 = no limit
    timeout: float = 30.0  # seconds per connect/read/write
    attempts: int = 5
    wait_initial: float = 1.0
    wait_max: float = 60.0
    wait_jitter: float = 1.0
    retry_timeout: float = 600.0  # give up on one URL after this long, retries included
    retry_after_max: float = 300.0  # a longer Retry-After is a failure, not a wait
    user_agent: str = DEFAULT_USER_AGENT


@dataclass
class Response:
    url: str
    final_url: str
    status: int  # 2xx or 304
    headers: dict[str, str]
    body: bytes


class FetchFailed(Exception):
    """A URL that could not be fetched; `reason` says why, `status` is the last HTTP status."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class Disallowed(Exception):
    """robots.txt disallows the URL for us: it was not requested."""


class _Retryable(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class _Truncated(Exception):
    pass


def origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}".lower()


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


RobotsRules = Callable[[str], bool]  # url -> allowed


@dataclass
class _Host:
    next_at: float = 0.0
    interval: float = 0.0
    rules: RobotsRules | None = None
    loaded: bool = False


@dataclass
class Fetcher:
    """GETs with robots.txt, per-host pacing, retries and conditional headers."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    transport: httpx.BaseTransport | None = None
    # origin -> robots.txt response (or None when there is none) through the store; the
    # harvester sets it so robots.txt is kept and asked for conditionally like any page.
    robots_source: Callable[[str], Response | FetchFailed | None] | None = None
    retries: int = 0
    requests: int = 0
    _hosts: dict[str, _Host] = field(default_factory=dict)
    _client: httpx.Client | None = None

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.policy.timeout), follow_redirects=True, transport=self.transport)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- robots.txt ---------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        host = self._host(origin_of(url))
        if not host.loaded:
            host.loaded = True
            host.rules = self._load_robots(origin_of(url), host)
        return host.rules is None or host.rules(url)

    def _load_robots(self, origin: str, host: _Host) -> RobotsRules | None:
        from protego import Protego

        try:
            got = self.robots_source(origin) if self.robots_source else self.request(f"{origin}/robots.txt")
        except FetchFailed as exc:
            got = exc
        if isinstance(got, FetchFailed):
            if got.status is not None and 400 <= got.status < 500:
                return None  # RFC 9309 2.3.1.3: "unavailable" -- no rules
            return lambda url: False  # 2.3.1.4: "unreachable" -- assume complete disallow
        if got is None:
            return None
        rules = Protego.parse(got.body.decode("utf-8", errors="replace"))
        delay = rules.crawl_delay(ROBOTS_TOKEN)
        if delay:
            host.interval = max(host.interval, float(delay))
        return lambda url: bool(rules.can_fetch(url, ROBOTS_TOKEN))

    # -- requests -----------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET a URL robots.txt allows (else Disallowed, and nothing is sent)."""
        if not self.allowed(url):
            raise Disallowed(url)
        return self.request(url, etag=etag, last_modified=last_modified)

    def request(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET with retries: a 2xx or 304 Response, else FetchFailed with the reason."""
        headers = {name: value for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
                   if value} or None
        p = self.policy
        attempts = 0
        try:
            for attempt in stamina.retry_context(
                    on=self._backoff, attempts=p.attempts, timeout=p.retry_timeout or None,
                    wait_initial=p.wait_initial, wait_max=p.wait_max, wait_jitter=p.wait_jitter):
                with attempt:
                    attempts += 1
                    if attempts > 1:
                        self.retries += 1
                    return self._once(url, headers)
        except _Retryable as exc:
            raise FetchFailed(self._retry_reason(exc, attempts), exc.status) from None
        except _Truncated as exc:
            raise FetchFailed(f"{exc} (after {attempts} attempt(s))") from None
        except httpx.TimeoutException as exc:
            raise FetchFailed(f"timed out ({type(exc).__name__}) after {attempts} attempt(s)") from None
        except httpx.HTTPError as exc:
            raise FetchFailed(f"{type(exc).__name__}: {exc} (after {attempts} attempt(s))") from None
        raise FetchFailed("no attempt was made")  # attempts=0; unreachable with a sane policy

    def _retry_reason(self, exc: _Retryable, attempts: int) -> str:
        if exc.retry_after is not None and exc.retry_after > self.policy.retry_after_max:
            return (f"HTTP {exc.status} with Retry-After {exc.retry_after:.0f} s, longer than the "
                    f"{self.policy.retry_after_max:.0f} s harvest waits")
        return f"HTTP {exc.status} after {attempts} attempt(s)"

    def _backoff(self, exc: Exception) -> bool | float:
        if isinstance(exc, _Retryable):
            if exc.retry_after is not None:
                return False if exc.retry_after > self.policy.retry_after_max else max(exc.retry_after, 0.001)
            return True
        if isinstance(exc, httpx.UnsupportedProtocol):
            return False
        return isinstance(exc, (_Truncated, httpx.TransportError))

    def _host(self, origin: str) -> _Host:
        host = self._hosts.get(origin)
        if host is None:
            host = self._hosts[origin] = _Host()
        return host

    def _pace(self, origin: str) -> None:
        host = self._host(origin)
        interval = max(1.0 / self.policy.rate if self.policy.rate > 0 else 0.0, host.interval)
        now = time.monotonic()
        if host.next_at > now:
            time.sleep(host.next_at - now)
            now = time.monotonic()
        host.next_at = now + interval

    def _once(self, url: str, headers: dict[str, str] | None) -> Response:
        assert self._client is not None
        self._pace(origin_of(url))
        self.requests += 1
        r = self._client.get(url, headers=headers)
        status = r.status_code
        got = dict(r.headers.items())  # read once: names in lower case, repeated ones joined
        if status in RETRY_STATUSES:
            raise _Retryable(status, retry_after_seconds(got.get("retry-after")))
        if status == 304:
            return Response(url, str(r.url), 304, got, b"")
        if not 200 <= status < 300:
            raise FetchFailed(f"HTTP {status}", status)
        body = r.content
        declared = got.get("content-length")
        if declared and declared.isdigit() and not got.get("content-encoding") and int(declared) != len(body):
            raise _Truncated(f"the body is truncated: {len(body)} of {declared} bytes")
        return Response(url, str(r.url), status, got, body)
