"""Bytes to source text, the text offsets count in: decoded, BOM removed, nothing else
changed (CRs are kept, so offsets lead back to the file)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..findings import make_finding
from ..records import Finding

BOM = "\ufeff"
# C0 controls other than tab, LF, VT, FF and CR: their presence means binary, not text.
# They are counted by a regex, and only when the bytes hold one: each is one byte, the
# same in UTF-8, cp1252 and latin-1 (a loop over characters cost half a build's time).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])


@dataclass
class Decoded:
    text: str
    sha256: str
    encoding: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def decode_source(data: bytes, *, path: str | None = None) -> Decoded:
    """Decode a source's bytes; problems become findings, never exceptions."""
    sha = hashlib.sha256(data).hexdigest()
    if b"\x00" in data:
        col = data.index(b"\x00")
        line = data.count(b"\n", 0, col) + 1
        return Decoded("", sha, "binary", [make_finding(
            "DT101", "The file holds NUL bytes: it is binary, not a transcript's text.", path=path, line=line,
            column=col - (data.rfind(b"\n", 0, col) + 1) + 1)])
    findings: list[Finding] = []
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
        line = data.count(b"\n", 0, bad) + 1
        column = bad - (data.rfind(b"\n", 0, bad) + 1) + 1
        try:
            text = data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding = "latin-1"
        findings.append(make_finding(
            "DT102", f"The file is not UTF-8 (byte 0x{data[bad]:02x}); it was read as {encoding}. Save it as UTF-8.",
            path=path, line=line, column=column))
    if text.startswith(BOM):
        text = text[1:]
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample)) if len(data.translate(None, _CONTROL_BYTES)) < len(data) else 0
    if controls and controls > max(2, len(sample) // 1000):
        return Decoded("", sha, "binary", [make_finding(
            "DT101", f"The file holds {controls} control characters: it looks binary, not a transcript's text.",
            path=path)])
    if not text.strip():
        findings.append(make_finding("DT100", "The file is empty: there is nothing to parse.", path=path, line=1,
                                     column=1))
    return Decoded(text, sha, encoding, findings)
