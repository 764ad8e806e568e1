"""A package as a ConvoKit corpus folder, written without ConvoKit.

ConvoKit (Cornell's toolkit for conversational analysis) loads a corpus folder of five
files: `utterances.jsonl`, `speakers.json`, `conversations.json`, `corpus.json` and
`index.json`.  The mapping:

- a conversation per transcript: its id is `transcript_id`, its metadata the transcript's
  columns plus `speakers`, the transcript's rows of the speakers table;
- an utterance per turn: id `<transcript_id>/<turn_index>`, `reply_to` the id of the turn
  in `turns.reply_to` (None for an opener), `timestamp` the turn_index (transcripts give no
  time per turn; it orders the turns), `text` the turn's text as published, and metadata:
  the turn's columns, the speaker's label, kind and role in this transcript, and its
  markers (kind, text, value and offsets into the text);
- a speaker per person (`persons.person_id`) for the speakers resolved to one, else per
  speaker of a transcript (`<transcript_id>/<speaker_id>`); metadata: person id, name,
  kinds, and for a per-transcript speaker its label, role and affiliation.

A press briefing holds several exchanges, each opened by a question that answers nothing,
so a conversation can have several utterances with `reply_to` None: ConvoKit's
`check_integrity()` (one root per conversation) reports them; `exchange_index` in the
metadata groups the turns.  Files are ASCII JSON (non-ASCII escaped): ConvoKit opens them
in the locale's encoding.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..version import __version__
from ..records import SpeakerKind
from .output import ExportError, replaced_folder
from .reading import parquet_path, read_descriptor, read_rows

FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
MARK = "diplomatic_transcripts"  # key of corpus.json that says which library wrote the folder
KIND_ORDER = list(SpeakerKind.__args__)  # type: ignore[attr-defined]


@dataclass
class ConvokitReport:
    out: Path
    version: str
    n_conversations: int = 0
    n_utterances: int = 0
    n_speakers: int = 0
    extra: dict = field(default_factory=dict)


def is_our_corpus(folder: Path) -> bool:
    """True when `folder` holds only the files of an earlier export and its corpus.json says so."""
    try:
        names = {p.name for p in folder.iterdir()}
        meta = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return names <= set(FILES) and isinstance(meta, dict) and isinstance(meta.get(MARK), dict)


def speaker_key(transcript_id: str, speaker_id: str, person_id: str | None) -> str:
    """The ConvoKit speaker id of a row of the speakers table."""
    return person_id or f"{transcript_id}/{speaker_id}"


def utterance_id(transcript_id: str, turn_index: int) -> str:
    return f"{transcript_id}/{turn_index}"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class _Index:
    """The types ConvoKit records for each metadata key (`index.json`), as `str(type(value))`."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, list[str]]] = {k: {} for k in ("utterance", "speaker", "conversation", "corpus")}

    def note(self, kind: str, meta: dict) -> dict:
        index = self.types[kind]
        for key, value in meta.items():
            seen = index.setdefault(key, [])
            if value is not None and str(type(value)) not in seen:
                seen.append(str(type(value)))
        return meta

    def to_dict(self) -> dict:
        return {"utterances-index": self.types["utterance"], "speakers-index": self.types["speaker"],
                "conversations-index": self.types["conversation"], "overall-index": self.types["corpus"],
                "version": 1, "vectors": []}


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=True) + "\n", encoding="ascii")


