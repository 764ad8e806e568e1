"""What parsing one source gives: the records of its tables and the findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Finding, Marker, Speaker, Transcript, Turn


@dataclass
class ParseResult:
    transcript: Transcript | None
    speakers: list[Speaker] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source_text: str = ""
    # How each non-blank source line was accounted for: (1-based line, role). Roles are
    # header fields (title, principal, place ...), "turn" or "skipped" (non-transcripts).
    line_roles: list[tuple[int, str]] = field(default_factory=list)
    path: str | None = None

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
