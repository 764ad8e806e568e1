"""HTML pages and feed items to the text the plain-text parser reads.

The HTML is parsed with lxml (libxml2's HTML parser: fast, tolerant of the broken markup
real pages carry, and a dependency we already trust), then flattened the way a reader
copying the page sees it: one blank line between blocks, a line break for `<br>`, entities
decoded, NBSP kept.  That text is the source the offsets refer to; it is a deterministic
function of the HTML.  Paragraphs that open with `<strong>`/`<b>` ending in a colon are
passed on as label hints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from ..findings import make_finding
from ..ids import id_from_url, slugify
from ..records import Finding
from ..dates import feed_date
from ..records import ParseResult
from .text import FeedFacts, parse_text

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "section", "table",
              "tr", "hr", "article", "main", "header", "footer", "figure", "figcaption", "pre", "dl", "dt", "dd",
              "td", "th", "aside", "nav", "address"}
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "iframe", "svg", "button", "form"}
_WS_FLOW = re.compile(r"[\r\n\t]+")
_LABEL_END = re.compile(r":[\s\u00a0]*$")
_CONTENT_SELECTORS = ("entry-content", "post-content", "article-content", "page-content")


@dataclass
class Extracted:
    text: str
    label_hints: set[int] = field(default_factory=set)
    title: str | None = None
    date: dt.date | None = None
    limit: str | None = None  # a limit of the HTML parser the document ran into (nesting depth ...)


class _Flattener:
    """Walks an lxml tree and writes the reader's text, remembering label markup."""

    def __init__(self) -> None:
        self.lines: list[str] = [""]
        self.hint_lines: set[int] = set()

    def text(self, s: str | None) -> None:
        if s:
            self.lines[-1] += _WS_FLOW.sub(" ", s)

    def line_break(self) -> None:
        self.lines.append("")

    def block_break(self) -> None:
        if self.lines[-1].strip(" "):
            self.lines.append("")
            self.lines.append("")
        elif len(self.lines) >= 2 and self.lines[-2].strip(" "):
            self.lines.append("")

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in SKIP_TAGS or not tag:  # comments and processing instructions have no str tag
            if tag not in SKIP_TAGS:
                self.text(None)
            self.text(el.tail)
            return
        if tag == "br":
            self.line_break()
            self.text(el.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            self.block_break()
        if tag in ("strong", "b") and not self.lines[-1].strip(" \u00a0"):
            content = "".join(el.itertext())
            if _LABEL_END.search(content) or (el.tail or "").lstrip(" \u00a0").startswith(":"):
                self.hint_lines.add(len(self.lines) - 1)
        self.text(el.text)
        for child in el:
            self.walk(child)
        if block:
            self.block_break()
        self.text(el.tail)

    def result(self) -> tuple[str, set[int]]:
        """The text (lines trimmed of spaces, one blank line between blocks) and the offsets
        of hinted lines in it."""
        out: list[str] = []
        offsets: set[int] = set()
        pos = 0
        blank = False
        for i, raw in enumerate(self.lines):
            line = raw.strip(" ")
            if not line.strip():
                blank = bool(out)
                continue
            if blank:
                out.append("")
                pos += 1
                blank = False
            if i in self.hint_lines:
                offsets.add(pos)
            out.append(line)
            pos += len(line) + 1
        return ("\n".join(out) + "\n") if out else "", offsets


def _paragraph_text(el) -> int:
    """How much paragraph text an element holds in its own <p> children (and <br>-split text
    of its own), the measure a reader's eye goes by."""
    return sum(len(p.text_content()) for p in el.iterchildren("p"))


def _content_root(doc):
    """The page body: the publisher's content container when the HTML is a whole page.

    A container the common publishing systems name (`entry-content`, `page-content` ...) is
    taken as it is; otherwise, in a whole page (one with a <head>), the element whose own
    paragraphs hold most of the page's paragraph text, so menus, share buttons and footers
    around it stay out of the transcript; a fragment (a feed item's body) is read whole."""
    for cls in _CONTENT_SELECTORS:
        found = doc.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]')
        if found:
            return found[0]
    bodies = doc.xpath("//body")
    if bodies and doc.xpath("//head/*"):
        total = sum(len(p.text_content()) for p in bodies[0].iter("p"))
        best = max(bodies[0].iter("article", "main", "section", "div"), key=_paragraph_text, default=None)
        if best is not None and total and _paragraph_text(best) * 10 >= total * 7:
            return best
    for tag in ("article", "main", "body"):
        found = doc.xpath(f"//{tag}")
        if found:
            return found[0]
    return doc


_TITLE_SEPARATOR = re.compile(r"\s+[-–—|:·•]\s+")


def page_title(doc) -> str | None:
    """The page's title from its metadata (og:title, <title>, the first <h1>), without the
    site's name that <title> appends (`<headline> - <site>`, `<headline> | <site>`), as the
    page's own og:site_name or application-name says it, or as its <h1> shows."""
    heads = (doc.xpath('//meta[@property="og:title"]/@content') or doc.xpath("//head/title/text()")
             or [h.text_content() for h in doc.xpath("//h1")[:1]])
    if not heads:
        return None
    title = re.sub(r"\s+", " ", heads[0]).strip()
    sites = doc.xpath('//meta[@property="og:site_name"]/@content | //meta[@name="application-name"]/@content')
    for site in sites:
        site = re.sub(r"\s+", " ", site).strip()
        parts = _TITLE_SEPARATOR.split(title)
        if site and len(parts) > 1 and parts[-1].strip().lower() == site.lower():
            return title[:title.rindex(parts[-1])].rstrip(" -–—|:·•") or None
    h1 = [re.sub(r"\s+", " ", h.text_content()).strip() for h in doc.xpath("//h1")[:1]]
    if h1 and h1[0] and title != h1[0] and title.startswith(h1[0]) and _TITLE_SEPARATOR.match(title[len(h1[0]):]):
        return h1[0]
    return title or None


