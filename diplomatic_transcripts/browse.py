"""`diplomatic-transcripts browse`: a package in the browser, on Datasette.

The package is exported to SQLite (`export.sqlite`) once per descriptor — in the cache,
under `.browse/<name>-<version>-<sha256 of datapackage.json>-<layout>/` — with two views for
browsing: `transcript_list` (with the year), `turn_search` (each turn with its speaker's
kind and its transcript's publisher, event type and year; full-text search through
`turns_fts`) and the canned query `conversation`, which a template of ours renders as the
conversation.  Datasette then serves that database read-only (immutable) with the
metadata written here (facets, search, titles), the templates and the plugin in
`browse_assets/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .export.output import ExportError
from .export.reading import read_descriptor
from .export.sqlite import FTS_TABLE, LAYOUT_VERSION, export_sqlite, is_our_database
from .loader import cache_dir, download

DATABASE = "diplomatic-transcripts"  # the database's name in Datasette (its file stem); templates use it

VIEWS = {
    "transcript_list": """
        SELECT transcript_id, title, date, CAST(substr(date, 1, 4) AS INTEGER) AS year, publisher, event_type,
               principal_name, city, country, n_turns, n_speakers, n_words
        FROM transcripts""",
    "turn_search": f"""
        SELECT t.transcript_id, t.turn_index, t.label, s.kind AS speaker_kind, t.text, s.name AS speaker_name,
               s.role AS speaker_role, tr.title, tr.date, CAST(substr(tr.date, 1, 4) AS INTEGER) AS year,
               tr.publisher, tr.event_type, t.rowid AS turn_rowid
        FROM turns t
        JOIN speakers s ON s.transcript_id = t.transcript_id AND s.speaker_id = t.speaker_id
        JOIN transcripts tr ON tr.transcript_id = t.transcript_id""",
}

CONVERSATION_SQL = """SELECT t.transcript_id, t.turn_index, t.label, t.speaker_id, s.name AS speaker_name,
       s.role AS speaker_role, s.kind AS speaker_kind, s.affiliation AS speaker_affiliation, t.text,
       t.reply_to, t.exchange_index,
       (SELECT json_group_array(json_object('kind', m.kind, 'text', m.text, 'start', m.start, 'end', m."end"))
          FROM (SELECT * FROM markers WHERE transcript_id = t.transcript_id AND turn_index = t.turn_index
                ORDER BY marker_index) AS m) AS markers,
       tr.title, tr.date, tr.event_type, tr.publisher, tr.source_url,
       nullif(trim(coalesce(tr.venue || ', ', '') || coalesce(tr.city || ', ', '') || coalesce(tr.country, ''), ', '),
              '') AS place
