"""A package as one SQLite database: every table with its keys, and full-text search over turns.

`export PACKAGE --to sqlite OUT.db` writes the tables of the record models — columns, NOT
NULL, primary and foreign keys (composite ones included) — with sqlite-utils, then the
rows straight from the Parquet files, then an FTS5 index over `turns.text` (porter
stemming, external content: the text is stored once) and indexes on the join columns.
List columns are JSON arrays in TEXT (as in the CSV tables), dates ISO 8601 TEXT, booleans
0/1.  A table `package` holds the descriptor's facts (name, version, the sha256 of the
datapackage.json it came from).

The file is marked with an SQLite `application_id`, so a later export may replace it and
nothing else: a database the library did not write is never overwritten.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..version import __version__
from ..records import TABLES, Table
from ..schema import field_kind
from .output import ExportError, replaced_file
from .reading import parquet_path, read_descriptor

APPLICATION_ID = int.from_bytes(b"DTsq", "big")  # PRAGMA application_id: "written by diplomatic-transcripts"
LAYOUT_VERSION = 1  # PRAGMA user_version: the layout of this database (tables, package, turns_fts)
FTS_TABLE = "turns_fts"
BATCH_ROWS = 20_000
SQLITE_HEADER = b"SQLite format 3\x00"
# Indexes for the joins people make: turns -> speakers, speakers -> persons.
INDEXES: dict[str, list[tuple[str, ...]]] = {"turns": [("transcript_id", "speaker_id")], "speakers": [("person_id",)], "person_roles": [("person_id",)]}


@dataclass
class SqliteReport:
    out: Path
    version: str
    row_counts: dict[str, int] = field(default_factory=dict)


def is_our_database(path: Path) -> bool:
    """True when `path` is an SQLite file whose header carries this library's application_id."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError:
        return False
    return len(header) == 100 and header.startswith(SQLITE_HEADER) and \
        int.from_bytes(header[68:72], "big") == APPLICATION_ID


def _python_type(info) -> type:
    kind, _, _ = field_kind(info)
    return int if kind in ("integer", "boolean") else str


def create_table(db, table: Table) -> None:
    """The table of a record model, with its keys, through sqlite-utils."""
    fields = table.model.model_fields
    db.table(table.name).create(
        {name: _python_type(info) for name, info in fields.items()},
        pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
        not_null=[name for name, info in fields.items() if not field_kind(info)[1]],
        foreign_keys=[(fk.fields if len(fk.fields) > 1 else fk.fields[0], fk.resource,
                       fk.reference if len(fk.reference) > 1 else fk.reference[0]) for fk in table.foreign_keys],
    )


def creation_order() -> list[Table]:
    """The tables, each after the tables its foreign keys point at (sqlite-utils checks them)."""
    done: list[Table] = []
    pending = list(TABLES)
    while pending:
        ready = [t for t in pending if all(fk.resource in {d.name for d in done} or fk.resource == t.name
                                           for fk in t.foreign_keys)]
        if not ready:
            raise ValueError("the foreign keys of the tables form a cycle")
        done += ready
        pending = [t for t in pending if t not in ready]
    return done


def _converters(table: Table) -> list[Callable | None]:
    """Per column, how an Arrow value becomes an SQLite value (None: as it is)."""
    out: list[Callable | None] = []
    for info in table.model.model_fields.values():
        kind, _, _ = field_kind(info)
        if kind == "list":
            out.append(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
        elif kind == "date":
            out.append(lambda v: None if v is None else v.isoformat())
        else:
            out.append(None)
    return out


def _rows(path: Path, table: Table) -> Iterator[list[tuple]]:
    import pyarrow.parquet as pq

    names = list(table.model.model_fields)
    convert = _converters(table)
    parquet = pq.ParquetFile(path)
    missing = [n for n in names if n not in parquet.schema_arrow.names]
    if missing:
        raise ExportError(f"{path} lacks the column(s) {', '.join(missing)} of table {table.name!r}")
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=names):
        columns = []
        for values, fn in zip((c.to_pylist() for c in batch.columns), convert):
            columns.append(values if fn is None else [fn(v) for v in values])
        yield list(zip(*columns))


def export_sqlite(package: Path, out: Path) -> SqliteReport:
    """Write the package at `package` (folder or datapackage.json) to the SQLite file `out`."""
    import pyarrow as pa
    import sqlite_utils

    folder, desc, desc_sha = read_descriptor(Path(package))
    for t in TABLES:
        parquet_path(folder, t.name)
    report = SqliteReport(Path(out), str(desc.get("version")))
    with replaced_file(Path(out), is_our_database, "SQLite database") as tmp:
        conn = sqlite3.connect(tmp)
        try:
            # a file nobody else sees until the rename: no journal, no fsync until the end
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {LAYOUT_VERSION}")
            db = sqlite_utils.Database(conn)
            for t in creation_order():
                create_table(db, t)
            for t in TABLES:
                insert = (f"INSERT INTO [{t.name}] VALUES ({', '.join('?' * len(t.model.model_fields))})")
                n = 0
                try:
                    with conn:
                        for rows in _rows(folder / f"{t.name}.parquet", t):
                            # rows go in with executemany: sqlite-utils' insert_all builds each row in
                            # Python (7.9x slower, measured on 200,000 turns); schema, keys, indexes
                            # and the FTS index are made with sqlite-utils.
                            conn.executemany(insert, rows)
                            n += len(rows)
                except (OSError, pa.ArrowException) as exc:
                    raise ExportError(f"{folder / (t.name + '.parquet')} cannot be read: {exc}") from None
                except sqlite3.IntegrityError as exc:
                    raise ExportError(f"{t.name}.parquet breaks a key of the table ({exc}); "
                                      "run `diplomatic-transcripts validate` on the package") from None
                report.row_counts[t.name] = n
            for name, index_sets in INDEXES.items():
                for cols in index_sets:
                    db.table(name).create_index(list(cols))
            db.table("turns").enable_fts(["text"], fts_version="FTS5", tokenize="porter")
            db.table("turns").optimize()
            db.table("package").insert_all(
                [{"key": k, "value": v} for k, v in package_facts(desc, desc_sha).items()], pk="key")
            conn.execute("ANALYZE")
            conn.commit()
        finally:
            conn.close()
    return report


def package_facts(desc: dict, desc_sha: str) -> dict[str, str]:
    own = desc.get("diplomatic_transcripts")
    own = own if isinstance(own, dict) else {}
    return {
        "name": str(desc.get("name", "")),
        "title": str(desc.get("title", "")),
        "version": str(desc.get("version", "")),
        "created": str(desc.get("created", "")),
        "built_with": str(own.get("library_version", "")),
        "exported_with": __version__,
        "datapackage_sha256": desc_sha,
        "license": json.dumps(desc.get("licenses", []), ensure_ascii=False),
    }