def extract_html(html: str) -> Extracted:
    """Text, label hints and (for whole pages) title and date of an HTML document."""
    import lxml.html

    if not html.strip():
        return Extracted("")
    parser = lxml.html.HTMLParser()
    try:
        doc = lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, lxml.etree.ParserError):
        fragment = lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
        doc = fragment
    limit = next((e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
    if limit is not None:
        return Extracted("", limit=limit)
    title = date = None
    title = page_title(doc)
    published = doc.xpath('//meta[@property="article:published_time"]/@content')
    if published:
        try:
            date = dt.date.fromisoformat(published[0][:10])
        except ValueError:
            date = None
    flat = _Flattener()
    root = _content_root(doc)
    flat.text(root.text)
    for child in root:
        flat.walk(child)
    text, hints = flat.result()
    return Extracted(text, hints, title, date)


def parse_html_bytes(data: bytes, *, path: str | None, source_id: str | None, sidecar=None) -> ParseResult:
    """A web page (or a feed item's body) as one record set."""
    sha = hashlib.sha256(data).hexdigest()
    findings: list[Finding] = list(sidecar.findings) if sidecar else []
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        html = data.decode("cp1252", errors="replace")
        findings.append(make_finding("DT102", "The HTML is not UTF-8; it was read as cp1252.", path=path))
    if "\x00" in html:
        return ParseResult(None, findings=findings + [make_finding("DT101", "The file holds NUL bytes: it is binary.",
                                                                   path=path)], path=path)
    ex = extract_html(html)
    if ex.limit:
        return ParseResult(None, findings=findings + [_too_deep(ex.limit, path, None)], path=path)
    if not ex.text.strip():
        return ParseResult(None, findings=findings + [make_finding("DT100", "The page has no text.", path=path)],
                           path=path)
    feed = FeedFacts(title=ex.title, date=ex.date)
    return parse_text(ex.text, source_id=source_id, sidecar=sidecar, path=path, sha256=sha, source_format="html",
                      feed=feed, findings=findings, label_hints=ex.label_hints)


def _too_deep(limit: str, path: str | None, line: int | None) -> Finding:
    return make_finding("DT109", f"The HTML cannot be read whole: it is nested too deeply for the HTML parser "
                        f"({limit.strip()}); flatten the page's markup.", path=path, line=line)


FEED_FIELDS = ("link", "title", "creator", "pub_date", "content_html")


def feed_item_problems(item: object, *, path: str | None, line: int | None) -> list[Finding]:
    """What makes a parsed feed line not a feed item: not an object, no `content_html`, a
    field that is not a string (null stands for a missing optional field), a string no
    UTF-8 can hold (a lone surrogate escape)."""
    if not isinstance(item, dict):
        return [make_finding("DT110", f"A feed line must be a JSON object with {', '.join(f'`{f}`' for f in FEED_FIELDS)}"
                             f"; this one is a JSON {type(item).__name__}.", path=path, line=line)]
    problems = []
    if "content_html" not in item or item["content_html"] is None:
        problems.append(make_finding("DT110", "The feed item has no `content_html` (the page body as HTML).",
                                     path=path, line=line, field="content_html"))
    for key in FEED_FIELDS:
        value = item.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            shown = json.dumps(value)[:40]
            problems.append(make_finding("DT110", f"`{key}` must be a string, not {shown}.", path=path, line=line,
                                         field=key))
        elif not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                problems.append(make_finding("DT110", f"`{key}` holds an escape (\\ud800-\\udfff) that is no "
                                             "character.", path=path, line=line, field=key))
    return problems


def parse_feed_item(item: dict, raw: bytes, *, path: str | None, line: int | None, source_id: str | None
                    ) -> ParseResult:
    link = item.get("link") if isinstance(item.get("link"), str) else None
    title = item.get("title") if isinstance(item.get("title"), str) else None
    creator = item.get("creator") if isinstance(item.get("creator"), str) else None
    raw_body = item.get("content_html")
    body: str = raw_body if isinstance(raw_body, str) else ""
    sid = source_id or (id_from_url(link) if link else None) or slugify(title or "") or "item"
    where = f"{path}:{line}" if path and line else path
    ex = extract_html(body)
    if ex.limit:
        return ParseResult(None, findings=[_too_deep(ex.limit, path, line)], path=where)
    if not ex.text.strip():
        return ParseResult(None, findings=[make_finding(
            "DT100", "The feed item has no body text (content_html is empty).", path=path, line=line)], path=where)
    feed = FeedFacts(title=title, date=feed_date(item.get("pub_date")), principal=creator, source_url=link)
    result = parse_text(ex.text, source_id=sid, path=where, sha256=hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest(),
                        source_format="feed", feed=feed, label_hints=ex.label_hints)
    return result


def parse_feed_line(raw: bytes, *, path: str | None, line: int, source_id: str | None) -> ParseResult:
    """One line of a feed export: a JSON object with link, title, creator, pub_date, content_html."""
    try:
        item = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        why = str(exc) if isinstance(exc, ValueError) else "nested too deeply"
        return ParseResult(None, findings=[make_finding(
            "DT110", f"Line {line} is not valid JSON: {why}.", path=path, line=line)], path=path)
    problems = feed_item_problems(item, path=path, line=line)
    if problems:
        return ParseResult(None, findings=problems, path=path)
    return parse_feed_item(item, raw, path=path, line=line, source_id=source_id)
