"""CSV tables: UTF-8, RFC 4180 (CRLF, quoted when needed), a header row; list columns as
JSON arrays, booleans `true`/`false`, dates ISO 8601, nulls as empty cells."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from .arrow import memory_pool


def csv_schema(schema: pa.Schema) -> pa.Schema:
    """The Arrow schema of the CSV form: dictionaries and lists become strings."""
    fields = []
    for f in schema:
        if pa.types.is_dictionary(f.type) or pa.types.is_list(f.type):
            fields.append(pa.field(f.name, pa.string(), nullable=f.nullable))
        else:
            fields.append(f.remove_metadata())
    return pa.schema(fields)


def to_csv_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    arrays = []
    for f, column in zip(batch.schema, batch.columns):
        if pa.types.is_dictionary(f.type):
            arrays.append(column.cast(pa.string(), memory_pool=memory_pool()))
        elif pa.types.is_list(f.type):
            arrays.append(pa.array(
                [None if v is None else json.dumps(v, ensure_ascii=False) for v in column.to_pylist()],
                type=pa.string(), memory_pool=memory_pool()))
        else:
            arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


# The one CSV dialect of every file: CRLF line ends, fields quoted when they need it.
_HEADER = pacsv.WriteOptions(include_header=True, eol="\r\n", quoting_style="needed")
_LINES = pacsv.WriteOptions(include_header=False, eol=_HEADER.eol, quoting_style=_HEADER.quoting_style)


def csv_rows(batch: pa.RecordBatch, schema: pa.Schema) -> pa.Buffer:
    """The CSV lines of a batch, without the header: what CsvTableWriter appends for it.
    A build's workers encode their batches with it, so the main process only writes bytes."""
    sink = pa.BufferOutputStream(memory_pool())
    pacsv.write_csv(to_csv_batch(batch, schema), sink, write_options=_LINES, memory_pool=memory_pool())
    return sink.getvalue()


class CsvTableWriter:
    """One table's CSV file: the header, then the rows of each batch as they come."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.schema = csv_schema(schema)
        self.path = path
        self._file = pa.OSFile(str(path), "wb")
        pacsv.write_csv(self.schema.empty_table(), self._file, write_options=_HEADER, memory_pool=memory_pool())
        self.n_rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows:
            self.write_rows(csv_rows(batch, self.schema), batch.num_rows)

    def write_rows(self, rows: pa.Buffer, n_rows: int) -> None:
        """Append the lines csv_rows made of a batch of `n_rows` rows."""
        self._file.write(rows)
        self.n_rows += n_rows

    def __enter__(self) -> CsvTableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()
