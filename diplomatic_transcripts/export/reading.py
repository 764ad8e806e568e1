"""What exports read: a built package's descriptor (and its sha256) and its Parquet tables."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .output import ExportError


def read_descriptor(package: Path) -> tuple[Path, dict, str]:
    """(package folder, descriptor, sha256 of datapackage.json) of a package folder or descriptor path."""
    folder = package.parent if package.name == "datapackage.json" else package
    path = folder / "datapackage.json"
    try:
        raw = path.read_bytes()
        desc = json.loads(raw)
    except OSError as exc:
        raise ExportError(f"{folder} is not a built package: {path.name} cannot be read ({exc.strerror})") from None
    except (ValueError, RecursionError) as exc:
        raise ExportError(f"{path} is not valid JSON ({exc})") from None
    from ..descriptor_shape import descriptor_problems

    problems = descriptor_problems(desc)
    if problems:
        raise ExportError(f"{path} is not a package descriptor this library reads: {problems[0]}")
    return folder, desc, hashlib.sha256(raw).hexdigest()


def parquet_path(folder: Path, table: str) -> Path:
    """The Parquet file of a table, which must exist."""
    path = folder / f"{table}.parquet"
    if not path.is_file():
        raise ExportError(f"{folder} has no {table}.parquet: not a complete package")
    return path


def read_rows(folder: Path, table: str) -> list[dict]:
    """Every row of a (small) table as dicts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = parquet_path(folder, table)
    try:
        return pq.read_table(path).to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise ExportError(f"{path} cannot be read: {exc}") from None
