"""Markdown with YAML front matter (`.md`): the form many scrapers store pages in.

The front matter gives what the page says beside its body (`title`, `date`, `source_url`);
the body is rendered with markdown-it-py (CommonMark, the library rich already brings) and
flattened by the same code as an HTML page, so `**MS. PSAKI:**` gives a label hint, a hard
line break (two trailing spaces) a line break, and `\\[sic\\]` a bracket.  That flattened
text is the source the offsets refer to, a deterministic function of the file.  Lines of no-
break spaces alone, which some scrapers write between paragraphs, count as blank lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from ..findings import make_finding
from ..records import Finding, ParseResult
from ..sources.decode import decode_source
from .text import FeedFacts, parse_text
from .web import extract_html

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_BLANKISH_LINE = re.compile(r"^[ \t\u00a0]+$", re.M)


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str, str | None]:
    """(front matter, body, problem): the YAML mapping between `---` lines at the top, if any."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text, None
    import yaml

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        return None, text[m.end():], f"The front matter is not valid YAML: {str(exc).splitlines()[0]}."
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, text[m.end():], "The front matter must be a YAML mapping (`title: ...`)."
    return data, text[m.end():], None


def _string(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def markdown_to_html(body: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).render(_BLANKISH_LINE.sub("", body))


def parse_markdown_bytes(data: bytes, *, path: str | None, source_id: str | None, sidecar=None) -> ParseResult:
    """A Markdown page with front matter as one record set."""
    decoded = decode_source(data, path=path)
    findings: list[Finding] = list(decoded.findings) + (list(sidecar.findings) if sidecar else [])
    if not decoded.ok:
        return ParseResult(None, findings=findings, source_text=decoded.text, path=path)
    meta, body, problem = split_front_matter(decoded.text)
    if problem:
        findings.append(make_finding("DT120", problem, path=path, line=1, column=1))
    meta = meta or {}
    ex = extract_html(markdown_to_html(body))
    if not ex.text.strip():
        findings.append(make_finding("DT100", "The Markdown file has no body text.", path=path))
        return ParseResult(None, findings=findings, source_text=ex.text, path=path)
    feed = FeedFacts(title=_string(meta.get("title")), date=_date(meta.get("date")),
                     source_url=_string(meta.get("source_url") or meta.get("url")))
    return parse_text(ex.text, source_id=source_id, sidecar=sidecar, path=path,
                      sha256=hashlib.sha256(data).hexdigest(), source_format="markdown", feed=feed,
                      findings=findings, label_hints=ex.label_hints)
