"""Which inputs a build reads, and the transcript id each one gets.

A text or HTML file is one input, named by its file stem; a feed export (.jsonl) is one
input per line, named by its link's URL slug.  When two inputs give the same id, the later
one (by date, then path) gets its date appended (`-2022-03-06`), so ids never depend on what
the parser makes of the text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..dates import feed_date, parse_date
from ..ids import id_from_stem, id_from_url

TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".jsonl",)
SOURCE_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES


@dataclass
class Unit:
    """One input of a build: a file, or one line of a feed file."""

    kind: str  # text | markdown | html | feed
    path: str
    transcript_id: str
    line: int | None = None  # feed: 1-based line of the item
    offset: int = 0  # feed: where the item's line starts in the file
    length: int = 0  # feed: its length in bytes (read by the worker, so plans stay small)
    date_hint: dt.date | None = None

    def read_payload(self) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            return f.read(self.length)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def source_files(target: Path) -> list[Path]:
    """The source files of a folder (sorted by name), or the file itself.

    A folder's entries say whether they are files without a stat each (a build of 26,000
    files plans in half the time), and names sort as the paths would: one folder."""
    if target.is_dir():
        with os.scandir(target) as entries:
            found = [Path(e.path) for e in entries if e.is_file() and Path(e.name).suffix.lower() in SOURCE_SUFFIXES]
        return sorted(found, key=_name)
    return [target]


def _name(path: Path) -> str:
    return path.name


def plan_units(targets: list[Path]) -> list[Unit]:
    """Every input of the given files and folders, in order, with unique transcript ids."""
    units: list[Unit] = []
    for target in targets:
        for path in source_files(target):
            suffix = path.suffix.lower()
            if suffix in FEED_SUFFIXES:
                with path.open("rb") as f:
                    offset = 0
                    for number, raw in enumerate(f, 1):
                        start, offset = offset, offset + len(raw)
                        if not raw.strip():
                            continue
                        link, date = None, None
                        try:
                            item = json.loads(raw)
                            if isinstance(item, dict):
                                link, date = item.get("link"), feed_date(item.get("pub_date"))
                        except (ValueError, RecursionError):
                            pass  # the parser reports the line; here it only needs an id
                        tid = id_from_url(link) if isinstance(link, str) and link else f"{id_from_stem(path.stem)}-{number}"
                        units.append(Unit("feed", str(path), tid or f"item-{number}", number, start, len(raw), date))
            else:
                kind = "html" if suffix in HTML_SUFFIXES else "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
                units.append(Unit(kind, str(path), id_from_stem(path.stem) or "transcript"))
    return assign_unique_ids(units)


def assign_unique_ids(units: list[Unit]) -> list[Unit]:
    groups: dict[str, list[Unit]] = {}
    for u in units:
        groups.setdefault(u.transcript_id, []).append(u)
    taken = set(groups)
    for tid, group in groups.items():
        if len(group) < 2:
            continue
        for u in group:
            if u.date_hint is None and u.kind != "feed":
                u.date_hint = _text_date(Path(u.path))
        group.sort(key=lambda u: (u.date_hint or dt.date.max, u.path, u.line or 0))
        for u in group[1:]:
            base = f"{tid}-{u.date_hint.isoformat()}" if u.date_hint else f"{tid}-{u.line or 2}"
            new, n = base, 2
            while new in taken:
                new, n = f"{base}-{n}", n + 1
            taken.add(new)
            u.transcript_id = new
    return units


def _text_date(path: Path) -> dt.date | None:
    """The date a colliding source gives without parsing it: its sidecar's `date`, else the
    first line among its first few that is only a date."""
    import tomllib

    side = path.with_suffix(".toml")
    try:
        value = tomllib.loads(side.read_text(encoding="utf-8")).get("date") if side.is_file() else None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        value = None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        with path.open("r", encoding="utf-8", errors="replace") as f:
            head = [line.strip(" \t\r\n\u00a0\ufeff") for _, line in zip(range(40), f)]
    except OSError:
        return None
    for line in head:
        if line and (found := parse_date(line, whole_line=True)):
            return found
    return None
