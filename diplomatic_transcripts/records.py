"""The record models: THE schema of the dataset.

Every other form of the schema (JSON Schema, Table Schemas, the Arrow schema, the data
dictionary) is generated from these classes by ``diplomatic_transcripts.schema``; a column
is defined here once and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EventType = Literal[
    "interview", "press_briefing", "background_briefing", "press_availability", "remarks", "panel", "other"
]
DateSource = Literal["text", "sidecar", "feed"]
SourceFormat = Literal["text", "markdown", "html", "feed"]
SpeakerKind = Literal[
    "principal", "counterpart", "journalist", "moderator", "operator", "interpreter",
    "official", "staff", "participant", "other",
]
MarkerKind = Literal[
    "inaudible", "crosstalk", "laughter", "applause", "interpretation", "language", "off_mic",
    "in_progress", "break", "procedural", "redaction", "editorial", "other",
]
Severity = Literal["error", "warning", "info"]
# Kinds whose labels name a part in the event (QUESTION, MODERATOR), not a person: such a
# label never resolves to one person across transcripts.
ROLE_KINDS: frozenset[str] = frozenset({"journalist", "moderator", "operator", "interpreter", "staff", "participant"})

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
COUNTRY_CODE_PATTERN = r"^[A-Z]{2}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


def _categorical() -> dict:
    """Marks a low-cardinality string column for dictionary encoding in Parquet."""
    return {"categorical": True}


class Record(BaseModel):
    """Base of every table row: strict about unknown keys, so typos fail loudly."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False)


class Transcript(Record):
    """One transcript: one event (an interview, a briefing, remarks ...)."""

    transcript_id: str = Field(
        pattern=ID_PATTERN,
        description="Stable id: slug of the source file stem (text) or of the page URL (HTML, feed).",
    )
    title: str | None = Field(description="Title as printed, whitespace normalized.")
    event_type: EventType = Field(
        description="Kind of event, from the title and document-type line (or the sidecar).",
        json_schema_extra=_categorical(),
    )
    date: dt.date | None = Field(
        description="Date of the event (ISO 8601); null when neither the text, a sidecar nor a feed gives one."
    )
    date_source: DateSource | None = Field(
        description="Where `date` came from: the text itself, the sidecar, or the publication date of the feed item (or the page's metadata).",
        json_schema_extra=_categorical(),
    )
    time_text: str | None = Field(description="Time line as printed, e.g. `2:01 p.m. EDT`.")
    end_time_text: str | None = Field(
        description="Closing time as printed after the words spoken, e.g. `1:52 P.M. EST` from `END 1:52 P.M. EST`."
    )
    principal_name: str | None = Field(description="Name of the principal, from the header's `Name, Role` line.")
    principal_role: str | None = Field(description="Role of the principal, from the same line.")
    city: str | None = Field(description="City from the place line, as printed.")
    country: str | None = Field(description="Country from the place line, as printed (or implied by a U.S. state or D.C.).")
    country_code: str | None = Field(
        pattern=COUNTRY_CODE_PATTERN,
        description="ISO 3166-1 alpha-2 code of `country`, resolved with pycountry plus a short table of usages.",
        json_schema_extra=_categorical(),
    )
    venue: str | None = Field(description="Venue line as printed (room, building, base).")
    is_virtual: bool = Field(description="True when the place line says the event was held remotely (`Via Teleconference`).")
    outlet: str | None = Field(description="Interviews: the outlet, from `With NAME of OUTLET` or `On OUTLET with NAME`.")
    interviewer: str | None = Field(description="Interviews: the interviewer(s) named in the title.")
    occasion: str | None = Field(description="The wider event this one belonged to, from the sidecar (the text never says).")
    language: str = Field(
        pattern=LANGUAGE_PATTERN,
        description="Main language of the transcript (BCP 47); `en` unless the sidecar says otherwise.",
        json_schema_extra=_categorical(),
    )
    publisher: str | None = Field(
        description=(
            "Who published the transcript (`U.S. Department of State`, `The White House`): from the sidecar, else "
            "from the host of `source_url` in the table of known hosts, else null."
        ),
        json_schema_extra=_categorical(),
    )
    source_url: str | None = Field(description="URL of the published page (feed link, front matter or sidecar).")
    source_format: SourceFormat = Field(
        description="Form of the source: plain text, Markdown with front matter, an HTML page, or a feed item.",
        json_schema_extra=_categorical(),
    )
    source_sha256: str = Field(pattern=SHA256_PATTERN, description="sha256 of the source's bytes.")
    n_turns: int = Field(ge=0, description="Number of rows in `turns` for this transcript.")
    n_speakers: int = Field(ge=0, description="Number of rows in `speakers` for this transcript.")
    n_markers: int = Field(ge=0, description="Number of rows in `markers` for this transcript.")
    n_words: int = Field(ge=0, description="Sum of `turns.n_words`.")