FROM turns t
JOIN speakers s ON s.transcript_id = t.transcript_id AND s.speaker_id = t.speaker_id
JOIN transcripts tr ON tr.transcript_id = t.transcript_id
WHERE t.transcript_id = :transcript_id
ORDER BY t.turn_index"""

SETTINGS = {"max_returned_rows": "5000", "facet_time_limit_ms": "1000", "sql_time_limit_ms": "5000",
            "default_page_size": "50"}


class BrowseError(Exception):
    """The dataset cannot be browsed; the message says why."""


@dataclass
class Prepared:
    database: Path
    metadata: Path
    version: str
    reused: bool


def package_folder(version: str | None, path: Path | None, registry: Path | None = None) -> Path:
    """The package to browse: a local folder, or a released version (downloaded and verified)."""
    from .loader import LoadError

    if path is not None:
        return path
    try:
        return download(version or "latest", registry=registry)
    except LoadError as exc:
        raise BrowseError(str(exc)) from None


def _stored_sha(db: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM package WHERE key = 'datapackage_sha256'").fetchone()
            views = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row and views >= set(VIEWS) else None


def prepare(folder: Path) -> Prepared:
    """The browse database and metadata of a package, built once per descriptor."""
    try:
        folder, desc, sha = read_descriptor(folder)
    except ExportError as exc:
        raise BrowseError(str(exc)) from None
    version = str(desc.get("version"))
    # keyed by the descriptor and by the views and layout of the database: a change to either builds anew
    layout = hashlib.sha256(json.dumps([VIEWS, LAYOUT_VERSION]).encode()).hexdigest()[:8]
    home = cache_dir() / ".browse" / f"{desc.get('name', DATABASE)}-{version}-{sha[:16]}-{layout}"
    db = home / f"{DATABASE}.db"
    meta = home / "metadata.json"
    home.mkdir(parents=True, exist_ok=True)
    reused = is_our_database(db) and _stored_sha(db) == sha
    if not reused:
        building = home / f".{DATABASE}.building-{os.getpid()}.db"
        try:
            export_sqlite(folder, building)
            con = sqlite3.connect(building)
            try:
                for name, sql in VIEWS.items():
                    con.execute(f"CREATE VIEW [{name}] AS {sql}")
                con.commit()
            finally:
                con.close()
            building.replace(db)
        except ExportError as exc:
            raise BrowseError(str(exc)) from None
        finally:
            building.unlink(missing_ok=True)
    text = json.dumps(metadata(desc), indent=2, ensure_ascii=False) + "\n"
    if not meta.is_file() or meta.read_text(encoding="utf-8") != text:
        tmp = meta.with_name(f".metadata.json.tmp-{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(meta)
    return Prepared(db, meta, version, reused)


def metadata(desc: dict) -> dict:
    """Datasette metadata: titles, facets, full-text search on the views, the conversation query."""
    version = desc.get("version", "")
    lic = next((x for x in desc.get("licenses", []) if isinstance(x, dict)), {})
    return {
        "title": f"{desc.get('title') or 'Diplomatic transcripts'} {version}".strip(),
        "description": "Transcripts of interviews, press briefings and remarks as tables. Start from the list of "
                       "transcripts (facets: publisher, event type, year), search what was said in turn_search "
                       "(facets: speaker kind, publisher, event type, year), or read a transcript as a "
                       "conversation (click its id).",
        "license": lic.get("name"),
        "license_url": lic.get("path"),
        "databases": {
            DATABASE: {
                "tables": {
                    "transcript_list": {
                        "title": "Transcripts",
                        "description": "One row per transcript; click an id to read it as the conversation.",
                        "facets": ["publisher", "event_type", "year"],
                        "sort_desc": "date",
                    },
                    "turn_search": {
                        "title": "Search what was said",
                        "description": "Every turn with its speaker and transcript. Search uses SQLite FTS5 with "
                                       "stemming; put a phrase in double quotes.",
                        "fts_table": FTS_TABLE,
                        "fts_pk": "turn_rowid",
                        "facets": ["speaker_kind", "publisher", "event_type", "year"],
                    },
                    "transcripts": {"label_column": "title", "facets": ["publisher", "event_type"]},
                    "speakers": {"facets": ["kind"]},
                    "turns": {"facets": ["language"]},
                    "markers": {"facets": ["kind"]},
                },
                "queries": {
                    "conversation": {
                        "title": "A transcript as the conversation",
                        "sql": CONVERSATION_SQL,
                        "hide_sql": True,
                    },
                },
            }
        },
    }


def assets() -> tuple[Path, Path]:
    """(templates folder, plugins folder) shipped with the library."""
    root = resources.files("diplomatic_transcripts").joinpath("browse_assets")
    return Path(str(root.joinpath("templates"))), Path(str(root.joinpath("plugins")))


def datasette_command(prepared: Prepared, *, host: str, port: int, open_browser: bool) -> list[str]:
    templates, plugins = assets()
    command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(prepared.database),
               "--metadata", str(prepared.metadata), "--template-dir", str(templates),
               "--plugins-dir", str(plugins), "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        command += ["--setting", key, value]
    if open_browser:
        command.append("--open")
    return command


def serve(command: list[str]) -> None:
    """Become the Datasette server (one process: stopping it stops everything)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)
