"""A frictionless-py plugin, installed with diplomatic-transcripts: reads local Parquet
resources with pyarrow instead of pandas.

frictionless 5's own Parquet parser goes through pandas (frictionless-py #1773: the
`parquet` extra lacks it), never records the file's size and hash (so a resource that
declares `bytes` fails with `byte-count ... actual is "None"`), and hands list columns to
the `array` type as NumPy arrays (type errors).  This parser yields plain Python values
batch by batch and fills in the stats, so `frictionless validate datapackage.json` checks
the Parquet resources like the CSV ones, without pandas.  Remote resources keep the
built-in parser.  frictionless finds this module by its `frictionless_` name.
"""

from __future__ import annotations

import hashlib

from frictionless.formats.parquet.control import ParquetControl
from frictionless.formats.parquet.parser import ParquetParser
from frictionless.system import Plugin


class ArrowParquetParser(ParquetParser):
    def read_cell_stream_create(self):  # type: ignore[override]
        if self.resource.remote:
            yield from super().read_cell_stream_create()
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        control = ParquetControl.from_dialect(self.resource.dialect)
        with open(self.resource.normpath, "rb") as f:
            data = f.read()
        self.resource.stats.bytes = len(data)
        self.resource.stats.md5 = hashlib.md5(data).hexdigest()
        self.resource.stats.sha256 = hashlib.sha256(data).hexdigest()
        parquet = pq.ParquetFile(pa.BufferReader(data))
        names = control.columns or parquet.schema_arrow.names
        yield list(names)
        for batch in parquet.iter_batches(batch_size=4096, columns=control.columns):
            columns = [column.to_pylist() for column in batch.columns]
            yield from (list(row) for row in zip(*columns))


class ArrowparquetPlugin(Plugin):
    """Parquet through pyarrow for local files (see the module docstring)."""

    def create_parser(self, resource):  # type: ignore[override]
        if resource.format in ("parq", "parquet") and not resource.remote:
            return ArrowParquetParser(resource)
        return None


def register() -> None:
    """Register the plugin explicitly (editable installs hide this module from frictionless's
    plugin discovery, which scans the import path for `frictionless_*` modules)."""
    from frictionless import system

    system.register("arrowparquet", ArrowparquetPlugin())
