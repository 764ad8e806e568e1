"""What parsing one source gives: the records of its tables and the findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Finding, Marker, Speaker, Transcript, Turn


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
        """The object of DESIGN.md's parse contract: keys are exactly the table columns."""
        return {
            "transcript": self.transcript.model_dump(mode="json") if self.transcript else None,
            "speakers": [s.model_dump(mode="json") for s in self.speakers],
            "turns": [t.model_dump(mode="json") for t in self.turns],
            "markers": [m.model_dump(mode="json") for m in self.markers],
            "findings": [f.model_dump(mode="json") for f in self.findings],
        }
