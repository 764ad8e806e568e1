"""The parser: a source text (as a reader copying the page sees it) to records, in stages.

1. openings  (openings.py)  line starts with a label's shape: `NAME:` or `Q    `
2. labels    (labels.py)    which of them are speakers, from the document's own evidence
3. header    (header.py)    the lines before the first turn, read by what they say; the trailer
4. facts     (title.py)     title, principal and people, event type, date, publisher
5. genre     (genre.py)     transcript or not: words spoken, or a statement, notice, readout
6. turns     (turns.py)     each label opens a turn that runs to the next; markers inside
7. speakers  (speakers.py)  label variants merged, kinds, names from header, title, sidecar
8. exchanges (conversation.py)  who answers whom
9. records   (rows.py)      the rows as pydantic records, made without validating twice
Each stage reads the text and what earlier stages found; none depends on who published the
page.  Whole-text regular expressions do the scanning; offsets always refer to the untouched
text.  Problems are findings, never exceptions.  A document's openings, labels and turns
travel between stages as columns (one list per field), so per-item work runs in C-level
loops (`map`, `compress`) rather than in Python statements.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import add, attrgetter
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..dates import parse_date
from ..findings import make_finding
from ..ids import is_valid_id, person_key, slugify
from ..records import DateSource, EventType, Finding, HeaderLine, ParseResult, SourceFormat, Transcript
from ..sources.publishers import publisher_of_url
from .conversation import link_turns
from .genre import names_a_speech, reads_as_spoken
from .header import TRAILER_LINE, Header, is_prose, read_header, read_trailer
from .labels import Labels, choose_labels, role_of_generic
from . import rows
from .lines import GAP, LineCounter, analysis_text, last_line_spans, line_spans, normalize_space
from .openings import LabelMatch, find_openings
from .people import PersonLine, person_role
from .speakers import Context, resolve_speakers
from .title import event_type_of, interview_parts, people_in_title, principal_from_title
from .turns import build_turns

if TYPE_CHECKING:
    from ..sources.sidecar import Sidecar

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_SENTENCE_END = re.compile(r"[.?!…\"”’)\]—–-]$")
_HEADER_LINES_WITHOUT_LABELS = 12
_TRAILER_LINES = 3
_person_key = lru_cache(maxsize=8192)(person_key)  # names recur across transcripts
_END = attrgetter("end")
_LABEL = attrgetter("label")


@dataclass(slots=True)
class FeedFacts:
    """What a feed item, a page's metadata or a file's front matter tells beside the body."""

    title: str | None = None
    date: dt.date | None = None
    principal: str | None = None  # `Name, Role` as the site names them
    source_url: str | None = None


def _is_title_line(lm: LabelMatch, rest: str) -> bool:
    """A first line like `ON-THE-RECORD BRIEFING: Secretary Blinken's Travel` is a title."""
    if role_of_generic(lm.label) or not rest:
        return False
    return not _SENTENCE_END.search(rest.rstrip()) and len(rest) < 200


def _labels(a: str, *, title_first: bool, first_line: tuple[int, int] | None, feed_title: str | None,
            hints: set[int] | None) -> tuple[Labels, bool]:
    """Stages 1 and 2: the speaker labels, and whether the first line is the title."""
    shaped = find_openings(a)
    if title_first and first_line and shaped.start and shaped.start[0] == first_line[0]:
        first_colon = shaped.form[0][0]
        if first_colon is None:
            shaped = shaped.without_first()
        elif _is_title_line(first_colon, a[shaped.start[0] + first_colon.end:first_line[1]].strip(GAP)):
            shaped = shaped.without_first()
        else:
            title_first = False
    title_text = feed_title or (normalize_space(a[first_line[0]:first_line[1]]) if title_first and first_line else "")
    return choose_labels(shaped, a, title=title_text, hints=hints), title_first


def _trailer(a: str, from_: int, n: int) -> tuple[list[tuple[int, int]], str | None]:
    """Stage 3b: the closing lines after the words spoken (`END 1:52 P.M. EST`) and the end time."""
    tail = last_line_spans(a, from_, n, 1)
    if not tail or not TRAILER_LINE.match(normalize_space(a[tail[0][0]:tail[0][1]])):
        return [], None  # the last line does not close the transcript: nothing does
    start = a.rfind("\n", from_, n - 600) + 1 if n - 600 > from_ else from_
    last = line_spans(a, start or from_, n)[-_TRAILER_LINES:]
    count, end_time = read_trailer([normalize_space(a[s:e]) for s, e in last])
    if count == len(last) and count and last[0][0] <= from_:
        count -= 1  # the words spoken come first
    return (last[len(last) - count:] if count else []), end_time


def parse_text(
    text: str,
    *,
    source_id: str | None = None,
    sidecar: Sidecar | None = None,
    path: str | None = None,
    sha256: str | None = None,
    source_format: SourceFormat = "text",
    feed: FeedFacts | None = None,
    findings: list[Finding] | None = None,
    label_hints: set[int] | None = None,
) -> ParseResult:
    """Parse a transcript's text into records; problems are findings, never exceptions.

    `feed` carries what the page says beside its body (title, date, link); `label_hints`
    (HTML) holds offsets of lines whose opening the page marked up as a label (`<strong>`),
    which settles mixed-case openings.
    """
    findings = list(findings or [])
    if source_id is not None and not is_valid_id(source_id):
        findings.append(make_finding(
            "DT203", f"{source_id!r} is not a transcript id: lowercase letters and digits in runs joined by single "
            "hyphens, such as `2021-10-08-blinken-milenio-tv`.", path=path))
        return ParseResult(None, findings=findings, source_text=text, path=path)
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    a = analysis_text(text)
    line_number = LineCounter(a)  # findings' line and column, counted on from the last one
    feed = feed or FeedFacts()
    n = len(a)

    # 1-2. Labels.
    first = line_spans(a, 0, n, limit=1)
    labels, title_first = _labels(a, title_first=source_format == "text" and feed.title is None and bool(first),
                                  first_line=first[0] if first else None, feed_title=feed.title, hints=label_hints)
    labelled = bool(labels.start)

    # 3. The header: the lines before the first turn (without labels: the leading lines that
    # read as header fields); the trailer: closing lines after the words spoken.
    if labelled:
        header_spans = line_spans(a, 0, labels.line_start[0])
    else:
        header_spans = []
        for span in line_spans(a, 0, n, limit=_HEADER_LINES_WITHOUT_LABELS):
            if is_prose(normalize_space(a[span[0]:span[1]])) and not (title_first and not header_spans):
                break
            header_spans.append(span)
    header = read_header([normalize_space(a[s:e]) for s, e in header_spans], title_first=title_first)
    if feed.title and header.title is not None and header.title_index is not None:
        if normalize_space(feed.title).lower() != header.title.lower():
            header.kinds[header.title_index] = "other"
            header.title, header.title_index = None, None
    if not labelled:
        recognised = [i for i, k in enumerate(header.kinds) if k != "other"]
        keep = recognised[-1] + 1 if recognised else 0
        header_spans, header.kinds = header_spans[:keep], header.kinds[:keep]
    body_start = header_spans[-1][1] if header_spans and not labelled else (labels.line_start[0] if labelled else 0)
    trailer, end_time = _trailer(a, (labels.start[-1] + labels.match[-1].end) if labelled else body_start, n)
    header_lines = [HeaderLine(s, e, k) for (s, e), k in zip(header_spans, header.kinds)]
    header_lines += [HeaderLine(s, e, "trailer") for s, e in trailer]
    for hl in header_lines:
        if hl.kind == "other":
            line, col = line_number(hl.start)
            findings.append(make_finding(
                "DT104", f"Header line not recognised as a field: {normalize_space(a[hl.start:hl.end])[:60]!r}.",
                path=path, line=line, column=col))
    body_end = trailer[0][0] if trailer else n

    # 4. Facts: title, people, event type, date, language.
    title = header.title or (normalize_space(feed.title) if feed.title else None) or (sidecar.title if sidecar else None)
    principals = list(header.principals)
    if feed.principal and not any(p.name for p in principals):
        pr = person_role(normalize_space(feed.principal))
        if pr:
            principals.insert(0, PersonLine(pr[0], pr[1], -1))
    title_people: list[PersonLine] | None = None  # the people the title names, read once
    if not any(p.name for p in principals):
        title_people = people_in_title(title)
        if (lead := principal_from_title(title, title_people)) is not None:
            principals.insert(0, lead)
    interviewer, outlet = interview_parts(title)
    event_type: EventType = event_type_of(title, header.doc_type, (interviewer, outlet))
    if sidecar and sidecar.event_type:
        event_type = sidecar.event_type
    if event_type != "interview":
        interviewer = outlet = None
    date, date_source = _date_of(header, title, sidecar, feed)
    language = (sidecar.language if sidecar and sidecar.language else None) or "en"
    tid = source_id or slugify(title or "")[:80].strip("-") or "transcript"

    # 5. Genre: with no labels, only a speech that reads as spoken is a transcript.
    if not labelled:
        body = line_spans(a, body_start, body_end, limit=3)
        said = sidecar is not None and sidecar.event_type not in (None, "other")
        if not body or not (said or names_a_speech(title, header.doc_type) and reads_as_spoken(
                [a[s:e] for s, e in body + last_line_spans(a, body_start, body_end, 2)]
                + _room_lines(a, body_start, body_end))):
            first_body_line = line_number(body[0][0])[0] if body else None
            findings.append(make_finding(
                "DT103", "No speaker labels and nothing that reads as words spoken: this is a statement, notice, "
                "readout or announcement, not a transcript; it gives no turns.", path=path, line=first_body_line))
            return ParseResult(None, findings=findings, source_text=text, header_lines=header_lines,
                               skipped_from=body_start, path=path)
        event_type = sidecar.event_type if sidecar and sidecar.event_type else "remarks"

    # 6. Turns: each label's turn runs to the next label's line (the last one to the trailer).
    if labelled:
        starts = labels.start
        content = list(map(add, starts, map(_END, labels.match)))
        limits = labels.line_start[1:]
        limits.append(body_end)
        printed: list[str | None] = list(map(_LABEL, labels.match))
    else:
        first_body = line_spans(a, body_start, n, limit=1)[0][0]
        starts, content, limits, printed = [first_body], [first_body], [body_end], [None]
    cols = build_turns(text, a, starts, content, limits, printed, tid=tid, language=language,
                       blank_paragraphs=_BLANK_LINE.search(a, body_start) is not None, findings=findings, path=path,
                       line_number=line_number)
    markers = rows.markers(cols.markers)

    # 7. Speakers.
    ctx = Context(title, principals, header.counterparts, interviewer, outlet, sidecar.speakers if sidecar else {},
                  people_in_title(title) if title_people is None else title_people)
    drafts, speaker_ids = resolve_speakers(cols.label, ctx, cols.text)

    # 8. Exchanges.
    kind_of = {d.speaker_id: d.kind for d in drafts}
    replies, exchanges = link_turns(list(map(kind_of.__getitem__, speaker_ids)), cols.is_interrupted,
                                    cols.is_continuation)
    turns = rows.turns(tid, (range(len(starts)), speaker_ids, cols.label, cols.text, cols.n_paragraphs, cols.n_words,
                             cols.is_interrupted, cols.is_continuation, cols.language, cols.is_interpreted, replies,
                             exchanges, cols.source_start, cols.source_end))

    for k in compress(range(1, len(turns)), map(str.__eq__, speaker_ids[1:], speaker_ids)):
        if cols.label[k] is not None:
            line, col = line_number(cols.source_start[k])
            findings.append(make_finding(
                "DT105", f"{cols.label[k]} has two turns in a row (turns {k - 1} and {k}); kept as printed.",
                path=path, line=line, column=col))
    if date is None:
        findings.append(make_finding("DT108", "No date: add `date = YYYY-MM-DD` to the sidecar.", path=path))

    speakers = rows.speakers(tid, [(d.speaker_id, d.label, d.label_variants, d.name, d.role, d.affiliation, d.kind,
                                    _person_key(d.name)) for d in drafts], outside_facts=bool(ctx.sidecar))
    place = header.place
    source_url = (sidecar.source_url if sidecar and sidecar.source_url else None) or feed.source_url
    principal = next((p for p in principals if p.name or p.role), None)
    try:
        transcript = Transcript(
            transcript_id=tid, title=title, event_type=event_type, date=date, date_source=date_source,
            time_text=header.time_text, end_time_text=end_time, principal_name=principal.name if principal else None,
            principal_role=principal.role if principal else None,
            city=place.city if place else None, country=place.country if place else None,
            country_code=place.country_code if place else None, venue=header.venue,
            is_virtual=bool(place and place.is_virtual), outlet=outlet, interviewer=interviewer,
            occasion=sidecar.occasion if sidecar else None, language=language,
            publisher=(sidecar.publisher if sidecar and sidecar.publisher else None) or publisher_of_url(source_url),
            source_url=source_url,
            source_format=source_format, source_sha256=sha, n_turns=len(turns), n_speakers=len(speakers),
            n_markers=len(markers), n_words=sum(cols.n_words),
        )
    except ValidationError as exc:  # a fact outside the schema, such as a bad id from the caller
        findings.append(make_finding("DT203", f"The record is invalid: {exc.errors()[0]['msg']}.", path=path))
        return ParseResult(None, findings=findings, source_text=text, header_lines=header_lines, path=path)
    return ParseResult(transcript, speakers, turns, markers, findings, text, header_lines, None, path)


def _room_lines(a: str, start: int, end: int) -> list[str]:
    """Body lines where the room reacts, `(Applause.)`, wherever they stand."""
    body = a[start:end]
    if "(" not in body:
        return []
    return [line for line in body.split("\n") if "(" in line and re.search(r"\((?:applause|laughter)", line, re.I)]


def _date_of(header: Header, title: str | None, sidecar: Sidecar | None, feed: FeedFacts
             ) -> tuple[dt.date | None, DateSource | None]:
    """The event's date and where it came from: the text, then the sidecar, then the feed."""
    if header.date:
        return header.date, "text"
    if title and (d := parse_date(title, whole_line=False)):
        return d, "text"
    if sidecar and sidecar.date:
        return sidecar.date, "sidecar"
    if feed.date:
        return feed.date, "feed"
    return None, None
