"""Stage 9: records — the rows the stages built become pydantic records.

Validating every turn and marker again costs more than finding them: the values are correct
by construction (counts and offsets are non-negative ints, kinds come from closed tables,
flags are bools, texts are str).  What can come from outside the parser is checked here
once per document: the transcript id (a caller's), the speaker ids (slugs of labels), the
languages (a sidecar's, or a marker's code), the speakers' kinds and names (a sidecar's).
When they hold, records are made the way `model_construct` makes them; when one does not,
the rows are validated as they always were, so a bad value fails in the same way.
tests/test_rows.py validates what the fast way makes.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from itertools import repeat
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, TypeAdapter

from ..records import ID_PATTERN, LANGUAGE_PATTERN, Marker, MarkerKind, Speaker, SpeakerKind, Turn

_ID = re.compile(ID_PATTERN)
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_SPEAKER_KINDS = frozenset(get_args(SpeakerKind))
_MARKER_KINDS = frozenset(get_args(MarkerKind))
_TURNS = TypeAdapter(list[Turn])
TURN_FIELDS = tuple(Turn.model_fields)
MARKER_FIELDS = tuple(Marker.model_fields)
SPEAKER_FIELDS = tuple(Speaker.model_fields)
_set = object.__setattr__
M = TypeVar("M", bound=BaseModel)


def is_id(value: object) -> bool:
    """What records.ID_PATTERN accepts (the schema's regex engine anchors `$` at the very end)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


_BASE = BaseModel.__dict__
_SET_FIELDS_SET = _BASE["__pydantic_fields_set__"].__set__
_SET_EXTRA = _BASE["__pydantic_extra__"].__set__
_SET_PRIVATE = _BASE["__pydantic_private__"].__set__


def _made(model: type[M], rows: list[dict[str, Any]]) -> list[M]:
    """Records from rows holding every field in declaration order, as model_construct makes them
    (its four assignments, made for all rows at once by C-level loops).  Every field is set, so
    the records of one call share one set of set fields: pydantic only ever adds a field's
    name to it (on assignment), which changes nothing, and copies it for a record's copy."""
    n = len(rows)
    fields = set(rows[0]) if rows else set()
    if n < 16:  # a few rows: one loop costs less than setting up five
        made = []
        for row in rows:
            m = model.__new__(model)
            _set(m, "__dict__", row)
            _SET_FIELDS_SET(m, fields)
            _SET_EXTRA(m, None)
            _SET_PRIVATE(m, None)
            made.append(m)
        return made
    out = list(map(model.__new__, repeat(model, n)))
    deque(map(_set, out, repeat("__dict__"), rows), 0)
    deque(map(_SET_FIELDS_SET, out, repeat(fields)), 0)
    deque(map(_SET_EXTRA, out, repeat(None)), 0)
    deque(map(_SET_PRIVATE, out, repeat(None)), 0)
    return out


def _turn_row(transcript_id: str, turn_index: int, speaker_id: str, label: str | None, text: str, n_paragraphs: int,
              n_words: int, is_interrupted: bool, is_continuation: bool, language: str, is_interpreted: bool,
              reply_to: int | None, exchange_index: int | None, source_start: int, source_end: int) -> dict[str, Any]:
    return {"transcript_id": transcript_id, "turn_index": turn_index, "speaker_id": speaker_id, "label": label,
            "text": text, "n_paragraphs": n_paragraphs, "n_words": n_words, "is_interrupted": is_interrupted,
            "is_continuation": is_continuation, "language": language, "is_interpreted": is_interpreted,
            "reply_to": reply_to, "exchange_index": exchange_index, "source_start": source_start,
            "source_end": source_end}


def _self_check() -> bool:
    """The fast way makes what validation makes, with this pydantic (else: validate always)."""
    row: dict[str, Any] = {"transcript_id": "t", "turn_index": 0, "speaker_id": "s", "label": "Q", "text": "Hi.", "n_paragraphs": 1,
           "n_words": 1, "is_interrupted": False, "is_continuation": False, "language": "en",
           "is_interpreted": False, "reply_to": None, "exchange_index": None, "source_start": 0, "source_end": 3}
    try:
        made, valid = _made(Turn, [dict(row)])[0], Turn.model_validate(row)
        return (list(row) == list(TURN_FIELDS) and list(_turn_row(**row)) == list(TURN_FIELDS) and made == valid and list(made.__dict__) == list(valid.__dict__)
                and made.model_fields_set == valid.model_fields_set and made.model_dump() == valid.model_dump())
    except Exception:  # noqa: BLE001 - any surprise means: validate
        return False


FAST = _self_check()


def markers(rows: list[dict[str, Any]]) -> list[Marker]:
    """Marker records from stage 6's rows (one document's: one transcript id)."""
    if not rows:
        return []
    if FAST and is_id(rows[0]["transcript_id"]) and {r["kind"] for r in rows} <= _MARKER_KINDS:
        return _made(Marker, rows)
    return [Marker(**r) for r in rows]


def turns(tid: str, columns: tuple[Sequence[Any], ...]) -> list[Turn]:
    """Turn records from columns in the order of TURN_FIELDS after the transcript id."""
    rows = list(map(_turn_row, repeat(tid), *columns))
    speaker_ids, languages, n_words = columns[1], columns[8], columns[5]
    if (FAST and is_id(tid) and all(map(is_id, set(speaker_ids))) and min(n_words, default=0) >= 0
            and all(isinstance(x, str) and _LANGUAGE.fullmatch(x) for x in set(languages))):
        return _made(Turn, rows)
    return _TURNS.validate_python(rows)


def speakers(tid: str, drafts: list[tuple], *, outside_facts: bool) -> list[Speaker]:
    """Speaker records from (speaker_id, label, label_variants, name, role, affiliation, kind,
    person_id) tuples.  Labels, names and roles are str and person ids slugs by construction;
    `outside_facts`: a sidecar (a caller's object) gave names, roles or kinds, so their types
    are checked too."""
    rows = [dict(zip(SPEAKER_FIELDS, (tid, *d))) for d in drafts]
    if FAST and is_id(tid) and all(map(is_id, [d[0] for d in drafts])) and {d[6] for d in drafts} <= _SPEAKER_KINDS \
            and (not outside_facts or all(
                all(isinstance(r[f], str) or r[f] is None for f in ("label", "name", "role", "affiliation"))
                and (r["person_id"] is None or is_id(r["person_id"])) for r in rows)):
        return _made(Speaker, rows)
    return [Speaker(**r) for r in rows]
