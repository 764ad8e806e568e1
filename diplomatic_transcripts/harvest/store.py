"""The harvest folder: what a harvest keeps, laid out so `build DIR` reads each item once.

```
DIR/
  harvest.json      the marker: this folder is a harvest folder (written once, then only read)
  items.jsonl       one feed-export line per item, its newest version: what `build DIR` reads
  raw/HOST/URL-KEY/<sha>.<ext>        every response body as served, never edited
  raw/HOST/URL-KEY/<sha>.meta.json    its sidecar: url, final_url, retrieved_at, status,
                                      etag, last_modified, content_type, sha256, bytes,
                                      publisher, kind (robots | feed | sitemap | listing | page)
  feed-items/HOST/URL-KEY/<sha>.json  every version of every item's line, with its feed
```

`build` reads the top level of a folder only, so it sees `items.jsonl` and nothing under
`raw/` or `feed-items/`; the sidecars are JSON, never a `<stem>.toml`, which `build` would
read as a source's sidecar.  Files are named by the sha256 of their content, so a page that
changed is a new file beside the old one, a page seen again is no new file at all, and a
harvest killed and restarted cannot make duplicates.  Every file is written to a temporary
name and renamed into place; a sidecar is written after its body, so a body without a
sidecar is never mistaken for a held response.

The folder is the user's: the store creates only the names above, refuses a folder where
one of them exists but the marker does not, never writes over a file it did not make
(a content-addressed name whose bytes do not match is reported, not replaced), and removes
only its own temporary files.  A lock on the marker keeps two harvests out of one folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..version import __version__
from ..ids import slugify
from .lines import encode_line, is_feed_line, line_date

MARKER = "harvest.json"
ITEMS = "items.jsonl"
RAW = "raw"
VERSIONS = "feed-items"
OWN_NAMES = (MARKER, ITEMS, RAW, VERSIONS)
FORMAT = 1
_TMP = re.compile(r"^\..+\.tmp-\d+$")
_EXT = (("html", "html"), ("rss", "xml"), ("atom", "xml"), ("xml", "xml"), ("json", "json"),
        ("gzip", "gz"), ("text/plain", "txt"))


class StoreError(Exception):
    """The folder cannot be used as a harvest folder, or a file is in the way; says why."""


@dataclass
class Held:
    """The newest stored response of a URL."""

    url: str
    sha256: str
    etag: str | None
    last_modified: str | None
    retrieved_at: str
    body_path: Path
    meta_path: Path
    content_type: str | None = None


def url_key(url: str) -> tuple[str, str]:
    """(host folder, URL folder) for a URL: readable, short, and unique by a hash of the URL."""
    parts = urlsplit(url)
    host = re.sub(r"[^A-Za-z0-9.-]", "_", parts.netloc.lower()) or "_"
    slug = slugify(parts.path + ("-" + parts.query if parts.query else ""))[:60].strip("-") or "root"
    return host, f"{slug}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:10]}"


def extension(content_type: str | None) -> str:
    ct = (content_type or "").lower()
    for needle, ext in _EXT:
        if needle in ct:
            return ext
    return "bin"


def utc_now() -> str:
    """UTC to the microsecond: sidecars of one URL order by it, so it must not tie."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write to a temporary name beside `path`, then rename: never a half-written file.
    (os calls rather than open(): a harvest writes three files an item.)"""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _new_folder(folder: str) -> bool:
    """Make `folder` (and its parents); True when it did not exist, so nothing is in it."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        return False
    except FileNotFoundError:
        os.makedirs(os.path.dirname(folder), exist_ok=True)
        return _new_folder(folder)
    return True


