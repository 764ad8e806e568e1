"""The feed-export line: the one form in which a harvested item reaches `build`.

A line is a JSON object with exactly `link`, `title`, `creator`, `pub_date` and
`content_html`, all strings (an unknown creator or date is the empty string, never null),
the form of `../shared/corpus/statedept-rss/items.jsonl` and of every feed export `build`
reads.  `feed_line` is the only way the harvester makes one, and it refuses anything else,
so a harvest can never write a line `build` would reject.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

from ..dates import feed_date

FIELDS = ("link", "title", "creator", "pub_date", "content_html")


class BadItem(ValueError):
    """An item that cannot become a feed-export line; the message says why."""


def feed_line(*, link: object, title: object, creator: object, pub_date: object, content_html: object) -> dict[str, str]:
    """A checked feed-export line, or BadItem."""
    values = {"link": link, "title": title, "creator": creator, "pub_date": pub_date, "content_html": content_html}
    for key in ("title", "creator", "pub_date"):
        value = values[key]
        if value is None:
            values[key] = ""
        elif not isinstance(value, str):
            raise BadItem(f"the item's {key} is not text ({type(value).__name__})")
    if not isinstance(link, str) or urlsplit(link).scheme not in ("http", "https") or not urlsplit(link).netloc:
        raise BadItem(f"the item has no http(s) link ({link!r})")
    if not isinstance(content_html, str) or not content_html.strip():
        raise BadItem("the item has no body (neither the feed nor the page gave any HTML)")
    return {k: values[k] for k in FIELDS}  # type: ignore[misc]


def is_feed_line(obj: object) -> bool:
    """True for exactly the objects `feed_line` makes."""
    return (isinstance(obj, dict) and tuple(sorted(obj)) == tuple(sorted(FIELDS))
            and all(isinstance(obj[k], str) for k in FIELDS))


def encode_line(line: dict[str, str]) -> bytes:
    """One line of JSON (keys sorted, UTF-8 as is), the corpus's own layout; no newline inside."""
    if not is_feed_line(line):
        raise BadItem("not a feed-export line")
    return json.dumps(line, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"


def line_date(line: dict[str, str]) -> dt.date | None:
    return feed_date(line.get("pub_date"))
