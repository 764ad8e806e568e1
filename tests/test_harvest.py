"""harvest against a publisher site on 127.0.0.1 made of the 18 real feed snapshots.

Expected values come from the snapshots and `statedept-rss/items.jsonl` as files (regular
expressions over the raw XML, the corpus's own lines), never from the harvester."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplomatic_transcripts.build import build_package
from diplomatic_transcripts.harvest import FetchPolicy, HarvestOptions, PresetError, StoreError, harvest, resolve_targets
from diplomatic_transcripts.harvest.fetch import Fetcher
from diplomatic_transcripts.harvest.lines import FIELDS
from diplomatic_transcripts.harvest.store import url_key
from tests.conftest import need_corpus
from tests.publisher_site import PublisherSite

CLI = [sys.executable, "-m", "diplomatic_transcripts"]
FAST = FetchPolicy(rate=0, timeout=2.0, attempts=3, wait_initial=0.01, wait_max=0.05, wait_jitter=0.0)
_ITEM_LINK = re.compile(rb"<item>.*?<link>([^<]+)</link>", re.S)


def snapshot_links(folder: Path) -> list[list[str]]:
    return [[m.decode() for m in _ITEM_LINK.findall(p.read_bytes())] for p in sorted(folder.glob("*.rss"))]


def files_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read_lines(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "items.jsonl").read_bytes().splitlines()]


@pytest.fixture(scope="module")
def raw_dir() -> Path:
    return need_corpus("statedept-rss-raw")


@pytest.fixture(scope="module")
def in_order(raw_dir, tmp_path_factory):
    """The 18 snapshots harvested in order, one harvest each; then a 19th harvest."""
    out = tmp_path_factory.mktemp("harvest") / "h"
    with PublisherSite.from_corpus(raw_dir) as site:
        reports = [harvest([site.feed_url], out, policy=FAST) for _ in range(18)]
        before = files_state(out)
        n = len(site.requests)
        again = harvest([site.feed_url], out, policy=FAST)
        yield {"site": site, "out": out, "reports": reports, "again": again, "again_requests": site.requests[n:],
               "before": before, "after": files_state(out)}


def test_snapshots_in_order_give_the_29_items_each_once(in_order, raw_dir):
    links = snapshot_links(raw_dir)
    assert len(links) == 18 and all(len(s) == 10 for s in links)
    distinct = {link for snap in links for link in snap}
    assert len(distinct) == 29
    lines = read_lines(in_order["out"])
    site_url = in_order["site"].url
    got = [line["link"].replace(site_url, "https://www.state.gov") for line in lines]
    assert len(got) == 29 and set(got) == distinct
    assert all(sorted(line) == sorted(FIELDS) and all(isinstance(v, str) for v in line.values()) for line in lines)
    assert sum(r.counts()["new"] for r in in_order["reports"]) == 29
    assert not any(r.failed for r in in_order["reports"])


def test_lines_carry_the_newest_version_of_each_item(in_order, feed_items_path):
    corpus = {}
    for raw in feed_items_path.read_bytes().splitlines():
        item = json.loads(raw)
        corpus[item["link"]] = item
    site_url = in_order["site"].url
    for line in read_lines(in_order["out"]):
        expected = corpus[line["link"].replace(site_url, "https://www.state.gov")]
        # feedparser drops the newline that ends each CDATA body; nothing else differs
        assert line["content_html"] == expected["content_html"].rstrip("\n")
        assert (line["title"], line["creator"], line["pub_date"]) == (expected["title"], expected["creator"], expected["pub_date"])


def test_changed_pages_are_kept_beside_the_old(in_order, raw_dir):
    site, out = in_order["site"], in_order["out"]
    # The water-security item's body differs between snapshots (the site's pages follow it).
    path = "/u-s-action-plan-on-global-water-security/"
    host, key = url_key(site.url + path)
    bodies = sorted((out / "raw" / host / key).glob("*.html"))
    assert len(bodies) == 2
    for body in bodies:
        assert body.name.startswith(hashlib.sha256(body.read_bytes()).hexdigest()[:20])
        meta = json.loads(body.with_name(body.name.split(".")[0] + ".meta.json").read_text())
        assert meta["url"] == site.url + path and meta["status"] == 200 and meta["etag"] and meta["last_modified"]
        assert meta["sha256"] == hashlib.sha256(body.read_bytes()).hexdigest() and meta["retrieved_at"]
    # every version of the item's line is kept too
    assert len(list((out / "feed-items" / host / key).glob("*.json"))) == 2


def test_a_second_harvest_asks_conditionally_gets_304s_and_writes_nothing(in_order):
    reqs = in_order["again_requests"]
    assert reqs, "the second harvest asked nothing"
    assert all("if-none-match" in r.headers or "if-modified-since" in r.headers for r in reqs)
    assert all(r.status == 304 for r in reqs)
    page_paths = [r for r in reqs if r.path.partition("?")[0] in in_order["site"].pages]
    assert len(page_paths) == 10
    assert in_order["after"] == in_order["before"]
    assert in_order["again"].counts()["unchanged"] == 10 and in_order["again"].counts()["failed"] == 0


def test_build_of_the_harvest_folder_equals_build_of_the_same_corpus_items(in_order, feed_items_path, tmp_path):
    site_url = in_order["site"].url
    links = {line["link"].replace(site_url, "https://www.state.gov") for line in read_lines(in_order["out"])}
    corpus = tmp_path / "corpus-29.jsonl"
    corpus.write_bytes(b"".join(raw + b"\n" for raw in feed_items_path.read_bytes().splitlines()
                                if json.loads(raw)["link"] in links))
    a = build_package([in_order["out"]], tmp_path / "from-harvest", version="1.0.0")
    b = build_package([corpus], tmp_path / "from-corpus", version="1.0.0")
    assert a.written and b.written and not a.failed
    assert a.n_built == b.n_built > 0 and len(a.skipped) + a.n_built == 29

    def rows(pkg: Path, table: str, drop: tuple[str, ...] = ()) -> list[dict]:
        out = [{k: v for k, v in r.items() if k not in drop} for r in pq.read_table(pkg / f"{table}.parquet").to_pylist()]
        return sorted(out, key=lambda r: json.dumps(r, sort_keys=True, default=str))

    # The links point at the loopback site, so the URL, its publisher and the line's sha differ.
    drop = ("source_url", "publisher", "source_sha256")
    assert rows(a_out := tmp_path / "from-harvest", "transcripts", drop) == rows(tmp_path / "from-corpus", "transcripts", drop)
    for table in ("speakers", "turns", "markers"):
        assert rows(a_out, table) == rows(tmp_path / "from-corpus", table), table


def test_a_killed_harvest_restarted_ends_with_the_same_files(raw_dir, tmp_path):
    def run(out: Path, site: PublisherSite) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, "harvest", site.feed_url, "--out", str(out), "--rate", "0"],
                              capture_output=True, text=True, timeout=60)

    with PublisherSite.from_corpus(raw_dir, fixed=17) as site:
        whole = tmp_path / "whole"
        assert run(whole, site).returncode == 0
        pages = sorted(site.pages)
        site.faults[pages[5]].append("hang")  # the harvest is killed while it waits for the 6th page
        killed = tmp_path / "killed"
        proc = subprocess.Popen([*CLI, "harvest", site.feed_url, "--out", str(killed), "--rate", "0"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert site.hanging.wait(30)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        site.release.set()
        assert not (killed / "items.jsonl").exists() or len(read_lines(killed)) <= 10
        assert run(killed, site).returncode == 0

    def content(folder: Path) -> dict[str, bytes | None]:
        # sidecars differ in retrieved_at only; every other file must match byte for byte
        return {str(p.relative_to(folder)): None if p.name.endswith(".meta.json") or p.name == "harvest.json"
                or p.parent.parent.parent.name == "feed-items" else p.read_bytes()
                for p in folder.rglob("*") if p.is_file()}

    assert content(killed) == content(whole)
    assert not [p for p in killed.rglob("*") if ".tmp-" in p.name]
    lines = read_lines(killed)
    assert len(lines) == 10 and len({line["link"] for line in lines}) == 10


def test_faults_end_fetched_after_retries_or_failed_with_a_reason(raw_dir, tmp_path):
    with PublisherSite.from_corpus(raw_dir, fixed=17, timeout_sleep=1.0) as site:
        p = sorted(site.pages)
        site.faults[p[0]].append("429")
        site.faults[p[1]].append("500")
        site.faults[p[2]].append("timeout")
        site.faults[p[3]].append("truncate")
        site.faults[p[4]].extend(["500"] * 3)
        site.faults[p[5]].extend(["truncate"] * 3)
        site.robots = f"User-agent: *\nDisallow: {p[6]}\n"
        out = tmp_path / "h"
        r = subprocess.run([*CLI, "harvest", site.feed_url, "--out", str(out), "--rate", "0", "--attempts", "3",
                            "--retry-wait", "0.01", "--timeout", "0.4"], capture_output=True, text=True, timeout=60)
        requests = list(site.requests)
    assert r.returncode == 1, r.stdout + r.stderr
    got = {line.split(": ")[0]: line for line in r.stdout.splitlines() if ": failed: " in line or ": disallowed: " in line}
    assert set(got) == {site.url + p[4], site.url + p[5], site.url + p[6]}, r.stdout
    assert "HTTP 500 after 3 attempt(s)" in got[site.url + p[4]]
    assert "RemoteProtocolError" in got[site.url + p[5]] or "truncated" in got[site.url + p[5]]
    assert "robots.txt" in got[site.url + p[6]]
    assert "3 new" not in r.stdout and "2 failed, 1 disallowed" in r.stdout
    assert not [q for q in requests if q.path == p[6]], "a disallowed page was requested"
    asked = {path: [q for q in requests if q.path == path] for path in p[:6]}
    assert [q.status for q in asked[p[0]]] == [429, 200]
    assert [q.status for q in asked[p[1]]] == [500, 200]
    assert len(asked[p[2]]) == 2 and asked[p[2]][-1].status == 200
    assert len(asked[p[4]]) == 3 and len(asked[p[5]]) == 3
    times = _request_times(requests, p[0])
    assert times[1] - times[0] >= 0.9, "Retry-After: 1 was not honoured"
    # nothing partial: no temporary files, and no body of a page that failed
    assert not [f for f in out.rglob("*") if ".tmp-" in f.name]
    for path in (p[4], p[5], p[6]):
        host, key = url_key(site.url + path)
        assert not (out / "raw" / host / key).exists()
    # the feed's own copy of each item is kept, also for pages that failed or were disallowed
    assert len(read_lines(out)) == 10


def _request_times(requests: list, path: str) -> list[float]:
    return [q.at for q in requests if q.path == path]


def test_a_changed_etag_gives_a_new_version_and_user_files_are_left_alone(raw_dir, tmp_path):
    out = tmp_path / "h"
    (out / "raw").mkdir(parents=True)
    with PublisherSite.from_corpus(raw_dir, fixed=17) as site:
        path = sorted(site.pages)[0]
        host, key = url_key(site.url + path)
        with pytest.raises(StoreError):  # raw/ exists but the folder is no harvest folder
            harvest([site.feed_url], out, policy=FAST)
        (out / "raw").rmdir()
        planted = {out / "keep.dat": b"mine"}
        (out / "keep.dat").write_bytes(b"mine")
        first = harvest([site.feed_url], out, policy=FAST)
        assert first.counts()["new"] == 10
        planted[out / "raw" / "keep.dat"] = b"mine too"
        planted[out / "raw" / host / "keep.dat"] = b"mine as well"
        for f, data in planted.items():
            f.write_bytes(data)
        old = {f.name: f.read_bytes() for f in (out / "raw" / host / key).iterdir()}
        site.extras[path] = "<p>A correction was appended.</p>"
        second = harvest([site.feed_url], out, policy=FAST)
        changed = [o for o in second.outcomes if o.status == "changed"]
        assert [o.url for o in changed] == [site.url + path]
        asked = [q for q in site.requests if q.path == path]
        assert asked[-1].headers.get("if-none-match") and asked[-1].status == 200
    now = {f.name: f.read_bytes() for f in (out / "raw" / host / key).iterdir()}
    assert all(now[name] == data for name, data in old.items())  # the old version, sidecar and all, untouched
    assert len([n for n in now if n.endswith(".html")]) == 2
    for f, data in planted.items():
        assert f.read_bytes() == data


def test_a_folder_with_a_foreign_items_file_is_refused(tmp_path):
    out = tmp_path / "h"
    out.mkdir()
    (out / "items.jsonl").write_text("my own notes\n")
    r = subprocess.run([*CLI, "harvest", "http://127.0.0.1:9/feed/", "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 2 and "items.jsonl" in r.stderr
    assert (out / "items.jsonl").read_text() == "my own notes\n" and sorted(p.name for p in out.iterdir()) == ["items.jsonl"]


def test_sitemaps_and_listings_bring_the_pages_in(raw_dir, tmp_path):
    with PublisherSite.from_corpus(raw_dir, fixed=17) as site:
        via_map = tmp_path / "map"
        r = harvest([site.url + "/sitemap_index.xml"], via_map, policy=FAST)
        assert r.counts()["new"] == 10 and not r.failed
        lines = read_lines(via_map)
        titles = {site.url + p: " ".join(i.title.split()) for p, i in site.pages.items()}
        assert {line["link"]: line["title"] for line in lines} == titles
        assert all(line["content_html"] == site.page_bytes(line["link"][len(site.url):]).decode() for line in lines)
        n = len(site.requests)
        again = harvest([site.url + "/sitemap_index.xml"], via_map, policy=FAST)
        # lastmod (12:00) is older than the copies held: no page is asked for again
        assert again.counts()["unchanged"] == 10
        assert not [q for q in site.requests[n:] if q.path in site.pages]
        via_list = tmp_path / "list"
        r = harvest([site.url + "/news/"], via_list, policy=FAST)
        assert r.counts()["new"] == 10 and not r.failed
        assert {line["link"] for line in read_lines(via_list)} == set(titles)
        assert "/about/" not in [q.path for q in site.requests]


def _rss(items: list[dict], generator: str = "https://wordpress.org/?v=6.4") -> bytes:
    body = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in it.items()) + "</item>" for it in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><link>https://example.org</link>'
            f"<generator>{generator}</generator>{body}</channel></rss>").encode()


def _mock(routes: dict[str, bytes], log: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        log.append(url)
        if url in routes:
            return httpx.Response(200, content=routes[url], headers={"content-type": "text/html; charset=utf-8"})
        return httpx.Response(404)
    return httpx.MockTransport(handler)


def test_wordpress_feeds_page_back_until_since(tmp_path):
    def item(n: int, day: int) -> dict:
        return {"title": f"Item {n}", "link": f"https://example.org/item-{n}/", "dc:creator": "Office",
                "pubDate": f"Mon, {day:02d} May 2022 10:00:00 +0000", "content:encoded": f"<![CDATA[<p>Body {n}</p>]]>"}

    feed = "https://example.org/feed/"
    routes = {feed: _rss([item(1, 20), item(2, 19)]), feed + "?paged=2": _rss([item(3, 12), item(4, 11)]),
              feed + "?paged=3": _rss([item(5, 2), item(6, 1)])}
    routes.update({f"https://example.org/item-{n}/": b"<html><body><p>page</p></body></html>" for n in range(1, 7)})
    log: list[str] = []
    import datetime as dt

    r = harvest([feed], tmp_path / "a", policy=FAST, transport=_mock(routes, log),
                options=HarvestOptions(since=dt.date(2022, 5, 10)))
    assert sorted(line["title"] for line in read_lines(tmp_path / "a")) == ["Item 1", "Item 2", "Item 3", "Item 4"]
    assert feed + "?paged=3" in log and feed + "?paged=4" not in log  # page 3 is older than --since: the walk ends
    assert r.counts()["new"] == 4
    log.clear()
    r = harvest([feed], tmp_path / "b", policy=FAST, transport=_mock(routes, log), options=HarvestOptions(max_items=3))
    assert len(read_lines(tmp_path / "b")) == 3 and feed + "?paged=3" not in log


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({}, optional={
    "title": st.sampled_from(["", "A &amp; B", "<![CDATA[x]]>", "Remarks"]),
    "link": st.sampled_from(["https://example.org/a/", "/relative/", "", "mailto:x@y", "https://example.org/b/"]),
    "dc:creator": st.sampled_from(["", "Office", "<![CDATA[]]>"]),
    "pubDate": st.sampled_from(["", "not a date", "Mon, 02 May 2022 10:00:00 +0000", "2022-05-02"]),
    "content:encoded": st.sampled_from(["", "<![CDATA[<p>QUESTION: Hi.</p>]]>", "<![CDATA[   ]]>"]),
    "description": st.sampled_from(["summary", ""]),
}), max_size=5))
def test_a_harvest_never_writes_a_line_that_is_not_a_feed_line(tmp_path_factory, items):
    out = tmp_path_factory.mktemp("prop") / "h"
    feed = "https://example.org/feed/"
    routes = {feed: _rss(items, generator="x"), "https://example.org/a/": b"<html><body><p>A</p></body></html>",
              "https://example.org/relative/": b""}
    harvest([feed], out, policy=FAST, transport=_mock(routes, []))
    if (out / "items.jsonl").exists():
        for raw in (out / "items.jsonl").read_bytes().splitlines():
            line = json.loads(raw)
            assert sorted(line) == sorted(FIELDS) and all(isinstance(line[k], str) for k in FIELDS)
            assert line["link"].startswith("https://") and line["content_html"].strip()


def test_rate_limit_spaces_requests_per_host():
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        return httpx.Response(200, content=b"x")

    with Fetcher(FetchPolicy(rate=5), transport=httpx.MockTransport(handler)) as f:
        f.robots_source = lambda origin: None
        for _ in range(4):
            f.get("https://example.org/x")
        f.get("https://other.example/x")
    gaps = [b - a for a, b in zip(times, times[1:4])]
    assert all(g >= 0.19 for g in gaps), gaps
    assert times[4] - times[3] < 0.15  # another host is not held back


def test_presets_and_targets():
    targets = resolve_targets(["statedept"])
    assert targets and all(t.url.startswith("https://www.state.gov/") for t in targets)
    assert all(t.publisher == "U.S. Department of State" for t in targets)
    assert not any(t.sitemap for t in targets)
    assert any(t.sitemap for t in resolve_targets(["whitehouse"], sitemaps=True))
    with pytest.raises(PresetError):
        resolve_targets(["no-such-publisher"])
    r = subprocess.run([*CLI, "harvest", "nonsense", "--out", "x"], capture_output=True, text=True)
    assert r.returncode == 2 and "statedept" in r.stderr


def test_robots_rules_on_server_errors_and_missing_files():
    def serve(status: int) -> httpx.MockTransport:
        return httpx.MockTransport(lambda req: httpx.Response(status if req.url.path == "/robots.txt" else 200))

    with Fetcher(FAST, transport=serve(404)) as f:
        assert f.allowed("https://example.org/page")  # no robots.txt: no rules
    with Fetcher(FAST, transport=serve(503)) as f:
        assert not f.allowed("https://example.org/page")  # unreachable: assume complete disallow


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(12)))
def test_items_file_is_sorted_by_date_then_link_whatever_the_order_of_saving(tmp_path_factory, feed_items_path, order):
    import email.utils

    from diplomatic_transcripts.harvest.store import HarvestStore

    corpus = [json.loads(raw) for raw in feed_items_path.read_bytes().splitlines()[::160][:12]]  # months apart
    assert len({email.utils.parsedate_to_datetime(i["pub_date"]).date() for i in corpus}) > 6
    out = tmp_path_factory.mktemp("order") / "h"
    with HarvestStore.open(out) as store:
        for n in order:
            assert store.save_item(corpus[n], origin="https://example.org/feed/", origin_sha256=None) == "new"
        assert store.save_item(corpus[order[0]], origin="https://example.org/feed/", origin_sha256=None) == "unchanged"
        store.checkpoint(force=True)
    # the corpus's own layout (one JSON object a line, keys sorted, UTF-8 as is), oldest first, ties by link
    expected = sorted(corpus, key=lambda i: (email.utils.parsedate_to_datetime(i["pub_date"]).date(), i["link"]))
    assert (out / "items.jsonl").read_bytes() == b"".join(
        json.dumps(i, ensure_ascii=False, sort_keys=True).encode() + b"\n" for i in expected)


def test_a_file_in_the_way_of_a_response_is_reported_and_left_alone(tmp_path):
    from diplomatic_transcripts.harvest.store import HarvestStore

    url, body = "https://example.org/a/", b"<html><body><p>A</p></body></html>"
    with HarvestStore.open(tmp_path / "h") as store:
        held, new = store.save_response(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                                        body=body, kind="page", publisher=None)
        assert new and held.body_path.read_bytes() == body
    host, key = url_key(url)
    folder = tmp_path / "h" / "raw" / host / key
    assert sorted(p.name for p in folder.iterdir()) == sorted([held.body_path.name, held.meta_path.name])
    # a user's file under the name the next version of the page would take
    changed = body.replace(b"A", b"B")
    planted = folder / f"{hashlib.sha256(changed).hexdigest()[:20]}.html"
    planted.write_bytes(b"mine")
    with HarvestStore.open(tmp_path / "h") as store, pytest.raises(StoreError, match="in the way"):
        store.save_response(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                            body=changed, kind="page", publisher=None)
    assert planted.read_bytes() == b"mine" and not [p for p in folder.iterdir() if ".tmp-" in p.name]
