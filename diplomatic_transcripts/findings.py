"""Stable finding codes, in one table, and the helper that makes a Finding from one.

DT1xx are about parsing a source, DT2xx about sidecars, metadata and contribution rules,
DT3xx about a built package.  Codes never change meaning once published; the generated
documentation (schema/findings.md) is made from CODES.
"""

from __future__ import annotations

from dataclasses import dataclass

from .records import Finding, Severity


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("DT100", "error", "The input is empty or holds only whitespace."),
        Code("DT101", "error", "The input is binary (NUL bytes or control characters), not text."),
        Code("DT102", "warning", "The input is not UTF-8; it was decoded as cp1252 or latin-1."),
        Code("DT103", "warning", "The input is not a transcript (a statement, readout, notice ...): no turns were made."),
        Code("DT104", "info", "A header line was recognised as none of title, principal, place, venue, date, time or document type."),
        Code("DT105", "warning", "The same speaker has two turns in a row."),
        Code("DT106", "warning", "A turn has unbalanced parentheses."),
        Code("DT107", "info", "A parenthetical looks like a stage direction of an unknown kind (kind `other`)."),
        Code("DT108", "info", "No date: neither the text, a sidecar nor a feed gives one."),
        Code("DT109", "error", "The HTML cannot be read whole: it runs into a limit of the HTML parser (nesting depth)."),
        Code("DT110", "error", "A feed line is not a feed item: not JSON, not an object, no `content_html`, or a field that is not a string."),
        Code("DT111", "error", "The records of a source break an invariant of the package (a parser bug)."),
        Code("DT112", "error", "A source failed to parse and the build stopped (use --keep-going to skip it)."),
        Code("DT113", "warning", "A speaker has no kind the parser could tell (kind `other`)."),
        Code("DT120", "warning", "A Markdown source's front matter is not a YAML mapping; its body was read without it."),
        Code("DT200", "error", "The sidecar is not valid TOML."),
        Code("DT201", "error", "The sidecar has a key this library does not know."),
        Code("DT202", "error", "A sidecar value is invalid (date, URL, event type, language ...)."),
        Code("DT203", "error", "The file name is not a valid transcript id."),
        Code("DT204", "error", "Two sources have the same transcript id."),
        Code("DT205", "error", "Two sources have the same bytes (sha256) under different names."),
        Code("DT206", "error", "A contributed source is not UTF-8."),
        Code("DT207", "error", "A contributed source is not a transcript."),
        Code("DT208", "warning", "A speaker label in the sidecar matches no label in the transcript."),
        Code("DT209", "error", "A sidecar has no transcript source beside it."),
        Code("DT300", "error", "A generated file differs from what the record models generate."),
        Code("DT301", "error", "The descriptor (datapackage.json) is missing, not JSON, or not a valid Data Package."),
        Code("DT302", "error", "A resource's file is missing, or a file in the package is not a resource."),
        Code("DT303", "error", "A file's size differs from the `bytes` its resource declares."),
        Code("DT304", "error", "A file's sha256 differs from the `hash` its resource declares."),
        Code("DT305", "error", "A resource's file cannot be read as its format (truncated or corrupt Parquet, bad CSV)."),
        Code("DT306", "error", "A table's columns differ from its schema (a column missing, extra or out of order)."),
        Code("DT307", "error", "A value is not of its column's type."),
        Code("DT308", "error", "A required value is missing."),
        Code("DT309", "error", "A primary key or unique value is duplicated."),
        Code("DT310", "error", "A value is not one of its column's allowed values (enum)."),
        Code("DT311", "error", "A value does not match its column's pattern."),
        Code("DT312", "error", "A foreign key points at a row that does not exist."),
        Code("DT313", "error", "A count (in `transcripts`, or `persons.n_transcripts`) differs from the rows it counts."),
        Code("DT314", "error", "A value is below its column's minimum."),
        Code("DT315", "error", "A resource's file is empty."),
        Code("DT316", "error", "A resource's schema differs from the schema this library publishes."),
        Code("DT317", "info", "More findings of this kind were left out (the count is in the message)."),
    )
}


def make_finding(
    code: str,
    message: str,
    *,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
    field: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A Finding with the code's registered severity unless the caller escalates it."""
    registered = CODES[code]
    return Finding(
        code=code,
        severity=severity or registered.severity,
        message=message,
        path=path,
        line=line,
        column=column,
        field=field,
    )