class HarvestStore:
    """A harvest folder opened for writing (use as a context manager)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.raw = root / RAW
        self.versions = root / VERSIONS
        self.items_path = root / ITEMS
        self._lock_fd: int | None = None
        self._held: dict[str, Held] = {}
        # link -> (the date it sorts by, its items.jsonl line): encoded once, when saved or read
        self.items: dict[str, tuple[str, bytes]] = {}
        self._written_items: bytes = b""
        self._dirty = False
        self._last_checkpoint = time.monotonic()
        self._checkpoint_cost = 0.0

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path) -> HarvestStore:
        store = cls(Path(root))
        store._claim()
        try:
            store._clean_temporaries()
            store._load()
        except BaseException:
            store.close()
            raise
        return store

    def _claim(self) -> None:
        root = self.root
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} is a file, not a folder")
        marker = root / MARKER
        if not marker.exists():
            clash = [n for n in OWN_NAMES if (root / n).exists()]
            if clash:
                raise StoreError(f"{root} holds {', '.join(clash)} but no {MARKER}: it was not made by "
                                 "`diplomatic-transcripts harvest`, and harvest will not write over it; "
                                 "choose another --out")
            root.mkdir(parents=True, exist_ok=True)
            write_atomic(marker, (json.dumps({
                "$comment": "A harvest folder, written by `diplomatic-transcripts harvest`; "
                            "`diplomatic-transcripts build` reads its items.jsonl. raw/ holds every "
                            "response as served, with a .meta.json sidecar; feed-items/ every "
                            "version of every item.",
                "format": FORMAT,
                "created_by": f"diplomatic-transcripts {__version__}",
                "created": utc_now(),
            }, indent=2) + "\n").encode("utf-8"))
        else:
            try:
                data = json.loads(marker.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise StoreError(f"{marker} is not a harvest marker of format {FORMAT}; harvest will not "
                                 "write into this folder")
        fd = os.open(marker, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(f"another harvest is writing into {root}") from None
        self._lock_fd = fd

    def _clean_temporaries(self) -> None:
        """Temporary files a killed harvest left: only our own names, only in our places."""
        for name in (ITEMS,):
            for p in self.root.glob(f".{name}.tmp-*"):
                if _TMP.match(p.name) and p.is_file():
                    p.unlink()
        for top in (self.raw, self.versions):
            if top.is_dir():
                for dirpath, _, files in os.walk(top):
                    for f in files:
                        if _TMP.match(f):
                            Path(dirpath, f).unlink()

    def _load(self) -> None:
        if self.raw.is_dir():
            for meta_path in self.raw.glob("*/*/*.meta.json"):
                try:
                    meta = json.loads(meta_path.read_text(encoding="utf-8"))
                    held = Held(meta["url"], meta["sha256"], meta.get("etag"), meta.get("last_modified"),
                                meta["retrieved_at"], meta_path.with_name(meta["file"]), meta_path,
                                meta.get("content_type"))
                except (OSError, ValueError, KeyError, TypeError):
                    continue  # not a sidecar of ours; leave it alone
                if not held.body_path.is_file():
                    continue
                old = self._held.get(held.url)
                if old is None or held.retrieved_at > old.retrieved_at:
                    self._held[held.url] = held
        if self.items_path.is_file():
            data = self.items_path.read_bytes()
            for number, raw in enumerate(data.splitlines(), 1):
                try:
                    line = json.loads(raw)
                except ValueError:
                    line = None
                if not is_feed_line(line):
                    raise StoreError(f"{self.items_path}:{number}: not a feed-export line as harvest writes "
                                     "them; was the file edited? Move it away and harvest again")
                self.items[line["link"]] = (_date_key(line), encode_line(line))
            self._written_items = data

    def close(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> HarvestStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- responses ---------------------------------------------------------------------
    def held(self, url: str) -> Held | None:
        return self._held.get(url)

    def held_body(self, url: str) -> bytes | None:
        h = self._held.get(url)
        return h.body_path.read_bytes() if h else None

    def save_response(self, *, url: str, final_url: str, status: int, headers: dict[str, str], body: bytes,
                      kind: str, publisher: str | None) -> tuple[Held, bool]:
        """Keep a response's bytes untouched with its sidecar; (held, True when it is a new
        version).  The same bytes again write nothing."""
        sha = hashlib.sha256(body).hexdigest()
        old = self._held.get(url)
        if old is not None and old.sha256 == sha:
            return old, False
        host, key = url_key(url)
        folder = os.path.join(self.raw, host, key)
        stem = sha[:20]
        content_type = headers.get("content-type")
        body_name = f"{stem}.{extension(content_type)}"
        body_path = os.path.join(folder, body_name)
        meta_path = os.path.join(folder, f"{stem}.meta.json")
        fresh = _new_folder(folder)  # a folder just made holds nothing to check
        if not fresh and os.path.exists(body_path):
            with open(body_path, "rb") as f:
                if hashlib.file_digest(f, "sha256").hexdigest() != sha:
                    raise StoreError(f"{body_path} is in the way and was not written by harvest; it is left as it is")
        else:
            write_atomic(body_path, body)
        retrieved_at, etag, last_modified = utc_now(), headers.get("etag"), headers.get("last-modified")
        meta = {
            "url": url, "final_url": final_url, "retrieved_at": retrieved_at, "status": status,
            "etag": etag, "last_modified": last_modified, "content_type": content_type, "sha256": sha, "bytes": len(body), "publisher": publisher,
            "kind": kind, "file": body_name,
        }
        if not fresh and os.path.exists(meta_path) and not _is_our_sidecar(Path(meta_path), sha):
            raise StoreError(f"{meta_path} is in the way and was not written by harvest; it is left as it is")
        # A version seen before (content that came back) gets its sidecar renewed: the body,
        # the record of what was served, is never rewritten.
        write_atomic(meta_path, (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        held = Held(url, sha, etag, last_modified, retrieved_at, Path(body_path), Path(meta_path), content_type)
        self._held[url] = held
        return held, True

    # -- items -------------------------------------------------------------------------
    def save_item(self, line: dict[str, str], *, origin: str, origin_sha256: str | None) -> str:
        """Record an item's line: 'new', 'changed' or 'unchanged'.  Every version is kept in
        feed-items/; items.jsonl holds the newest."""
        encoded = encode_line(line)
        old = self.items.get(line["link"])
        if old is not None and old[1] == encoded:
            return "unchanged"
        sha = hashlib.sha256(encoded).hexdigest()
        host, key = url_key(line["link"])
        folder = os.path.join(self.versions, host, key)
        path = os.path.join(folder, f"{sha[:20]}.json")
        if _new_folder(folder) or not os.path.exists(path):
            record = {"line": line, "origin": origin, "origin_sha256": origin_sha256, "recorded_at": utc_now()}
            write_atomic(path, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        self.items[line["link"]] = (_date_key(line), encoded)
        self._dirty = True
        return "new" if old is None else "changed"

    def items_bytes(self) -> bytes:
        """items.jsonl as it should be: oldest first by publication date, then by link, so
        the file is the same whatever order the items were met in."""
        return b"".join(encoded for _, (_, encoded) in sorted(self.items.items(), key=lambda kv: (kv[1][0], kv[0])))

    def checkpoint(self, *, force: bool = False) -> bool:
        """Write items.jsonl when it changed (at most every few seconds unless forced)."""
        if not self._dirty:
            return False
        now = time.monotonic()
        if not force and now - self._last_checkpoint < max(5.0, 10 * self._checkpoint_cost):
            return False
        data = self.items_bytes()
        if data != self._written_items:
            start = time.monotonic()
            write_atomic(self.items_path, data)
            self._checkpoint_cost = time.monotonic() - start
            self._written_items = data
        self._dirty = False
        self._last_checkpoint = time.monotonic()
        return True


def _date_key(line: dict[str, str]) -> str:
    d = line_date(line)
    return d.isoformat() if d else "9999-99-99"


def _is_our_sidecar(path: Path, sha: str) -> bool:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("sha256") == sha
