"""Parquet tables: zstd, the explicit Arrow schema from the models, row groups as they fill."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..version import __version__
from .arrow import memory_pool

ROW_GROUP_ROWS = 65_536
ROW_GROUP_BYTES = 4 << 20  # a row group closes at whichever limit comes first: memory stays flat


class ParquetTableWriter:
    """Streams RecordBatches of one table into one Parquet file, a row group per ~64k rows
    or ~16 MB of Arrow data; the limits depend on content only, so files are deterministic."""

    def __init__(self, path: Path, schema: pa.Schema, *, package_version: str):
        meta = dict(schema.metadata or {})
        meta.update({b"diplomatic_transcripts.library_version": __version__.encode(),
                     b"diplomatic_transcripts.package_version": package_version.encode()})
        self.schema = schema.with_metadata(meta)
        self.path = path
        self._writer = pq.ParquetWriter(
            path, self.schema, compression="zstd", compression_level=3, use_dictionary=True,
            write_statistics=True, version="2.6", data_page_version="1.0", memory_pool=memory_pool(),
        )
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self._pending_bytes = 0
        self.n_rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        self._pending_bytes += batch.nbytes
        if self._pending_rows >= ROW_GROUP_ROWS or self._pending_bytes >= ROW_GROUP_BYTES:
            self._flush()
        elif len(self._pending) >= 64:  # many tiny batches cost more than their rows: merge them
            merged = pa.Table.from_batches(self._pending, schema=self.schema).combine_chunks(memory_pool())
            self._pending = merged.to_batches()

    def _flush(self) -> None:
        if not self._pending:
            return
        table = pa.Table.from_batches(self._pending, schema=self.schema)
        self._writer.write_table(table, row_group_size=max(self._pending_rows, 1))
        self.n_rows += self._pending_rows
        self._pending, self._pending_rows, self._pending_bytes = [], 0, 0

    def __enter__(self) -> ParquetTableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._flush()
        if self.n_rows == 0:  # an empty table still gets its schema
            self._writer.write_table(self.schema.empty_table())
        self._writer.close()
