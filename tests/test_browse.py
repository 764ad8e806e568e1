"""`diplomatic-transcripts browse`, in a real browser: the test serves the bundled package with
Datasette on 127.0.0.1 (a free port), and headless Chromium (Debian's /usr/bin/chromium)
loads the seed's transcript page and a search for a phrase of it; the test reads what the
pages show from the DOM Chromium renders and keeps a screenshot in tests/artifacts/.

Chromium is not a Python package: where it is missing the browser tests skip with the
reason, and fail under DT_REQUIRE_TOOLS=1 (CI, whose .ci/run installs it)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from diplomatic_transcripts.browse_plugin import paragraphs
from tests.conftest import ROOT, need_tool

CLI = [sys.executable, "-m", "diplomatic_transcripts"]
BUNDLED = ROOT / "datasets" / "diplomatic-transcripts"
ARTIFACTS = ROOT / "tests" / "artifacts"
SEED_ID = "2021-10-08-blinken-milenio-tv"
SEED_TITLE = "Secretary Antony J. Blinken With Alejandro Dominguez of Milenio TV"
# From the seed's text: 30 labelled turns; the ninth (turn 8) is a QUESTION about “hugs, not bullets”;
# turn 18, a QUESTION, ends with the marker (Inaudible.).
SEED_TURNS, PHRASE, PHRASE_TURN, MARKER_TURN = 30, "hugs, not bullets", 8, 18
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`browse --path` of the bundled package, served until the module's tests are done."""
    need_tool(chromium() is not None, "Debian's chromium is not installed (apt-get install chromium)")
    work = tmp_path_factory.mktemp("browse")
    port = free_port()
    log = (work / "browse.log").open("w")
    env = {**os.environ, "DIPLOMATIC_TRANSCRIPTS_CACHE": str(work / "cache")}
    proc = subprocess.Popen([*CLI, "browse", "--path", str(BUNDLED), "--port", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("browse did not start: " + (work / "browse.log").read_text()[-3000:])
            time.sleep(0.2)
        yield base, work
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def render(url: str, work: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = work / f"profile-{time.monotonic_ns()}"  # a fresh profile for each run
    try:
        return subprocess.run([str(chromium()), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                              capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page(url: str, work: Path):
    r = render(url, work, "--dump-dom")
    assert r.returncode == 0 and "<html" in r.stdout, r.stderr[-2000:]
    return lxml.html.fromstring(r.stdout)


def by_class(element, name: str, tag: str = "*") -> list:
    """Elements below `element` whose class list holds `name` (XPath: lxml needs no cssselect)."""
    return element.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def test_the_seed_reads_as_a_conversation(site):
    base, work = site
    url = f"{base}/diplomatic-transcripts/conversation?transcript_id={SEED_ID}"
    doc = page(url, work)
    assert text_of(by_class(doc, "dt-title", "h1")[0]) == SEED_TITLE
    facts = text_of(by_class(doc, "dt-facts")[0])
    assert "2021-10-08" in facts and "interview" in facts and "Mexico City" in facts
    turns = by_class(doc, "dt-turn", "article")
    assert [t.get("id") for t in turns] == [f"turn-{i}" for i in range(SEED_TURNS)]
    first, second = turns[0], turns[1]
    assert text_of(by_class(first, "dt-speaker")[0]) == "QUESTION"
    assert "journalist" in text_of(by_class(first, "dt-role")[0])
    assert text_of(by_class(second, "dt-speaker")[0]) == "SECRETARY BLINKEN"
    assert "Secretary of State" in text_of(by_class(second, "dt-role")[0])
    assert text_of(by_class(second, "dt-turn-number")[0]) == "turn 1"
    assert "Good to be with you." in text_of(second)
    # the marker is set apart from the words, in the turn the text puts it in
    marked = by_class(doc.get_element_by_id(f"turn-{MARKER_TURN}"), "dt-marker")
    assert [text_of(m) for m in marked] == ["(Inaudible.)"] and "dt-marker-inaudible" in marked[0].get("class")
    assert "(Inaudible.)" not in "".join(p.text or "" for p in doc.get_element_by_id(f"turn-{MARKER_TURN}").xpath(".//p"))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "browse-conversation.png"
    shot.unlink(missing_ok=True)
    r = render(url, work, f"--screenshot={shot}", "--window-size=1200,1600")
    assert r.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", r.stderr[-2000:]


def test_a_search_finds_the_turn_that_says_it(site):
    base, work = site
    doc = page(f"{base}/diplomatic-transcripts/turn_search", work)
    form = doc.xpath("//form[.//input[@name='_search']]")
    assert form, "the search page has a search box"
    url = f"{base}/diplomatic-transcripts/turn_search?_search={quote(chr(34) + PHRASE + chr(34))}"
    doc = page(url, work)
    rows = by_class(doc, "rows-and-columns", "table")[0].xpath("./tbody/tr")
    assert len(rows) == 1
    cells = {td.get("class").split()[0].removeprefix("col-"): td for td in rows[0].xpath("./td")}
    assert text_of(cells["transcript_id"]) == f"{SEED_ID} · turn {PHRASE_TURN}"
    assert f"“{PHRASE}”" in text_of(cells["text"])
    assert text_of(cells["speaker_kind"]) == "journalist"
    link = cells["transcript_id"].xpath(".//a")[0].get("href")
    assert link.endswith(f"/conversation?transcript_id={SEED_ID}#turn-{PHRASE_TURN}")
    facets = " ".join(text_of(f) for f in by_class(doc, "facet-results"))
    assert "speaker_kind" in facets and "year" in facets and "publisher" in facets


def test_the_transcript_list_has_the_facets(site):
    base, work = site
    doc = page(f"{base}/diplomatic-transcripts/transcript_list", work)
    facets = " ".join(text_of(f) for f in by_class(doc, "facet-results"))
    for facet, value in (("publisher", "U.S. Department of State"), ("event_type", "interview"), ("year", "2021")):
        assert facet in facets and value in facets
    link = by_class(doc, "dt-conversation-link", "a")[0]
    assert text_of(link) == SEED_ID and link.get("href").endswith(f"conversation?transcript_id={SEED_ID}")


def test_readme_browse_example(site):
    """The README's browse command is the one served here, and its search link shows the seed's turn."""
    from tests.test_readme import fenced

    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Use it for research", 1)[1].split("\n## ")[0]
    commands = [c.strip() for c in fenced("sh", "## Use it for research") if " browse " in c]
    assert commands == ["diplomatic-transcripts browse --path datasets/diplomatic-transcripts"]
    match = re.search(r"<http://localhost:8001(/diplomatic-transcripts/turn_search\?[^>]+)>", section)
    assert match, "the README links a search"
    base, work = site
    doc = page(base + match.group(1), work)
    rows = by_class(doc, "rows-and-columns", "table")[0].xpath("./tbody/tr")
    assert [text_of(r.xpath("./td[contains(@class, 'col-transcript_id')]")[0]) for r in rows] == \
        [f"{SEED_ID} · turn {PHRASE_TURN}"]


def test_browse_refuses_both_a_version_and_a_path():
    r = subprocess.run([*CLI, "browse", "--version", "1.0.0", "--path", str(BUNDLED)], capture_output=True, text=True)
    assert r.returncode == 2 and "not both" in r.stderr


PARAGRAPH = st.text(alphabet="ab ()\n", min_size=1).filter(
    lambda p: "\n\n" not in p and not p.startswith("\n") and not p.endswith("\n"))


@given(st.lists(PARAGRAPH, min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6)), max_size=4))
def test_paragraphs_give_back_the_text(paras, spans):
    """A turn's text is paragraphs joined by one blank line; cut into paragraphs and markers, it reads the same."""
    text = "\n\n".join(paras)
    markers = [{"start": s, "end": s + n, "kind": "inaudible"} for s, n in spans]
    out = paragraphs(text, markers)
    assert "\n\n".join("".join(seg["text"] for seg in p) for p in out) == text
    inside = [(m["start"], m["end"]) for m in markers if m["end"] <= len(text)]
    for p in out:
        for seg in p:
            assert seg["text"]
            if seg["marker"]:
                assert any(text[a:b] == seg["text"] for a, b in inside)
