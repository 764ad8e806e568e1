"""Harvest throughput against a loopback site, next to a bare httpx loop over the same URLs.

    python benchmarks/bench_harvest.py [--items 300] [--rounds 5] [--dir DIR]

A threaded http.server on 127.0.0.1 serves one RSS feed of N real items (from
`../shared/corpus/statedept-rss/items.jsonl`, bodies as `content:encoded`) and a page at
each item's link.  Each round harvests into an empty folder with the rate limit off
(`--rate 0`): robots.txt, the feed, N pages, every response stored with its sidecar, the
feed-export lines written.  The baseline, in the same run and process, against the same
server: one httpx.Client GETting the same N+2 URLs one after another and reading their
bodies, nothing more.  The server logs the paths each side asked for, and the run stops if
they differ.  Rounds alternate (bare, harvest, floor, bare, ...); best of rounds for each;
the goal is the harvester within 2x of the bare loop.

The floor is what any harvest of this site into this layout costs at least: the bare loop,
one feedparser parse of the feed, and the files and folders the first harvest round made,
written again with plain os calls (temporary name, then rename), nothing else.  Server and
client share one process and one GIL, so the parse and the writes add to the loop's time
rather than overlapping it (threads were measured: no gain).

The folders of all rounds are removed at the end, not between rounds: ext4 does not reuse
an inode for a minute or more after it was freed, and scans past every such inode on each
create, so deleting a round's ~1,500 files and folders makes the next round's creates
several times slower (about 1 s instead of 0.05 s here), which would charge one round's
cleanup to the next round's harvest.  For the same reason a temporary folder where other
programs create and delete many files (a busy /tmp) slows the harvest and the floor down;
--dir puts the rounds elsewhere, and the run prints where they went.
"""

from __future__ import annotations

import argparse
import html
import http.server
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "statedept-rss" / "items.jsonl"


def site(items: list[dict], log: list[str] | None = None) -> tuple[http.server.ThreadingHTTPServer, str, list[str]]:
    pages: dict[str, bytes] = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    entries = []
    for n, it in enumerate(items):
        path = f"/item-{n}/"
        title = html.escape(it["title"])
        body = it["content_html"].replace("]]>", "]]]]><![CDATA[>")
        pages[path] = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
                       f'<div class="entry-content">{it["content_html"]}</div></body></html>').encode()
        entries.append(f"<item><title>{title}</title><link>{base}{path}</link><dc:creator>{html.escape(it['creator'])}"
                       f"</dc:creator><pubDate>{it['pub_date']}</pubDate><content:encoded><![CDATA[{body}]]>"
                       "</content:encoded></item>")
    pages["/feed/"] = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                       'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                       'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>bench</title>'
                       f'<link>{base}</link>{"".join(entries)}</channel></rss>').encode()
    pages["/robots.txt"] = b"User-agent: *\nDisallow: /private/\n"

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real site and httpx's pool use

        def log_message(self, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()  # headers and body go out as separate writes: no Nagle delay between them
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            if log is not None:
                log.append(self.path)
            body = pages.get(self.path.partition("?")[0])
            self.send_response(200 if body is not None else 404)
            body = body if body is not None else b"not found"
            self.send_header("Content-Type", "application/rss+xml" if self.path == "/feed/" else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd.RequestHandlerClass = Handler
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    urls = [f"{base}/robots.txt", f"{base}/feed/"] + [f"{base}/item-{n}/" for n in range(len(items))]
    return httpd, base, urls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=None, help="where the rounds' folders go (default: the temp folder)")
    a = ap.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"the development corpus is not at {CORPUS}")
    import httpx

    from diplomatic_transcripts.harvest import FetchPolicy, harvest

    items = [json.loads(line) for _, line in zip(range(a.items), CORPUS.open("rb"))]
    log: list[str] = []
    httpd, base, urls = site(items, log)
    work = Path(tempfile.mkdtemp(prefix="dt-bench-harvest-", dir=a.dir))
    bare, ours, least = [], [], []
    made: tuple[list[str], list[tuple[str, bytes]]] = ([], [])  # the first round's folders and files
    try:
        for r in range(a.rounds):
            log.clear()
            start = time.perf_counter()
            with httpx.Client() as client:
                n_bytes = sum(len(client.get(u).content) for u in urls)
            bare.append(time.perf_counter() - start)
            asked_bare = sorted(log)
            log.clear()
            start = time.perf_counter()
            report = harvest([f"{base}/feed/"], work / f"round-{r}", policy=FetchPolicy(rate=0))
            ours.append(time.perf_counter() - start)
            assert report.counts()["new"] == len(items) and not report.failed, report.counts()
            assert sorted(log) == asked_bare, "the harvest and the bare loop asked for different paths"
            if not made[0]:
                made = tree(work / f"round-{r}")
            start = time.perf_counter()
            floor(urls, work / f"floor-{r}", made)
            least.append(time.perf_counter() - start)
    finally:
        httpd.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    pages = len(items)
    b, o, f = min(bare), min(ours), min(least)
    print(f"{pages} pages + robots.txt + feed ({n_bytes / 1e6:.1f} MB) on 127.0.0.1, best of {a.rounds} rounds; "
          f"folders in {work.parent}")
    print(f"bare httpx loop:  {b:.3f} s  {pages / b:8.1f} pages/s")
    print(f"harvest --rate 0: {o:.3f} s  {pages / o:8.1f} pages/s  (stores bodies + sidecars, writes items.jsonl)")
    print(f"floor:            {f:.3f} s  {pages / f:8.1f} pages/s  (bare loop + feedparser + the same "
          f"{len(made[1])} files in {len(made[0])} folders, plain writes)")
    print(f"harvest / bare: {o / b:.2f}x time (target: within 2x; the floor is {f / b:.2f}x)")


def tree(root: Path) -> tuple[list[str], list[tuple[str, bytes]]]:
    """The folders and files a harvest made, relative to its folder."""
    folders, files = [], []
    for dirpath, _, names in sorted(os.walk(root)):
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            folders.append(rel)
        files += [(os.path.join(rel, n), Path(dirpath, n).read_bytes()) for n in sorted(names)]
    return folders, files


def floor(urls: list[str], out: Path, made: tuple[list[str], list[tuple[str, bytes]]]) -> None:
    """The bare loop, one parse of the feed, and the harvest's files written plainly."""
    import feedparser
    import httpx

    with httpx.Client() as client:
        bodies = [client.get(u).content for u in urls]
    feedparser.parse(bodies[1], sanitize_html=False, resolve_relative_uris=False)
    os.mkdir(out)
    for rel in made[0]:
        os.mkdir(out / rel)
    for rel, data in made[1]:
        path = str(out / rel)
        fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        os.write(fd, data)
        os.close(fd)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