class Speaker(Record):
    """One distinct speaker within a transcript; label variants and typos are merged."""

    transcript_id: str = Field(pattern=ID_PATTERN, description="The transcript this speaker speaks in.")
    speaker_id: str = Field(pattern=ID_PATTERN, description="Slug of the speaker's first label, unique in the transcript.")
    label: str | None = Field(description="The label as first printed, whitespace normalized, without its colon; null for unlabelled remarks.")
    label_variants: list[str] = Field(description="Every distinct form of the label printed for this speaker, in order of appearance.")
    name: str | None = Field(description="Full name, when the header, title or sidecar gives it.")
    role: str | None = Field(description="Role or title, when the header, title or sidecar gives it.")
    affiliation: str | None = Field(description="Organisation, outlet or country the speaker speaks for.")
    kind: SpeakerKind = Field(description="Part the speaker plays in the event.", json_schema_extra=_categorical())
    person_id: str | None = Field(
        default=None,
        pattern=ID_PATTERN,
        description=(
            "The person this speaker is (persons.person_id): from the speaker's own resolved name, or, in a built "
            "package, for a label with no name in its transcript, from the one name that same label has in the "
            "package's other transcripts of that period. Null for anonymous or unresolved speakers."
        ),
    )


class Turn(Record):
    """One speaker turn, in order of the source."""

    transcript_id: str = Field(pattern=ID_PATTERN, description="The transcript this turn belongs to.")
    turn_index: int = Field(ge=0, description="Position of the turn in the transcript, 0-based.")
    speaker_id: str = Field(pattern=ID_PATTERN, description="The speaker of the turn (speakers.speaker_id).")
    label: str | None = Field(description="Label as printed in this turn, whitespace normalized; null when the text printed none.")
    text: str = Field(
        description=(
            "What the speaker said: everything after the label and its gap, paragraphs joined by a blank line, "
            "NBSP and runs of spaces normalized, markers left inline."
        )
    )
    n_paragraphs: int = Field(ge=0, description="Number of paragraphs in the turn.")
    n_words: int = Field(ge=0, description="Number of whitespace-separated words in `text`, markers excluded.")
    is_interrupted: bool = Field(description="The turn ends with a dash: the speaker was cut off.")
    is_continuation: bool = Field(description="The turn starts with a dash: it resumes an interrupted turn.")
    language: str = Field(
        pattern=LANGUAGE_PATTERN,
        description="Language of the words spoken, from a language marker opening the turn, else the transcript's.",
        json_schema_extra=_categorical(),
    )
    is_interpreted: bool = Field(description="The text is an interpretation or translation (a `(Via interpreter)` marker).")
    reply_to: int | None = Field(
        ge=0,
        description=(
            "turn_index of the turn this one answers or follows up (an answer: the question it answers; a follow-up "
            "or interjection: the turn before it); null for an opener: the first turn and each question that opens "
            "an exchange. ConvoKit's reply-to."
        ),
    )
    exchange_index: int | None = Field(
        ge=0,
        description=(
            "0-based question-and-answer exchange the turn belongs to: an exchange opens at a journalist's turn that "
            "follows someone else's and holds the turns after it up to the next such opening; interjections and "
            "continued turns stay in theirs. Null outside exchanges (opening remarks)."
        ),
    )
    source_start: int = Field(ge=0, description="Offset of the turn's first character (its label) in the source text.")
    source_end: int = Field(ge=0, description="Offset just past the turn's last character in the source text.")


