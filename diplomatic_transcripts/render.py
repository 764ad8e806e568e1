"""Readable renderings for people: a parse result, and findings as `path:line:column`."""

from __future__ import annotations

import textwrap

from .records import ParseResult
from .records import Finding


def finding_line(f: Finding) -> str:
    where = ":".join(str(x) for x in (f.path or "<input>", f.line, f.column) if x is not None)
    return f"{where}: {f.code} {f.severity}: {f.message}"


_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}


def _source_line(path: str | None, line: int | None) -> str | None:
    """The text of a line of a text source, for showing a caret under a finding."""
    if not path or not line or not path.endswith((".txt", ".toml", ".html", ".htm")):
        return None
    try:
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                if number == line:
                    return raw.decode("utf-8", errors="replace").rstrip("\r\n")
    except OSError:
        return None
    return None


def finding_text(f: Finding, *, colour: bool = False) -> str:
    """`path:line:column: DT123 error: message`, then the line and a caret under the column."""
    head = finding_line(f)
    if colour:
        c = _COLOURS.get(f.severity, "")
        head = head.replace(f"{f.code} {f.severity}:", f"{c}{f.code} {f.severity}:\033[0m", 1)
    text = _source_line(f.path, f.line)
    if text is None:
        return head
    shown = text if len(text) <= 160 else text[: 157] + "..."
    caret = " " * max((f.column or 1) - 1, 0) + "^"
    if (f.column or 1) > len(shown) + 1:
        caret = "^"
    return f"{head}\n    {shown}\n    {caret}"


def finding_github(f: Finding) -> str:
    """A GitHub Actions workflow command that annotates the pull request."""
    level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
    props = [f"file={f.path}"] if f.path else []
    if f.line:
        props.append(f"line={f.line}")
    if f.column:
        props.append(f"col={f.column}")
    props.append(f"title={f.code}")
    message = f"{f.code} {f.message}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} {','.join(p.replace(',', '%2C').replace('::', '%3A%3A') for p in props)}::{message}"


def render_result(r: ParseResult) -> str:
    out: list[str] = []
    t = r.transcript
    if t is None:
        out.append(f"{r.path or '<input>'}: not a transcript")
    else:
        out.append(f"{t.transcript_id}: {t.title or '(no title)'}")
        facts = [
            ("event", t.event_type), ("date", f"{t.date} ({t.date_source})" if t.date else None),
            ("time", t.time_text), ("principal", ", ".join(x for x in (t.principal_name, t.principal_role) if x)),
            ("place", ", ".join(x for x in (t.city, t.country) if x) + (f" [{t.country_code}]" if t.country_code else "")
             if (t.city or t.country) else ("virtual" if t.is_virtual else None)),
            ("venue", t.venue), ("outlet", t.outlet), ("interviewer", t.interviewer), ("occasion", t.occasion),
            ("counts", f"{t.n_turns} turns, {t.n_speakers} speakers, {t.n_markers} markers, {t.n_words} words"),
        ]
        out += [f"  {k:<11} {v}" for k, v in facts if v]
        out.append("  speakers:")
        for s in r.speakers:
            desc = ", ".join(x for x in (s.name, s.role, s.affiliation) if x)
            variants = f" (also {', '.join(s.label_variants[1:])})" if len(s.label_variants) > 1 else ""
            out.append(f"    {s.speaker_id:<28} {s.kind:<12} {s.label or '(no label)'}{variants}{' — ' + desc if desc else ''}")
        out.append("  turns:")
        by_turn: dict[int, list[str]] = {}
        for m in r.markers:
            by_turn.setdefault(m.turn_index, []).append(f"{m.kind}{'=' + m.value if m.value else ''}")
        for turn in r.turns:
            flags = "".join(c for c, on in (("<", turn.is_continuation), (">", turn.is_interrupted),
                                             ("i", turn.is_interpreted)) if on)
            head = f"    {turn.turn_index:>4} {turn.label or '(no label)'}{' [' + flags + ']' if flags else ''}: "
            body = textwrap.shorten(turn.text.replace("\n", " "), width=max(20, 100 - len(head)), placeholder=" …")
            marks = f"  {{{', '.join(by_turn[turn.turn_index])}}}" if turn.turn_index in by_turn else ""
            out.append(head + body + marks)
    if r.findings:
        out.append("  findings:")
        out += ["    " + finding_line(f) for f in r.findings]
    return "\n".join(out)
