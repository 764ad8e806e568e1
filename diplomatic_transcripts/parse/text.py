"""The plain-text parser: source text (as a reader copying the page sees it) to records.

Whole-text regular expressions do the work, not a loop over lines: one pass finds the
openings that have a label's shape; the lines before the first accepted label are the
header; each label opens a turn that runs to the next, and a turn's text is made from its
slice of the source with a few substitutions.  Offsets always refer to the untouched text.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from ..findings import make_finding
from ..ids import person_key, slugify
from ..sources.publishers import publisher_of_url
from ..records import DateSource, EventType, Finding, Marker, Speaker, SourceFormat, Transcript, Turn
from ..dates import parse_date
from .header import Header, PersonLine, event_type_of, interview_parts, is_prose, person_role
from .header import principal_from_title, read_header
from .labels import choose_labels, role_of_generic
from .openings import LabelMatch, find_openings
from .lines import _EDGE, collapse_spaces, has_exotic_spaces, normalize_space
from .conversation import link_turns
from .markers import find_markers
from ..records import HeaderLine, ParseResult
from .speakers import Context, resolve_speakers

if TYPE_CHECKING:
    import datetime as dt

    from ..sources.sidecar import Sidecar

_GAP = _EDGE
_ALL_WS = _GAP + "\n\r"
# An opening: the start of a line, optional indentation, then a label's shape.
# A literal "\n" first lets the regex engine skip ahead to line ends; offset 0 is tried apart.
_NONBLANK_LINE = re.compile(r"^[^\S\n]*(\S[^\n]*?)[^\S\n]*$", re.M)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_BREAKS = re.compile(r"\n\n+")  # a blank line or more: one paragraph break
_NEWLINES = re.compile(r"\n+")  # single-newline text: every line is a paragraph
_SENTENCE_END = re.compile(r"[.?!…\"”’)\]—–-]$")
_DASH_START = re.compile(r"^[\"“‘']?\s?(?:—|–|-{1,2}|…|\.\.\.)")
_DASH_END = re.compile(r"(?:—|–|-{1,2})[\"”’']?\s*$")
_REMARKS = re.compile(
    r"\bremarks\b|\bspeech\b|\baddress(?:es)?\b(?! the)|\bkeynote\b|\btoast\b|\btestimony\b|\bopening statement\b|"
    r"\bstatements? (?:to|before|for) the press\b|\bcommencement\b|\bwelcom\w*\b|\bvideo message\b",
    re.I,
)
_HEADER_LINES_WITHOUT_LABELS = 12
_TURNS = TypeAdapter(list[Turn])


@dataclass(slots=True)
class FeedFacts:
    """What a feed item or page tells beside its body."""

    title: str | None = None
    date: dt.date | None = None
    principal: str | None = None  # `Name, Role` as the site names them
    source_url: str | None = None


def analysis_text(text: str) -> str:
    """The text with line ends as LF and the same length, so offsets carry over unchanged:
    CRLF becomes space+LF, a lone CR becomes LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def line_number(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of an offset in an analysis text."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _is_title_line(lm: LabelMatch, rest: str) -> bool:
    """A first line like `ON-THE-RECORD BRIEFING: Secretary Blinken's Travel` is a title."""
    if role_of_generic(lm.label) or not rest:
        return False
    return not _SENTENCE_END.search(rest.rstrip()) and len(rest) < 200


def _lines(a: str, start: int, end: int, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the non-blank lines of a[start:end], trimmed."""
    out = []
    for m in _NONBLANK_LINE.finditer(a, start, end):
        out.append((m.start(1), m.end(1)))
        if limit and len(out) >= limit:
            break
    return out


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

    `label_hints` (HTML) holds offsets of lines whose opening the page marked up as a label
    (`<strong>`), which settles mixed-case openings.
    """
    findings = list(findings or [])
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    a = analysis_text(text)
    feed = feed or FeedFacts()
    n = len(a)

    # 1. Openings with a label's shape; 2. which of them are labels, by the document's evidence.
    shaped = find_openings(a)
    first_line = _lines(a, 0, n, limit=1)
    title_first = source_format == "text" and feed.title is None and bool(first_line)
    if title_first and shaped and shaped[0].start == first_line[0][0]:
        first_colon = shaped[0].colon
        if first_colon is None:
            shaped = shaped[1:]
        else:
            rest = a[shaped[0].start + first_colon.end:first_line[0][1]].strip(_GAP)
            if _is_title_line(first_colon, rest):
                shaped = shaped[1:]
            else:
                title_first = False
    title_text = feed.title or (normalize_space(a[first_line[0][0]:first_line[0][1]]) if title_first else "")
    known = {w.strip(".,’'").upper() for w in re.findall(r"[\w’'.-]+", title_text) if w[:1].isupper()}
    openings = choose_labels(shaped, a, known_names=known, hints=label_hints)

    # 3. The header: the lines before the first turn (without labels: the leading lines
    # that read as header fields).
    if openings:
        header_spans = _lines(a, 0, openings[0].line_start)
    else:
        header_spans = []
        for span in _lines(a, 0, n, limit=_HEADER_LINES_WITHOUT_LABELS):
            if is_prose(normalize_space(a[span[0]:span[1]])) and not (title_first and not header_spans):
                break
            header_spans.append(span)
    header_texts = [normalize_space(a[s:e]) for s, e in header_spans]
    header = read_header(header_texts, title_first=title_first)
    if feed.title and header.title is not None and header.title_index is not None:
        if normalize_space(feed.title).lower() != header.title.lower():
            header.kinds[header.title_index] = "other"
            header.title, header.title_index = None, None
    if not openings:
        recognised = [i for i, k in enumerate(header.kinds) if k != "other"]
        keep = recognised[-1] + 1 if recognised else 0
        header_spans, header.kinds = header_spans[:keep], header.kinds[:keep]
    header_lines = [HeaderLine(s, e, k) for (s, e), k in zip(header_spans, header.kinds)]
    for hl in header_lines:
        if hl.kind == "other":
            line, col = line_number(a, hl.start)
            findings.append(make_finding(
                "DT104", f"Header line not recognised as a field: {normalize_space(a[hl.start:hl.end])[:60]!r}.",
                path=path, line=line, column=col))

    title = header.title or (normalize_space(feed.title) if feed.title else None) or (sidecar.title if sidecar else None)
    principals = list(header.principals)
    if feed.principal and not any(p.name for p in principals):
        pr = person_role(normalize_space(feed.principal))
        if pr:
            principals.insert(0, PersonLine(pr[0], pr[1], -1))
    if not any(p.name for p in principals) and (lead := principal_from_title(title)) is not None:
        principals.insert(0, lead)
    interviewer, outlet = interview_parts(title)
    event_type: EventType = event_type_of(title, header.doc_type)
    if sidecar and sidecar.event_type:
        event_type = sidecar.event_type
    if event_type != "interview":
        interviewer = outlet = None
    date, date_source = _date_of(header, title, sidecar, feed)
    language = (sidecar.language if sidecar and sidecar.language else None) or "en"
    tid = source_id or slugify(title or "")[:80].strip("-") or "transcript"
    body_start = header_spans[-1][1] if header_spans and not openings else (openings[0].line_start if openings else 0)

    # 4. Non-transcripts: no labels and nothing that says remarks.
    if not openings:
        has_body = bool(a[body_start:].strip(_ALL_WS))
        is_remarks = has_body and (
            (sidecar is not None and sidecar.event_type not in (None, "other"))
            or bool(_REMARKS.search(f"{header.doc_type or ''} {title or ''}"))
        )
        if not is_remarks:
            first_body_line = line_number(a, _lines(a, body_start, n, limit=1)[0][0])[0] if has_body else None
            findings.append(make_finding(
                "DT103", "No speaker labels and no sign of remarks: this reads as a statement or notice, not a "
                "transcript; it gives no turns.", path=path, line=first_body_line))
            return ParseResult(None, findings=findings, source_text=text, header_lines=header_lines,
                               skipped_from=body_start, path=path)
        event_type = sidecar.event_type if sidecar and sidecar.event_type else "remarks"

    # 5. Turns.
    blank_paragraphs = _BLANK_LINE.search(a, body_start) is not None
    exotic = has_exotic_spaces(a)
    spans: list[tuple[int, int, LabelMatch | None]] = []  # (turn start, content start, label)
    if openings:
        for o in openings:
            spans.append((o.start, o.start + o.match.end, o.match))
    else:
        first_body = _lines(a, body_start, n, limit=1)[0][0]
        spans.append((first_body, first_body, None))
    ctx = Context(title, principals, header.counterparts, interviewer, outlet, sidecar.speakers if sidecar else {})
    drafts, speaker_ids = resolve_speakers([lm.label if lm else None for _, _, lm in spans], ctx)

    turn_rows: list[dict] = []
    markers: list[Marker] = []
    for k, (t_start, c_start, lm) in enumerate(spans):
        limit = openings[k + 1].line_start if openings and k + 1 < len(openings) else n
        row, found = _build_turn(text, a, t_start, c_start, limit, lm, tid, k, speaker_ids[k], language,
                                 blank_paragraphs, exotic, findings, path)
        turn_rows.append(row)
        markers.extend(found)
    kind_of = {d.speaker_id: d.kind for d in drafts}
    replies, exchanges = link_turns([kind_of[r["speaker_id"]] for r in turn_rows],
                                    [r["is_interrupted"] for r in turn_rows],
                                    [r["is_continuation"] for r in turn_rows])
    for row, reply, exchange in zip(turn_rows, replies, exchanges):
        row["reply_to"], row["exchange_index"] = reply, exchange
    turns = _TURNS.validate_python(turn_rows)  # one validation call for all turns: cheaper than one each

    for k in range(1, len(turns)):
        if turns[k].speaker_id == turns[k - 1].speaker_id and turns[k].label is not None:
            line, col = line_number(a, turns[k].source_start)
            findings.append(make_finding(
                "DT105", f"{turns[k].label} has two turns in a row (turns {k - 1} and {k}); kept as printed.",
                path=path, line=line, column=col))
    if date is None:
        findings.append(make_finding("DT108", "No date: add `date = YYYY-MM-DD` to the sidecar.", path=path))

    speakers = [
        Speaker(transcript_id=tid, speaker_id=d.speaker_id, label=d.label, label_variants=d.label_variants,
                name=d.name, role=d.role, affiliation=d.affiliation, kind=d.kind, person_id=person_key(d.name))
        for d in drafts
    ]
    place = header.place
    source_url = (sidecar.source_url if sidecar and sidecar.source_url else None) or feed.source_url
    principal = next((p for p in principals if p.name or p.role), None)
    try:
        transcript = Transcript(
            transcript_id=tid, title=title, event_type=event_type, date=date, date_source=date_source,
            time_text=header.time_text, principal_name=principal.name if principal else None,
            principal_role=principal.role if principal else None,
            city=place.city if place else None, country=place.country if place else None,
            country_code=place.country_code if place else None, venue=header.venue,
            is_virtual=bool(place and place.is_virtual), outlet=outlet, interviewer=interviewer,
            occasion=sidecar.occasion if sidecar else None, language=language,
            publisher=(sidecar.publisher if sidecar and sidecar.publisher else None) or publisher_of_url(source_url),
            source_url=source_url,
            source_format=source_format, source_sha256=sha, n_turns=len(turns), n_speakers=len(speakers),
            n_markers=len(markers), n_words=sum(t.n_words for t in turns),
        )
    except ValidationError as exc:  # a fact outside the schema, such as a bad id from the caller
        findings.append(make_finding("DT203", f"The record is invalid: {exc.errors()[0]['msg']}.", path=path))
        return ParseResult(None, findings=findings, source_text=text, header_lines=header_lines, path=path)
    return ParseResult(transcript, speakers, turns, markers, findings, text, header_lines, None, path)


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


def _opening_language(body: str, found: list[Marker]) -> str | None:
    """The language a turn opens in: a language marker before any spoken word."""
    pos = 0
    for m in found:
        if body[pos:m.start].strip():
            return None
        if m.kind == "language" and m.value:
            return m.value.split(",")[0]
        pos = m.end
    return None


@lru_cache(maxsize=1024)
def _ws_pattern(marker_text: str) -> re.Pattern[str]:
    return re.compile(r"[\s\u00a0]+".join(re.escape(w) for w in marker_text.split(" ")))


def _build_turn(text: str, a: str, t_start: int, c_start: int, limit: int, lm: LabelMatch | None, tid: str,
                index: int, speaker_id: str, language: str, blank_paragraphs: bool, exotic: bool,
                findings: list[Finding], path: str | None) -> tuple[dict, list[Marker]]:
    """One turn from its slice of the text: text, paragraphs, markers with both offsets."""
    raw = a[c_start:limit]
    stripped = raw.strip(_ALL_WS)
    content_start = c_start + (raw.find(stripped[0]) if stripped else 0)
    end = content_start + len(stripped) if stripped else t_start + (lm.end if lm else 0)
    body = collapse_spaces(stripped, exotic) if stripped else ""
    if "\n" in body:
        body = body.replace(" \n", "\n").replace("\n ", "\n")
        body = _BREAKS.sub("\n\n", body) if blank_paragraphs else _NEWLINES.sub("\n\n", body)
    breaks = body.count("\n\n")
    n_paragraphs = breaks + 1 if body else 0

    found: list[Marker] = []
    if "(" in body or "[" in body:
        pos = content_start
        for fm in find_markers(body):
            printed = body[fm.start:fm.end]
            m = _ws_pattern(printed).search(text, pos, end)
            if m is None:  # cannot happen for text the marker was found in; skip rather than lie
                continue
            pos = m.end()
            found.append(Marker(
                transcript_id=tid, turn_index=index, marker_index=len(found), kind=fm.kind, text=m.group(0),
                value=fm.value, start=fm.start, end=fm.end, source_start=m.start(), source_end=m.end()))
            if fm.kind == "other":
                line, col = line_number(a, m.start())
                findings.append(make_finding(
                    "DT107", f"{printed} looks like a stage direction of no known kind.", path=path, line=line,
                    column=col))
        opens, closes = body.count("("), body.count(")")
        if opens != closes:
            line, col = line_number(a, t_start)
            findings.append(make_finding(
                "DT106", f"Turn {index} has {opens} '(' but {closes} ')'.", path=path, line=line, column=col))
    elif ")" in body:
        line, col = line_number(a, t_start)
        findings.append(make_finding(
            "DT106", f"Turn {index} has 0 '(' but {body.count(')')} ')'.", path=path, line=line, column=col))
    # After normalization words are separated by exactly one " ", "\n" or "\n\n", so
    # counting separators equals len(body.split()) without building the list.
    n_words = (body.count(" ") + body.count("\n") - breaks + 1) if body else 0
    for mk in found:  # a marker's words are not spoken words; a glued neighbour becomes a word of its own
        n_words -= len(body[mk.start:mk.end].split())
        n_words += (mk.start > 0 and body[mk.start - 1] not in " \n") + (mk.end < len(body) and body[mk.end] not in " \n")
    return {
        "transcript_id": tid, "turn_index": index, "speaker_id": speaker_id, "label": lm.label if lm else None,
        "text": body, "n_paragraphs": n_paragraphs, "n_words": n_words,
        "is_interrupted": bool(_DASH_END.search(body[-8:])), "is_continuation": bool(_DASH_START.match(body)),
        "language": _opening_language(body, found) or language,
        "is_interpreted": any(mk.kind == "interpretation" for mk in found),
        "source_start": t_start, "source_end": end,
    }, found