class Marker(Record):
    """A non-speech marker (stage direction) inside a turn, such as `(Inaudible.)`."""

    transcript_id: str = Field(pattern=ID_PATTERN, description="The transcript this marker belongs to.")
    turn_index: int = Field(ge=0, description="The turn the marker is in (turns.turn_index).")
    marker_index: int = Field(ge=0, description="Position of the marker in its turn, 0-based.")
    kind: MarkerKind = Field(
        description="What the marker records; `editorial` is a bracketed insertion by the publisher (`[sic]`, a correction).",
        json_schema_extra=_categorical(),
    )
    text: str = Field(description="The marker exactly as printed, e.g. `(Inaudible.)`.")
    value: str | None = Field(description="Parameter of the marker: BCP 47 code(s) for language markers, comma-separated.")
    start: int = Field(ge=0, description="Offset of the marker in the turn's `text`.")
    end: int = Field(ge=0, description="Offset just past the marker in the turn's `text`.")
    source_start: int = Field(ge=0, description="Offset of the marker in the source text: source[source_start:source_end] == text.")
    source_end: int = Field(ge=0, description="Offset just past the marker in the source text.")


class Person(Record):
    """A person seen across transcripts, identified by a resolved name (never a bare label)."""

    person_id: str = Field(pattern=ID_PATTERN, description="Stable slug of the resolved name (middle initials and honorifics dropped).")
    name: str = Field(description="The name as most often printed.")
    aliases: list[str] = Field(description="Other printed forms of the name, and the labels the person spoke under, sorted.")
    n_transcripts: int = Field(ge=1, description="Number of transcripts the person speaks in.")
    first_seen: dt.date | None = Field(description="Date of the earliest dated transcript the person speaks in.")
    last_seen: dt.date | None = Field(description="Date of the latest dated transcript the person speaks in.")


class PersonRole(Record):
    """A role a person was printed with, and when."""

    person_id: str = Field(pattern=ID_PATTERN, description="The person (persons.person_id).")
    role: str = Field(description="The role as printed (header line, title or sidecar), whitespace normalized.")
    first_seen: dt.date | None = Field(description="Date of the earliest dated transcript printing this role.")
    last_seen: dt.date | None = Field(description="Date of the latest dated transcript printing this role.")
    n_transcripts: int = Field(ge=1, description="Number of transcripts printing the person with this role.")


