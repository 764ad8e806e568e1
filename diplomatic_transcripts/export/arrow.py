"""Records to Arrow: one RecordBatch per table, typed by the schema generated from the models.

A table's rows are converted in one call: the records' field dicts become a struct array of
the table's own types (Arrow reads each dict in C, dictionary columns included), whose
children are the batch's columns.  A column-by-column loop in Python cost twice as much.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pyarrow as pa

from ..records import ParseResult
from ..records import TABLES, TRANSCRIPT_TABLES, Table
from ..schema import arrow_schema, is_categorical

SCHEMAS: dict[str, pa.Schema] = {t.name: arrow_schema(t) for t in TABLES}
_ROWS: dict[str, pa.StructType] = {name: pa.struct(list(schema)) for name, schema in SCHEMAS.items()}


@functools.cache
def memory_pool() -> pa.MemoryPool:
    """The Arrow memory pool for building and writing tables: jemalloc where pyarrow has it.

    pyarrow's default (mimalloc) keeps what a row group's encoding freed: a build's main
    process grew by a fifth from 100,000 to 1,000,000 turns with it, and far less with
    jemalloc, which is faster here too.  Passed explicitly, so a caller's default stays."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


def batch_of_rows(name: str, rows: list[dict]) -> pa.RecordBatch:
    """A RecordBatch of table `name` from rows holding every column (a record's `__dict__`,
    or the plain dicts the persons stage builds)."""
    batch = pa.RecordBatch.from_struct_array(pa.array(rows, type=_ROWS[name], memory_pool=memory_pool()))
    return batch.replace_schema_metadata(SCHEMAS[name].metadata)


def batches_of(results: Iterable[ParseResult]) -> dict[str, pa.RecordBatch]:
    """One RecordBatch per transcript table for a group of parse results."""
    good = [r for r in results if r.transcript is not None]
    out = {"transcripts": batch_of_rows("transcripts", [r.transcript.__dict__ for r in good])}  # type: ignore[union-attr]
    for name in TRANSCRIPT_TABLES[1:]:
        out[name] = batch_of_rows(name, [m.__dict__ for r in good for m in getattr(r, name)])
    return out


def batch_from_dicts(table: Table, rows: list[dict]) -> pa.RecordBatch:
    """A RecordBatch of `table` from plain dict rows (the persons stage builds those)."""
    return batch_of_rows(table.name, rows)


__all__ = ["SCHEMAS", "batch_from_dicts", "batch_of_rows", "batches_of", "is_categorical", "memory_pool"]
