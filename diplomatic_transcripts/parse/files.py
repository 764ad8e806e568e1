"""Parsing files: read a source's bytes and its sidecar, pick the parser by form.

A text or HTML file is one input; a feed file (.jsonl) is one input per item.
"""

from __future__ import annotations

from pathlib import Path

from ..findings import make_finding
from ..ids import id_from_stem
from ..sources.decode import decode_source
from ..sources.sidecar import Sidecar, read_sidecar, sidecar_path
from .result import ParseResult
from .text import parse_text

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def read_sidecar_for(path: Path) -> Sidecar | None:
    side = sidecar_path(path)
    return read_sidecar(side) if side.is_file() and side != path else None


def parse_file(path: str | Path) -> ParseResult:
    """Parse one text source (and its `<stem>.toml` sidecar) into records.

    Raises OSError when the file cannot be opened; everything else is a finding.
    """
    results = parse_source(path)
    return results[0]


def parse_source(path: str | Path) -> list[ParseResult]:
    """All record sets of one source file, in order (one, except for feed files)."""
    p = Path(path)
    data = p.read_bytes()
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".html", ".htm"):
        from .web import parse_web_source  # HTML needs lxml; only load it when asked

        return parse_web_source(p, data)
    return [parse_text_bytes(data, path=str(p), source_id=id_from_stem(p.stem), sidecar=read_sidecar_for(p))]


def parse_text_bytes(data: bytes, *, path: str | None, source_id: str, sidecar: Sidecar | None) -> ParseResult:
    decoded = decode_source(data, path=path)
    findings = list(decoded.findings) + (list(sidecar.findings) if sidecar else [])
    if not decoded.ok or not decoded.text.strip():
        if not decoded.findings:
            findings.append(make_finding("DT100", "The file is empty: there is nothing to parse.", path=path))
        return ParseResult(None, findings=findings, source_text=decoded.text, path=path)
    return parse_text(decoded.text, source_id=source_id, sidecar=sidecar, path=path, sha256=decoded.sha256,
                      findings=findings)
