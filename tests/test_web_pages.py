"""Whole pages of a site the parser has never seen: the transcript is found among menus,
share buttons and footers by where the page's paragraphs are, and the title comes from the
page's metadata without the site's name."""

from __future__ import annotations

import html

from diplomatic_transcripts.parse.web import parse_html_bytes
from tests.conftest import SEED

CHROME = """<!doctype html><html><head><title>{title} | Ministry of Examples</title>
<meta property="og:title" content="{title} | Ministry of Examples">
<meta property="og:site_name" content="Ministry of Examples"></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<p>Skip to content</p></header>
<main><div class="layout"><div class="col-main">{body}</div>
<aside><p>Related: Another briefing</p><p>Share this page</p></aside></div></main>
<footer><p>Ministry of Examples, 1 Example Street</p><p>Sign up for our newsletter to get the latest news.</p>
</footer></body></html>"""


def test_a_transcript_among_a_page_of_menus_and_footers():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    title = lines[0]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:] if line.strip())
    page = CHROME.format(title=html.escape(title), body=body).encode("utf-8")
    r = parse_html_bytes(page, path="page.html", source_id="page")
    t = r.transcript
    assert t is not None and t.title == title  # the site's name is not part of it
    # the seed, read by hand: 30 turns, QUESTION and SECRETARY BLINKEN in turn but for two repeats
    assert len(r.turns) == 30 and r.turns[0].label == "QUESTION" and r.turns[-1].label == "SECRETARY BLINKEN"
    last = r.turns[-1].text
    assert last == "Thank you very much. Good to be with you."  # no newsletter, no address
    assert not any("Share this page" in x.text or "Skip to content" in x.text for x in r.turns)
