"""Sidecars: `<stem>.toml` beside a source, holding the facts its text lacks.

The raw text is never edited to add a fact; the facts live here, and `parse` and `build`
read both.  Known keys only: a typo is an error, not a silently ignored fact.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from ..findings import make_finding
from ..ids import label_key
from ..records import EventType, Finding, SpeakerFacts, SpeakerKind

TOP_KEYS = {
    "source_url": "URL of the published page",
    "date": "date of the event (YYYY-MM-DD)",
    "event_type": "one of " + ", ".join(get_args(EventType)),
    "language": "main language (BCP 47, e.g. en, es)",
    "occasion": "the wider event this one belonged to",
    "publisher": "who published the transcript (e.g. U.S. Department of State)",
    "title": "title, when the text prints none",
    "speakers": 'table of per-label facts: [speakers."LABEL"]',
}
SPEAKER_KEYS = {"name", "role", "affiliation", "kind"}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass
class Sidecar:
    path: str | None = None
    source_url: str | None = None
    date: dt.date | None = None
    event_type: EventType | None = None
    language: str | None = None
    occasion: str | None = None
    publisher: str | None = None
    title: str | None = None
    speakers: dict[str, SpeakerFacts] = field(default_factory=dict)  # by label_key
    speaker_labels: dict[str, str] = field(default_factory=dict)  # label_key -> label as written
    findings: list[Finding] = field(default_factory=list)


def sidecar_path(source: Path) -> Path:
    return source.with_suffix(".toml")


def _line_of(text: str, key: str) -> int | None:
    m = re.search(rf"^\s*(?:\"{re.escape(key)}\"|{re.escape(key)})\s*=|^\s*\[speakers\.\"?{re.escape(key)}\"?\]", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def read_sidecar(path: Path) -> Sidecar:
    """Read and check a sidecar; every problem is a finding with its line."""
    p = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Sidecar(p, findings=[make_finding("DT200", "The sidecar is not UTF-8 text.", path=p, line=1)])
    except OSError as exc:
        return Sidecar(p, findings=[make_finding("DT200", f"The sidecar cannot be read: {exc.strerror}.", path=p)])
    return parse_sidecar(text, path=p)


def parse_sidecar(text: str, *, path: str | None = None) -> Sidecar:
    sc = Sidecar(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        sc.findings.append(make_finding("DT200", "The sidecar is not valid TOML: its values are nested too deeply.",
                                        path=path, line=1))
        return sc
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        sc.findings.append(make_finding(
            "DT200", f"The sidecar is not valid TOML: {str(exc).split(' (at')[0]}.", path=path,
            line=int(m.group(1)) if m else None, column=int(m.group(2)) if m else None))
        return sc

    def bad(key: str, message: str, code: str = "DT202") -> None:
        sc.findings.append(make_finding(code, message, path=path, line=_line_of(text, key), column=1, field=key))

    for key, value in data.items():
        if key not in TOP_KEYS:
            known = ", ".join(sorted(TOP_KEYS))
            bad(key, f"Unknown sidecar key `{key}`; the known keys are {known}.", "DT201")
            continue
        if key == "speakers":
            if not isinstance(value, dict):
                bad(key, '`speakers` must be a table of labels: [speakers."QUESTION"] name = "...".')
                continue
            for label, facts in value.items():
                if not isinstance(facts, dict):
                    bad(label, f'[speakers."{label}"] must be a table of name, role, affiliation, kind.')
                    continue
                unknown = set(facts) - SPEAKER_KEYS
                if unknown:
                    bad(label, f'Unknown key(s) {", ".join(sorted(unknown))} for speaker "{label}"; known: '
                        f'{", ".join(sorted(SPEAKER_KEYS))}.', "DT201")
                kind = facts.get("kind")
                if kind is not None and kind not in get_args(SpeakerKind):
                    bad(label, f'Speaker kind "{kind}" is not one of {", ".join(get_args(SpeakerKind))}.')
                    kind = None
                strs = {k: v for k, v in facts.items() if k in ("name", "role", "affiliation")}
                if any(not isinstance(v, str) for v in strs.values()):
                    bad(label, f'Speaker "{label}": name, role and affiliation must be strings.')
                    continue
                sc.speakers[label_key(label)] = SpeakerFacts(strs.get("name"), strs.get("role"), strs.get("affiliation"), kind)
                sc.speaker_labels[label_key(label)] = label
            continue
        if key == "date":
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    pass
            if not isinstance(value, dt.date):
                bad(key, f"`date` must be a date such as 2021-10-08, not {value!r}.")
                continue
            sc.date = value
        elif not isinstance(value, str):
            bad(key, f"`{key}` must be a string ({TOP_KEYS[key]}).")
        elif key == "source_url" and not _URL.match(value):
            bad(key, f"`source_url` is not an http(s) URL: {value!r}.")
        elif key == "event_type" and value not in get_args(EventType):
            bad(key, f"`event_type` {value!r} is not one of {', '.join(get_args(EventType))}.")
        elif key == "language" and not _LANG.match(value):
            bad(key, f"`language` {value!r} is not a BCP 47 tag such as en or es-MX.")
        else:
            setattr(sc, key, value)
    return sc
