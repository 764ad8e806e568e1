"""Contribution rules for sources (CONTRIBUTING.md): what `parse` forgives, `validate` does not.

A contributed source must be UTF-8, a transcript, parse without errors, be named by its
own valid and unique transcript id, and have a valid sidecar; what deserves a look (same
speaker twice, unbalanced parentheses, unknown markers, no date, a speaker of no kind) is
a warning.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..findings import make_finding
from ..ids import id_from_stem, is_valid_id
from ..parse.files import parse_unit, read_sidecar_for
from ..ids import label_key
from ..records import Finding
from ..sources.discover import SOURCE_SUFFIXES, plan_units
from ..sources.sidecar import read_sidecar

# parse findings that a contribution turns into errors, and the code they become
_ESCALATE = {"DT102": "DT206", "DT103": "DT207"}
_WARN = {"DT108"}  # info in parse, a warning for a contribution


def validate_source(path: Path) -> tuple[list[Finding], list[tuple[str, str, str]]]:
    """Findings for one source file, and its (transcript id, sha256, path) entries for the
    cross-file checks (a feed file has one per item)."""
    findings: list[Finding] = []
    entries: list[tuple[str, str, str]] = []
    p = str(path)
    stem_id = id_from_stem(path.stem)
    if path.suffix.lower() != ".jsonl" and (path.stem != stem_id or not is_valid_id(path.stem)):
        findings.append(make_finding(
            "DT203", f"The file name {path.name!r} is not a transcript id; name it {stem_id or 'a-valid-id'}"
            f"{path.suffix} (lowercase letters, digits and single hyphens).", path=p, line=1, column=1))
    for unit in plan_units([path]):
        for r in parse_unit(unit):
            for f in r.findings:
                if f.code in _ESCALATE:
                    message = {"DT206": "A contributed source must be UTF-8: " + f.message,
                               "DT207": "A contributed source must be a transcript: " + f.message}[_ESCALATE[f.code]]
                    findings.append(f.model_copy(update={"code": _ESCALATE[f.code], "severity": "error",
                                                         "message": message}))
                elif f.code in _WARN:
                    findings.append(f.model_copy(update={"severity": "warning"}))
                else:
                    findings.append(f)
            if r.transcript is not None:
                for s in r.speakers:
                    if s.kind == "other":
                        findings.append(make_finding(
                            "DT113", f"Speaker {s.label!r} has no kind the parser could tell; add "
                            f'[speakers."{s.label}"] kind = "..." to the sidecar.', path=r.path or p))
                entries.append((r.transcript.transcript_id, r.transcript.source_sha256, r.path or p))
                sidecar = read_sidecar_for(path) if unit.kind != "feed" else None
                if sidecar:
                    printed = {label_key(v) for s in r.speakers for v in s.label_variants}
                    for key, label in sidecar.speaker_labels.items():
                        if key not in printed:
                            findings.append(make_finding(
                                "DT208", f'The sidecar describes speaker "{label}", but the transcript prints no such '
                                "label.", path=sidecar.path, field=label))
    if path.suffix.lower() != ".jsonl" and not entries:
        entries.append((stem_id, hashlib.sha256(path.read_bytes()).hexdigest(), p))
    return findings, entries


def validate_sidecar(path: Path) -> list[Finding]:
    side = read_sidecar(path)
    findings = list(side.findings)
    if not any(path.with_suffix(s).is_file() for s in SOURCE_SUFFIXES if s != ".jsonl"):
        findings.append(make_finding(
            "DT209", f"{path.name} has no transcript beside it (expected {path.stem}.txt or {path.stem}.html).",
            path=str(path), line=1, column=1))
    return findings


def cross_check(entries: list[tuple[str, str, str]]) -> list[Finding]:
    """Duplicate ids and duplicate bytes across the given sources."""
    findings: list[Finding] = []
    by_id: dict[str, str] = {}
    by_sha: dict[str, str] = {}
    for tid, sha, where in entries:
        if tid in by_id and by_id[tid] != where:
            findings.append(make_finding(
                "DT204", f"Transcript id {tid!r} is also the id of {by_id[tid]}; rename one of them.", path=where,
                line=1, column=1))
        by_id.setdefault(tid, where)
        if sha in by_sha and by_sha[sha] != where:
            findings.append(make_finding(
                "DT205", f"This source has the same bytes as {by_sha[sha]}: the same transcript twice.", path=where,
                line=1, column=1))
        by_sha.setdefault(sha, where)
    return findings
