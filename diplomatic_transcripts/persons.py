"""Persons across transcripts.

A person id is the slug of a resolved name — first and last names, without honorifics or
middle initials, so `Antony J. Blinken` and `Antony Blinken` are one person — and never of
a bare label: MS SMITH in two events is two people unless their names resolve to one.

In a built package one more step runs: a speaker whose transcript prints no name for its
label (MR PRICE at a press availability) takes the person that *same label* resolves to
elsewhere in the package, when it resolves to exactly one person and the transcript falls
within the period that person was printed under that label.  Generic labels (QUESTION,
MODERATOR ...) never resolve this way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .ids import label_key
from .records import ROLE_KINDS

WINDOW = dt.timedelta(days=366)


@dataclass
class _Seen:
    names: Counter = field(default_factory=Counter)
    aliases: set = field(default_factory=set)
    transcripts: set = field(default_factory=set)  # distinct transcript ids: named or resolved there
    first: dt.date | None = None
    last: dt.date | None = None
    roles: dict = field(default_factory=dict)  # role -> [first, last, set of transcript ids]


def _span(first: dt.date | None, last: dt.date | None, date: dt.date | None) -> tuple:
    if date is None:
        return first, last
    return (date if first is None or date < first else first), (date if last is None or date > last else last)


class PersonIndex:
    """Gathers persons from speaker rows as the build streams them, then resolves labels."""

    def __init__(self) -> None:
        self.people: dict[str, _Seen] = {}
        # label key -> person id -> (first date, last date) the label was printed for that person
        self.label_people: dict[str, dict[str, list]] = {}

    def add(self, speaker: dict, date: dt.date | None) -> None:
        pid = speaker.get("person_id")
        if not pid:
            return
        seen = self.people.setdefault(pid, _Seen())
        seen.names[speaker["name"]] += 1
        seen.transcripts.add(speaker["transcript_id"])
        seen.first, seen.last = _span(seen.first, seen.last, date)
        for variant in speaker.get("label_variants") or []:
            seen.aliases.add(variant)
            key = label_key(variant)
            if speaker.get("kind") in ROLE_KINDS:
                continue
            span = self.label_people.setdefault(key, {}).setdefault(pid, [None, None])
            span[0], span[1] = _span(span[0], span[1], date)
        if speaker.get("role"):
            r = seen.roles.setdefault(speaker["role"], [None, None, set()])
            r[0], r[1] = _span(r[0], r[1], date)
            r[2].add(speaker["transcript_id"])

    def resolve(self, speaker: dict, date: dt.date | None) -> str | None:
        """The person an unnamed speaker's label resolves to in this package, if exactly one."""
        if speaker.get("person_id") or speaker.get("name") or not speaker.get("label"):
            return speaker.get("person_id")
        if speaker.get("kind") in ROLE_KINDS:
            return None
        candidates = self.label_people.get(label_key(speaker["label"]), {})
        if len(candidates) != 1:
            return None
        (pid, (first, last)), = candidates.items()
        if date is not None and first is not None and not (first - WINDOW <= date <= last + WINDOW):
            return None
        return pid

    def note_resolved(self, speaker: dict, pid: str, date: dt.date | None) -> None:
        """Count an inferred speaker towards the person's transcripts, dates and aliases."""
        seen = self.people[pid]
        seen.transcripts.add(speaker["transcript_id"])
        seen.first, seen.last = _span(seen.first, seen.last, date)
        seen.aliases.update(speaker.get("label_variants") or [])

    def persons_rows(self) -> list[dict]:
        rows = []
        for pid in sorted(self.people):
            seen = self.people[pid]
            name = sorted(seen.names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            aliases = sorted((set(seen.names) | seen.aliases) - {name})
            rows.append({"person_id": pid, "name": name, "aliases": aliases, "n_transcripts": len(seen.transcripts),
                         "first_seen": seen.first, "last_seen": seen.last})
        return rows

    def role_rows(self) -> list[dict]:
        rows = []
        for pid in sorted(self.people):
            for role in sorted(self.people[pid].roles):
                first, last, transcripts = self.people[pid].roles[role]
                rows.append({"person_id": pid, "role": role, "first_seen": first, "last_seen": last,
                             "n_transcripts": len(transcripts)})
        return rows
