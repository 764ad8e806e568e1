"""What a fetched page says of itself, for an item no feed described (found in a sitemap or
a listing): its title and publication date, from the metadata publishers put in the head
(Open Graph, `article:published_time`), else `<title>` / the first `<h1>`.  The body is not
touched: the whole page becomes the item's `content_html`, and the parser finds the
content in it as it does for any saved page."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class PageFacts:
    title: str
    published: str  # ISO 8601 as printed, or ""


def page_facts(html: str) -> PageFacts:
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return PageFacts("", "")
    heads = (doc.xpath('//meta[@property="og:title"]/@content') or doc.xpath("//head/title/text()")
             or [h.text_content() for h in doc.xpath("//h1")[:1]])
    title = re.sub(r"\s+", " ", heads[0]).strip() if heads else ""
    published = (doc.xpath('//meta[@property="article:published_time"]/@content')
                 or doc.xpath("//time/@datetime"))
    return PageFacts(title, published[0].strip() if published else "")


def decode_page(body: bytes, content_type: str | None) -> str:
    """The page as text: the charset the server named, else UTF-8, else cp1252."""
    m = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    for encoding in ([m.group(1)] if m else []) + ["utf-8"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")
