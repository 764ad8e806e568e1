"""Readable renderings for people: a parse result, and findings as `path:line:column`."""

from __future__ import annotations

import textwrap

from .parse.result import ParseResult
from .records import Finding


def finding_line(f: Finding) -> str:
    where = ":".join(str(x) for x in (f.path or "<input>", f.line, f.column) if x is not None)
    return f"{where}: {f.code} {f.severity}: {f.message}"


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