class Finding(Record):
    """A problem or remark about an input, with a stable code and a place."""

    code: str = Field(pattern=r"^DT[1-3][0-9]{2}$", description="Stable code: DT1xx parse, DT2xx sidecar/metadata/contribution, DT3xx package.")
    severity: Severity = Field(description="error, warning or info.")
    message: str = Field(description="What is wrong and what to do, for a contributor.")
    path: str | None = Field(default=None, description="File the finding is about.")
    line: int | None = Field(default=None, ge=1, description="1-based line (for a package cell: the row number).")
    column: int | None = Field(default=None, ge=1, description="1-based column.")
    field: str | None = Field(default=None, description="Field or table column the finding is about, when there is one.")


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A published table: its row model, keys and what one row stands for."""

    name: str
    model: type[Record]
    primary_key: tuple[str, ...]
    row: str
    foreign_keys: tuple[ForeignKey, ...] = field(default=())


TABLES: tuple[Table, ...] = (
    Table("transcripts", Transcript, ("transcript_id",), "transcript (one event)"),
    Table(
        "speakers", Speaker, ("transcript_id", "speaker_id"), "distinct speaker within a transcript",
        (
            ForeignKey(("transcript_id",), "transcripts", ("transcript_id",)),
            ForeignKey(("person_id",), "persons", ("person_id",)),
        ),
    ),
    Table(
        "turns", Turn, ("transcript_id", "turn_index"), "speaker turn, in order (0-based)",
        (
            ForeignKey(("transcript_id",), "transcripts", ("transcript_id",)),
            ForeignKey(("transcript_id", "speaker_id"), "speakers", ("transcript_id", "speaker_id")),
        ),
    ),
    Table(
        "markers", Marker, ("transcript_id", "turn_index", "marker_index"), "non-speech marker inside a turn",
        (
            ForeignKey(("transcript_id",), "transcripts", ("transcript_id",)),
            ForeignKey(("transcript_id", "turn_index"), "turns", ("transcript_id", "turn_index")),
        ),
    ),
    Table("persons", Person, ("person_id",), "person seen across transcripts"),
    Table(
        "person_roles", PersonRole, ("person_id", "role"), "role a person was printed with",
        (ForeignKey(("person_id",), "persons", ("person_id",)),),
    ),
)
# The tables of one transcript's parse result (persons are made across transcripts).
TRANSCRIPT_TABLES = ("transcripts", "speakers", "turns", "markers")
TABLE_BY_NAME = {t.name: t for t in TABLES}


# ---------------------------------------------------------------------------------------
# Types that cross stages but are not tables: what parsing one source gives, and the facts
# a sidecar holds about a speaker.  They live here so intake, export and persons depend on
# the records alone, never on the parser.


@dataclass
class SpeakerFacts:
    """What a sidecar says about one label."""

    name: str | None = None
    role: str | None = None
    affiliation: str | None = None
    kind: SpeakerKind | None = None


@dataclass(slots=True)
class HeaderLine:
    """A header line's span in the source text and the field it was read as."""

    start: int
    end: int
    kind: str  # title, principal, counterpart, place, venue, date, time, doc_type, other


@dataclass
class ParseResult:
    transcript: Transcript | None
    speakers: list[Speaker] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source_text: str = ""
    header_lines: list[HeaderLine] = field(default_factory=list)
    skipped_from: int | None = None  # non-transcripts: where the unparsed body starts
    path: str | None = None

    def line_roles(self) -> list[tuple[int, str]]:
        """How each non-blank source line is accounted for: (1-based line, role), the role a
        header field, "turn", "skipped" (the body of a non-transcript) or "unaccounted"."""
        text = self.source_text.replace("\r\n", " \n").replace("\r", "\n")
        spans = [(h.start, h.end, h.kind) for h in self.header_lines]
        spans += [(t.source_start, t.source_end, "turn") for t in self.turns]
        if self.skipped_from is not None:
            spans.append((self.skipped_from, len(text), "skipped"))
        spans.sort()
        roles = []
        pos = 0
        for number, line in enumerate(text.split("\n"), 1):
            start, end = pos, pos + len(line)
            pos = end + 1
            trimmed = line.strip()
            if not trimmed:
                continue
            content = start + line.find(trimmed[0])
            role = next((k for s, e, k in spans if s <= content < max(e, s + 1)), "unaccounted")
            roles.append((number, role))
        return roles

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def is_transcript(self) -> bool:
        return self.transcript is not None

    def to_dict(self) -> dict:
        """The object `parse --format json` prints: keys are exactly the table columns."""
        return {
            "transcript": self.transcript.model_dump(mode="json") if self.transcript else None,
            "speakers": [s.model_dump(mode="json") for s in self.speakers],
            "turns": [t.model_dump(mode="json") for t in self.turns],
            "markers": [m.model_dump(mode="json") for m in self.markers],
            "findings": [f.model_dump(mode="json") for f in self.findings],
        }