def export_convokit(package: Path, out: Path) -> ConvokitReport:
    """Write the package at `package` (folder or datapackage.json) as a ConvoKit corpus in `out`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder, desc, desc_sha = read_descriptor(Path(package))
    transcripts = read_rows(folder, "transcripts")
    speakers = read_rows(folder, "speakers")
    persons = {p["person_id"]: p for p in read_rows(folder, "persons")}
    markers: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for m in read_rows(folder, "markers"):
        markers[(m["transcript_id"], m["turn_index"])].append(
            {"marker_index": m["marker_index"], "kind": m["kind"], "text": m["text"], "value": m["value"],
             "start": m["start"], "end": m["end"]})
    turns_path = parquet_path(folder, "turns")

    by_key = {(s["transcript_id"], s["speaker_id"]): s for s in speakers}
    index = _Index()
    report = ConvokitReport(Path(out), str(desc.get("version")))

    # speakers: one per person, else one per speaker of a transcript
    kinds: dict[str, Counter] = defaultdict(Counter)
    for s in speakers:
        kinds[speaker_key(s["transcript_id"], s["speaker_id"], s["person_id"])][s["kind"]] += 1
    speaker_objs: dict[str, dict] = {}
    for s in speakers:
        key = speaker_key(s["transcript_id"], s["speaker_id"], s["person_id"])
        if key in speaker_objs:
            continue
        person = persons.get(s["person_id"]) if s["person_id"] else None
        counted = kinds[key]
        kind = max(counted, key=lambda k: (counted[k], -KIND_ORDER.index(k)))
        meta = {
            "person_id": s["person_id"],
            "name": person["name"] if person else s["name"],
            "kind": kind,
            "kinds": sorted(counted, key=KIND_ORDER.index),
            "transcript_id": None if person else s["transcript_id"],
            "speaker_id": None if person else s["speaker_id"],
            "label": None if person else s["label"],
            "role": None if person else s["role"],
            "affiliation": None if person else s["affiliation"],
            "aliases": list(person["aliases"]) if person else None,
            "n_transcripts": person["n_transcripts"] if person else 1,
        }
        speaker_objs[key] = {"meta": index.note("speaker", meta), "vectors": []}

    # conversations: one per transcript
    speakers_of: dict[str, list[dict]] = defaultdict(list)
    for s in speakers:
        speakers_of[s["transcript_id"]].append({
            "speaker_id": s["speaker_id"], "label": s["label"], "label_variants": list(s["label_variants"]),
            "name": s["name"], "role": s["role"], "affiliation": s["affiliation"], "kind": s["kind"],
            "person_id": s["person_id"],
            "speaker": speaker_key(s["transcript_id"], s["speaker_id"], s["person_id"])})
    conversations = {}
    for t in transcripts:
        meta = {k: _jsonable(v) for k, v in t.items() if k != "transcript_id"}
        meta["speakers"] = speakers_of.get(t["transcript_id"], [])
        conversations[t["transcript_id"]] = {"meta": index.note("conversation", meta), "vectors": []}

    with replaced_folder(Path(out), is_our_corpus, "ConvoKit corpus") as tmp:
        try:
            parquet = pq.ParquetFile(turns_path)
            with (tmp / "utterances.jsonl").open("w", encoding="ascii") as f:
                for batch in parquet.iter_batches(batch_size=20_000):
                    for turn in batch.to_pylist():
                        tid, i = turn["transcript_id"], turn["turn_index"]
                        spk = by_key.get((tid, turn["speaker_id"]))
                        if spk is None:
                            raise ExportError(f"turn {i} of {tid} names speaker {turn['speaker_id']!r}, which is "
                                              "not in the speakers table; validate the package")
                        meta = {
                            "turn_index": i, "speaker_id": turn["speaker_id"], "label": turn["label"],
                            "speaker_kind": spk["kind"], "speaker_role": spk["role"], "speaker_name": spk["name"],
                            "reply_to_turn": turn["reply_to"], "exchange_index": turn["exchange_index"],
                            "n_paragraphs": turn["n_paragraphs"], "n_words": turn["n_words"],
                            "is_interrupted": turn["is_interrupted"], "is_continuation": turn["is_continuation"],
                            "is_interpreted": turn["is_interpreted"], "language": turn["language"],
                            "markers": markers.get((tid, i), []),
                        }
                        line = {
                            "id": utterance_id(tid, i),
                            "conversation_id": tid,
                            "text": turn["text"],
                            "speaker": speaker_key(tid, spk["speaker_id"], spk["person_id"]),
                            "meta": index.note("utterance", meta),
                            "reply-to": None if turn["reply_to"] is None else utterance_id(tid, turn["reply_to"]),
                            "timestamp": i,
                            "vectors": [],
                        }
                        f.write(json.dumps(line, ensure_ascii=True) + "\n")
                        report.n_utterances += 1
        except (OSError, pa.ArrowException) as exc:
            raise ExportError(f"{turns_path} cannot be read: {exc}") from None
        _dump(tmp / "speakers.json", speaker_objs)
        _dump(tmp / "conversations.json", conversations)
        own = desc.get("diplomatic_transcripts")
        own = own if isinstance(own, dict) else {}
        corpus_meta = {
            "name": desc.get("name"), "title": desc.get("title"), "version": desc.get("version"),
            "created": desc.get("created"),
            "licenses": [lic.get("title") or lic.get("name") for lic in desc.get("licenses", []) if isinstance(lic, dict)],
            MARK: {"exported_with": __version__, "built_with": own.get("library_version"),
                   "datapackage_sha256": desc_sha,
                   "mapping": "conversation = transcript; utterance = turn, id <transcript_id>/<turn_index>, "
                              "timestamp = turn_index; speaker = person_id, else <transcript_id>/<speaker_id>"},
        }
        _dump(tmp / "corpus.json", index.note("corpus", corpus_meta))
        _dump(tmp / "index.json", index.to_dict())
    report.n_conversations = len(conversations)
    report.n_speakers = len(speaker_objs)
    return report
