"""The plain-text parser: source text (as a reader copying the page sees it) to records.

One pass finds the lines and the labels opening them; the lines before the first label are
the header; each label opens a turn that runs to the next.  Every non-blank line is
accounted for in `ParseResult.line_roles`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..findings import make_finding
from ..ids import slugify
from ..records import DateSource, EventType, Finding, Marker, Speaker, SourceFormat, Transcript, Turn
from .header import Header, PersonLine, event_type_of, principal_from_title, interview_parts, is_prose, parse_date, person_role, read_header
from .labels import LabelMatch, accept_mixed, match_label, role_of_generic
from .lines import _SPACES, Line, normalize_space, split_lines
from .markers import find_markers
from .result import ParseResult
from .speakers import Context, resolve_speakers

if TYPE_CHECKING:
    import datetime as dt

    from ..sources.sidecar import Sidecar

_SENTENCE_END = re.compile(r"[.?!…\"”’)\]—–-]$")
_GAP = " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff"
_DASH_START = re.compile(r"^[\"“‘']?\s?(?:—|–|-{1,2}|…|\.\.\.)")
_DASH_END = re.compile(r"(?:—|–|-{1,2})[\"”’']?\s*$")
_WORD = re.compile(r"\S+")
_REMARKS = re.compile(
    r"\bremarks\b|\bspeech\b|\baddress(?:es)?\b(?! the)|\bkeynote\b|\btoast\b|\btestimony\b|\bopening statement\b|"
    r"\bstatements? (?:to|before|for) the press\b|\bcommencement\b|\bwelcom\w*\b|\bvideo message\b",
    re.I,
)


@dataclass(slots=True)
class _Opening:
    index: int  # position in the non-blank line list
    match: LabelMatch


@dataclass(slots=True)
class FeedFacts:
    """What a feed item or page tells beside its body."""

    title: str | None = None
    date: dt.date | None = None
    principal: str | None = None  # `Name, Role` as the site names them
    source_url: str | None = None


def _norm_to_raw(raw: str, k: int) -> int:
    """Index in `raw` of the character at index `k` of normalize_space(raw) (raw is trimmed)."""
    shift = 0
    for m in _SPACES.finditer(raw):
        norm_pos = m.start() - shift
        if norm_pos >= k:
            break
        if norm_pos + 1 > k:
            return m.start()
        shift += (m.end() - m.start()) - 1
    return k + shift


def _is_title_line(lm: LabelMatch, rest: str) -> bool:
    """A first line like `ON-THE-RECORD BRIEFING: Secretary Blinken's Travel` is a title."""
    if role_of_generic(lm.label) or not rest:
        return False
    return not _SENTENCE_END.search(rest.rstrip()) and len(rest) < 200


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
    """Parse a transcript's text into records.

    `label_hints` (HTML) holds the offsets of lines whose opening the page marked up as a
    label (`<strong>`), which settles mixed-case openings.
    """
    findings = list(findings or [])
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = [ln for ln in split_lines(text) if ln is not None]
    feed = feed or FeedFacts()

    # 1. Openings that have a label's shape.
    shaped: list[_Opening] = []
    for i, ln in enumerate(lines):
        if ln.end - ln.start < 2:
            continue
        lm = match_label(text[ln.start:ln.end])
        if lm is not None:
            shaped.append(_Opening(i, lm))

    title_first = source_format == "text" and feed.title is None and bool(lines)
    if title_first and shaped and shaped[0].index == 0:
        first = lines[0]
        rest = text[first.start + shaped[0].match.end:first.end].strip(_GAP)
        if not _is_title_line(shaped[0].match, rest):
            title_first = False
        else:
            shaped = shaped[1:]

    # 2. Judge mixed-case openings by what the page shows.
    title_text = feed.title or (normalize_space(text[lines[0].start:lines[0].end]) if title_first else "")
    upper = [o for o in shaped if o.match.is_upper]
    mixed = [o for o in shaped if not o.match.is_upper]
    accepted_mixed: set[str] = set()
    if mixed:
        hinted = {o.match.label for o in mixed if label_hints and lines[o.index].start in label_hints}
        known = {w.strip(".,’'").upper() for w in re.findall(r"[\w’'.-]+", title_text) if w[:1].isupper()}
        accepted_mixed = accept_mixed([o.match.label for o in mixed], bool(upper), known) | hinted
    openings = [o for o in shaped if o.match.is_upper or o.match.label in accepted_mixed]

    # 3. The header.
    first_turn = openings[0].index if openings else None
    if first_turn is not None:
        header_end = first_turn
    else:
        header_end = 0
        while header_end < len(lines) and header_end < 12:
            t = text[lines[header_end].start:lines[header_end].end]
            if is_prose(normalize_space(t)) and not (title_first and header_end == 0):
                break
            header_end += 1
    header_texts = [normalize_space(text[ln.start:ln.end]) for ln in lines[:header_end]]
    header = read_header(header_texts, title_first=title_first)
    if feed.title and header.title is not None and header.title_index is not None:
        if normalize_space(feed.title).lower() != header.title.lower():
            header.kinds[header.title_index] = "other"
            header.title, header.title_index = None, None
    if first_turn is None:
        # Without labels, the header ends at its last recognised line; the rest is body.
        recognised = [i for i, k in enumerate(header.kinds) if k != "other"]
        header_end = recognised[-1] + 1 if recognised else 0
        header.kinds = header.kinds[:header_end]
    preamble = [i for i, k in enumerate(header.kinds) if k == "other"]
    for i in preamble:
        ln = lines[i]
        findings.append(make_finding(
            "DT104", f"Header line not recognised as a field: {header_texts[i][:60]!r}.", path=path,
            line=ln.number, column=ln.column))

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

    line_roles = [(lines[i].number, k) for i, k in enumerate(header.kinds)]

    # 4. Non-transcripts: no labels and nothing that says remarks.
    body = lines[header_end:]
    if first_turn is None:
        is_remarks = bool(body) and (
            (sidecar is not None and sidecar.event_type not in (None, "other"))
            or bool(_REMARKS.search(f"{header.doc_type or ''} {title or ''}"))
        )
        if not is_remarks:
            findings.append(make_finding(
                "DT103", "No speaker labels and no sign of remarks: this reads as a statement or notice, not a "
                "transcript; it gives no turns.", path=path, line=body[0].number if body else None))
            line_roles += [(ln.number, "skipped") for ln in body]
            return ParseResult(None, findings=findings, source_text=text, line_roles=line_roles, path=path)
        event_type = sidecar.event_type if sidecar and sidecar.event_type else "remarks"

    # 5. Turns.
    has_blank_paragraphs = any(
        lines[k].number > lines[k - 1].number + 1 for k in range(max(header_end + 1, 1), len(lines))
    )
    spans: list[tuple[int, int, LabelMatch | None]] = []
    if first_turn is None:
        spans.append((header_end, len(lines), None))
    else:
        for n, o in enumerate(openings):
            end = openings[n + 1].index if n + 1 < len(openings) else len(lines)
            spans.append((o.index, end, o.match))

    turn_labels: list[str | None] = [lm.label if lm else None for _, _, lm in spans]
    ctx = Context(title, principals, header.counterparts, interviewer, outlet, sidecar.speakers if sidecar else {})
    drafts, speaker_ids = resolve_speakers(turn_labels, ctx)

    turns: list[Turn] = []
    markers: list[Marker] = []
    for t_index, (a, b, lm) in enumerate(spans):
        turn, turn_markers = _build_turn(text, lines[a:b], lm, tid, t_index, speaker_ids[t_index], language,
                                         has_blank_paragraphs, findings, path)
        turns.append(turn)
        markers.extend(turn_markers)
        line_roles += [(ln.number, "turn") for ln in lines[a:b]]

    for k in range(1, len(turns)):
        if turns[k].speaker_id == turns[k - 1].speaker_id and turns[k].label is not None:
            ln = lines[spans[k][0]]
            findings.append(make_finding(
                "DT105", f"{turns[k].label} has two turns in a row (turns {k - 1} and {k}); kept as printed.",
                path=path, line=ln.number, column=ln.column))
    if date is None:
        findings.append(make_finding("DT108", "No date: add `date = YYYY-MM-DD` to the sidecar.", path=path))

    speakers = [
        Speaker(transcript_id=tid, speaker_id=d.speaker_id, label=d.label, label_variants=d.label_variants,
                name=d.name, role=d.role, affiliation=d.affiliation, kind=d.kind, person_id=None)
        for d in drafts
    ]
    place = header.place
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
            source_url=(sidecar.source_url if sidecar and sidecar.source_url else None) or feed.source_url,
            source_format=source_format, source_sha256=sha, n_turns=len(turns), n_speakers=len(speakers),
            n_markers=len(markers), n_words=sum(t.n_words for t in turns),
        )
    except ValidationError as exc:  # a fact outside the schema (bad id from the caller ...)
        findings.append(make_finding("DT203", f"The record is invalid: {exc.errors()[0]['msg']}.", path=path))
        return ParseResult(None, findings=findings, source_text=text, line_roles=line_roles, path=path)
    return ParseResult(transcript, speakers, turns, markers, findings, text, line_roles, path)


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


def _build_turn(text: str, lines: list[Line], lm: LabelMatch | None, tid: str, index: int, speaker_id: str,
                language: str, blank_paragraphs: bool, findings: list[Finding], path: str | None
                ) -> tuple[Turn, list[Marker]]:
    """One turn from its lines: text, paragraphs, markers with both offsets."""
    paragraphs: list[list[tuple[int, str, str]]] = []  # per paragraph: (raw start, raw, normalized)
    prev_number = None
    for k, ln in enumerate(lines):
        start = ln.start
        if k == 0 and lm is not None:
            start = ln.start + lm.end
            while start < ln.end and text[start] in _GAP:
                start += 1
        raw = text[start:ln.end]
        norm = normalize_space(raw) if raw else ""
        new_para = prev_number is None or not blank_paragraphs or ln.number > prev_number + 1
        prev_number = ln.number
        if not norm:
            if k == 0:
                paragraphs.append([])
            continue
        if new_para and (not paragraphs or paragraphs[-1]):
            paragraphs.append([])
        elif new_para and paragraphs and not paragraphs[-1] and k > 0:
            pass
        paragraphs[-1].append((start, raw, norm))
    paragraphs = [p for p in paragraphs if p]

    out: list[str] = []
    found: list[Marker] = []
    pos = 0
    marker_spans: list[tuple[int, int]] = []
    for p_i, para in enumerate(paragraphs):
        if p_i:
            out.append("\n\n")
            pos += 2
        for l_i, (raw_start, raw, norm) in enumerate(para):
            if l_i:
                out.append("\n")
                pos += 1
            for fm in find_markers(norm):
                s_raw = raw_start + _norm_to_raw(raw, fm.start)
                e_raw = raw_start + _norm_to_raw(raw, fm.end - 1) + 1
                found.append(Marker(
                    transcript_id=tid, turn_index=index, marker_index=len(found), kind=fm.kind,
                    text=text[s_raw:e_raw], value=fm.value, start=pos + fm.start, end=pos + fm.end,
                    source_start=s_raw, source_end=e_raw))
                marker_spans.append((pos + fm.start, pos + fm.end))
                if fm.kind == "other":
                    findings.append(make_finding(
                        "DT107", f"{text[s_raw:e_raw]} looks like a stage direction of no known kind.", path=path,
                        line=None, column=None))
            out.append(norm)
            pos += len(norm)
    body = "".join(out)

    words_text = body
    for s, e in reversed(marker_spans):
        words_text = words_text[:s] + " " + words_text[e:]
    n_words = len(_WORD.findall(words_text))
    turn_language = _opening_language(body, found) or language
    opens = body.count("(")
    closes = body.count(")")
    if opens != closes:
        findings.append(make_finding(
            "DT106", f"Turn {index} has {opens} '(' but {closes} ')'.", path=path, line=lines[0].number,
            column=lines[0].column))
    first = lines[0]
    return Turn(
        transcript_id=tid, turn_index=index, speaker_id=speaker_id, label=lm.label if lm else None, text=body,
        n_paragraphs=len(paragraphs), n_words=n_words, is_interrupted=bool(_DASH_END.search(body)),
        is_continuation=bool(_DASH_START.match(body)), language=turn_language,
        is_interpreted=any(m.kind == "interpretation" for m in found),
        source_start=first.start, source_end=lines[-1].end,
    ), found
