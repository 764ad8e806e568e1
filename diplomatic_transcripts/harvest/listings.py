"""A site's paginated news listing, where it offers neither feed nor sitemap: the item
links on a listing page and the link to the next page.

lxml (already a dependency) parses the HTML.  The next page is what the page itself says:
`<link rel="next">`, `<a rel="next">`, or an anchor classed `next` (WordPress's
`next page-numbers`).  Items are the first link of each `<article>`, else the links of
`<h2>`/`<h3>` headings, on the listing's own host; everything else (menus, footers) is
ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urldefrag


@dataclass
class ListingPage:
    items: list[str] = field(default_factory=list)
    next_url: str | None = None


def parse_listing(data: bytes, url: str) -> ListingPage:
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return ListingPage()
    host = urlsplit(url).netloc.lower()
    page = ListingPage()
    for expr in ('//link[contains(concat(" ", normalize-space(@rel), " "), " next ")]/@href',
                 '//a[contains(concat(" ", normalize-space(@rel), " "), " next ")]/@href',
                 '//a[contains(concat(" ", normalize-space(@class), " "), " next ")]/@href'):
        found = doc.xpath(expr)
        if found:
            page.next_url = urldefrag(urljoin(url, found[0].strip()))[0]
            break
    hrefs = [a[0] for a in (art.xpath(".//a/@href") for art in doc.xpath("//article")) if a]
    if not hrefs:
        hrefs = doc.xpath("//h2//a/@href | //h3//a/@href")
    seen = {url, page.next_url}
    for href in hrefs:
        link = urldefrag(urljoin(url, href.strip()))[0]
        if urlsplit(link).netloc.lower() == host and urlsplit(link).scheme in ("http", "https") and link not in seen:
            seen.add(link)
            page.items.append(link)
    return page
