"""Parsing files: read a source's bytes and its sidecar, pick the parser by form.

A text or HTML file is one input; a feed file (.jsonl) is one input per item.  So
`parse_file` (one file, one result) refuses a feed file and a folder, and `parse_source`
(one file, a list of results) serves every form.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING

from ..findings import make_finding
from ..sources.decode import decode_source
from ..sources.sidecar import Sidecar, read_sidecar, sidecar_path
from ..records import ParseResult
from .text import parse_text

if TYPE_CHECKING:
    from ..sources.discover import Unit

def read_sidecar_for(path: Path) -> Sidecar | None:
    side = sidecar_path(path)
    return read_sidecar(side) if side.is_file() and side != path else None


class FeedFileError(ValueError):
    """`parse_file` was given a feed export, which holds one input per item."""


def parse_file(path: str | Path) -> ParseResult:
    """Parse one text or HTML source (and its `<stem>.toml` sidecar) into records.

    Raises OSError when the file cannot be opened (IsADirectoryError for a folder), and
    FeedFileError for a feed export (.jsonl): its items are several inputs, which
    `parse_source` returns one by one.  Everything else is a finding.
    """
    from ..sources.discover import FEED_SUFFIXES

    p = Path(path)
    _refuse_folder(p, "parse_file")
    if p.suffix.lower() in FEED_SUFFIXES:
        raise FeedFileError(f"{p} is a feed export, one input per line; parse_file reads one input: use "
                            "parse_source(path), which returns the records of every item in order")
    return parse_source(p)[0]


def _refuse_folder(p: Path, caller: str) -> None:
    if p.is_dir():
        raise IsADirectoryError(errno.EISDIR, f"a folder, and {caller} reads one file: give each file of it", str(p))


def parse_source(path: str | Path) -> list[ParseResult]:
    """All record sets of one source file, in order: one for a text or HTML file, one per
    item for a feed export (.jsonl).  Raises OSError when the file cannot be opened
    (IsADirectoryError for a folder)."""
    from ..sources.discover import plan_units

    _refuse_folder(Path(path), "parse_source")
    results = [r for unit in plan_units([Path(path)]) for r in parse_unit(unit)]
    return results or [ParseResult(None, findings=[make_finding(
        "DT100", "The feed file has no items.", path=str(path), line=1, column=1)], path=str(path))]


def parse_unit(unit: Unit) -> list[ParseResult]:
    """The record sets of one input (a file, or a feed line), named by the id its plan gave it.

    Raises OSError when the file cannot be read; everything else is a finding."""
    if unit.kind == "feed":
        from .web import parse_feed_line  # HTML needs lxml; only load it when asked

        return [parse_feed_line(unit.read_payload(), path=unit.path, line=unit.line or 1,
                                source_id=unit.transcript_id)]
    path = Path(unit.path)
    if unit.kind == "markdown":
        from .markdown import parse_markdown_bytes

        return [parse_markdown_bytes(path.read_bytes(), path=unit.path, source_id=unit.transcript_id,
                                     sidecar=read_sidecar_for(path))]
    if unit.kind == "html":
        from .web import parse_html_bytes

        return [parse_html_bytes(path.read_bytes(), path=unit.path, source_id=unit.transcript_id,
                                 sidecar=read_sidecar_for(path))]
    return [parse_text_bytes(path.read_bytes(), path=unit.path, source_id=unit.transcript_id,
                             sidecar=read_sidecar_for(path))]


def parse_text_bytes(data: bytes, *, path: str | None, source_id: str, sidecar: Sidecar | None) -> ParseResult:
    decoded = decode_source(data, path=path)
    findings = list(decoded.findings) + (list(sidecar.findings) if sidecar else [])
    if not decoded.ok or not decoded.text.strip():
        if not decoded.findings:
            findings.append(make_finding("DT100", "The file is empty: there is nothing to parse.", path=path))
        return ParseResult(None, findings=findings, source_text=decoded.text, path=path)
    return parse_text(decoded.text, source_id=source_id, sidecar=sidecar, path=path, sha256=decoded.sha256,
                      findings=findings)
