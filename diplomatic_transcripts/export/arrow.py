"""Records to Arrow: one RecordBatch per table, typed by the schema generated from the models."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from ..records import ParseResult
from ..records import TABLE_BY_NAME, TABLES, TRANSCRIPT_TABLES, Table
from ..schema import arrow_schema, is_categorical

SCHEMAS: dict[str, pa.Schema] = {t.name: arrow_schema(t) for t in TABLES}


def _rows(result: ParseResult, table: Table) -> list:
    if table.name == "transcripts":
        return [result.transcript] if result.transcript else []
    return list(getattr(result, table.name))


class ColumnBuffer:
    """Rows of one table gathered column by column, turned into a RecordBatch on demand."""

    def __init__(self, table: Table):
        self.table = table
        self.names = list(table.model.model_fields)
        self.columns: dict[str, list] = {n: [] for n in self.names}
        self.n_rows = 0

    def extend(self, rows: Iterable) -> None:
        for name, column in self.columns.items():
            column.extend(getattr(r, name) for r in rows)
        self.n_rows = len(self.columns[self.names[0]])

    def take(self) -> pa.RecordBatch:
        schema = SCHEMAS[self.table.name]
        arrays = []
        for f, name in zip(schema, self.names):
            values = self.columns[name]
            if pa.types.is_dictionary(f.type):
                arrays.append(pa.array(values, type=pa.string()).dictionary_encode())
            else:
                arrays.append(pa.array(values, type=f.type))
        batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
        self.columns = {n: [] for n in self.names}
        self.n_rows = 0
        return batch


def batches_of(results: Iterable[ParseResult]) -> dict[str, pa.RecordBatch]:
    """One RecordBatch per transcript table for a group of parse results."""
    tables = [TABLE_BY_NAME[n] for n in TRANSCRIPT_TABLES]
    buffers = {t.name: ColumnBuffer(t) for t in tables}
    for r in results:
        if r.transcript is None:
            continue
        for t in tables:
            buffers[t.name].extend(_rows(r, t))
    return {name: buf.take() for name, buf in buffers.items()}


def batch_from_dicts(table: Table, rows: list[dict]) -> pa.RecordBatch:
    """A RecordBatch of `table` from plain dict rows (the persons stage builds those)."""
    buf = ColumnBuffer(table)
    for name, column in buf.columns.items():
        column.extend(r[name] for r in rows)
    buf.n_rows = len(rows)
    return buf.take()


__all__ = ["SCHEMAS", "ColumnBuffer", "batch_from_dicts", "batches_of", "is_categorical"]
