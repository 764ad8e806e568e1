"""The Datasette plugin of `diplomatic-transcripts browse`.

It links transcript ids to the page that reads a transcript as the conversation, and gives
that page's template `dt_paragraphs`, which cuts a turn's text into paragraphs of plain
text and markers (so `(Inaudible.)` is set apart from the words spoken).  Datasette loads
it from the plugins folder `browse` hands it (a one-line file importing this module).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from markupsafe import Markup, escape

DATABASE = "diplomatic-transcripts"
CONVERSATION = "conversation"
# Views (and tables) whose transcript_id cell opens the conversation, at the turn when the row has one.
LINKED = {"transcript_list", "turn_search", "transcripts"}


def conversation_url(base: str, transcript_id: str, turn_index: int | None = None) -> str:
    url = f"{base}{DATABASE}/{CONVERSATION}?transcript_id={quote(transcript_id, safe='')}"
    return url + (f"#turn-{turn_index}" if turn_index is not None else "")


def paragraphs(text: str, markers: Any) -> list[list[dict]]:
    """The text of a turn as paragraphs (split at blank lines) of segments
    `{"text": ..., "marker": kind or None}`; `markers` is the JSON list of the turn's markers
    with `start`, `end` (offsets in `text`) and `kind`.  Joining every segment of every
    paragraph with blank lines between paragraphs gives back `text`."""
    if isinstance(markers, str):
        try:
            markers = json.loads(markers)
        except ValueError:
            markers = []
    spans = []
    for m in markers if isinstance(markers, list) else []:
        try:
            start, end = int(m["start"]), int(m["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(text):
            spans.append((start, end, str(m.get("kind") or "other")))
    spans.sort()
    segments: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, kind in spans:
        if start < pos:  # overlapping markers: keep the first
            continue
        if start > pos:
            segments.append((text[pos:start], None))
        segments.append((text[start:end], kind))
        pos = end
    if pos < len(text) or not segments:
        segments.append((text[pos:], None))
    out: list[list[dict]] = [[]]
    for piece, marker in segments:
        if marker is not None:
            out[-1].append({"text": piece, "marker": marker})
            continue
        for k, part in enumerate(piece.split("\n\n")):
            if k:
                out.append([])
            if part:
                out[-1].append({"text": part, "marker": None})
    return [p for p in out if p] or [[{"text": "", "marker": None}]]


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["dt_paragraphs"] = paragraphs
    env.filters["dt_json"] = lambda value: json.loads(value) if isinstance(value, str) and value else []


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if database != DATABASE or table not in LINKED or column != "transcript_id" or not isinstance(value, str):
        return None
    keys = row.keys() if hasattr(row, "keys") else []
    turn = row["turn_index"] if "turn_index" in keys else None
    url = conversation_url(datasette.urls.instance(), value, turn)
    label = f"{value} · turn {turn}" if turn is not None else value
    return Markup(f'<a class="dt-conversation-link" href="{escape(url)}">{escape(label)}</a>')
