"""The Frictionless Data Package (v2) descriptor, generated from the table registry and the
files as written: every resource carries its bytes and sha256.

The descriptor passes stock `frictionless validate` (frictionless-py with pandas, no plugin),
whose Parquet reader goes through pandas: it records neither the size nor the hash of a
Parquet file, hands list columns over as NumPy arrays (which its `array` type rejects) and
nullable integer columns as floats with NaN for null.  So a Parquet resource, and only a
Parquet resource, says three things its own way (`parquet_table_schema`):

- its size in `diplomatic_transcripts.bytes` instead of `bytes` (frictionless would report a
  declared `bytes` as wrong; it skips a `hash` it could not compute, so `hash` stays);
- a list column as type `any`, with its Table Schema type in `diplomatic_transcripts.type`;
- a nullable integer column with `nan` among its missing values (no int64 cell can hold it).

Our own `validate` reads those properties, so it checks the same bytes, hashes and list
columns as before; the CSV resources carry everything in the standard properties.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..version import __version__
from ..records import TABLES, Table
from ..schema import GENERATED_NOTE, table_schema

PACKAGE_NAME = "diplomatic-transcripts"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LICENSES = [
    {
        "name": "CC0-1.0",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": "CC0 1.0 for the compilation. The transcripts themselves are works of the U.S. Government "
                 "and not subject to copyright in the United States (17 U.S.C. 105).",
    }
]
def sources_of(publishers: dict[str, int]) -> list[dict]:
    """The descriptor's `sources`: each publisher the package holds transcripts of, with its site
    from the table of known hosts (publishers the table does not know have no path)."""
    from ..sources.publishers import known_hosts

    site: dict[str, str] = {}
    for host, name in known_hosts().items():
        site.setdefault(name, f"https://{host}/")
    return [{"title": name, **({"path": site[name]} if name in site else {})}
            for name in sorted(publishers) if name != UNKNOWN_PUBLISHER]


UNKNOWN_PUBLISHER = "(unknown)"
CONTRIBUTORS = [{"title": "diplomatic-transcripts developers", "roles": ["creator"]}]
# The key of this library's own properties, in the package, in a resource and in a field
# (Data Package v2 allows properties beyond the standard ones).
OWN = "diplomatic_transcripts"
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}


def file_facts(path: Path) -> tuple[int, str]:
    """(bytes, sha256) of a file, read in blocks: what a resource declares and a check compares.

    The blocks are read into one buffer of 1 MB: a new block per read costs more, and big
    ones stay in the process's memory after it is done."""
    h = hashlib.sha256()
    size = 0
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as f:
        while n := f.readinto(buffer):
            h.update(view[:n])
            size += n
    return size, h.hexdigest()


def parquet_table_schema(table: Table) -> dict:
    """The Table Schema of a table's Parquet resource, in the form stock frictionless reads
    (see the module docstring); the facts it cannot read as declared live under `OWN`."""
    schema = table_schema(table)
    for f in schema["fields"]:
        required = f.get("constraints", {}).get("required", False)
        if f["type"] == "array":
            f["type"] = "any"
            f[OWN] = {"type": "array"}
        elif f["type"] == "integer" and not required:
            f["missingValues"] = ["", "nan"]
    return schema


def resource_schema(table: Table, fmt: str) -> dict:
    """The schema a resource of `table` in format `fmt` (parquet or csv) declares."""
    return parquet_table_schema(table) if fmt == "parquet" else table_schema(table, resource_suffix="-csv")


def declared_bytes(resource: dict) -> int | None:
    """The size a resource declares: `bytes`, or for Parquet `diplomatic_transcripts.bytes`."""
    own = resource.get(OWN)
    value = resource.get("bytes", own.get("bytes") if isinstance(own, dict) else None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def field_type(field: dict) -> str:
    """The Table Schema type of a field: its own record of it (a Parquet list column), else `type`."""
    own = field.get(OWN)
    if isinstance(own, dict) and isinstance(own.get("type"), str):
        return own["type"]
    return str(field.get("type", "string"))


def resources_of(directory: Path, facts: dict[str, tuple[int, str]] | None = None) -> list[dict]:
    """The resources of the files in `directory`; `facts` gives the (bytes, sha256) of files
    already hashed, by file name (the others are read here)."""
    out: list[dict] = []
    for table in TABLES:
        desc = table.model.__doc__.strip().splitlines()[0] if table.model.__doc__ else table.row
        for fmt in ("parquet", "csv"):
            path = directory / f"{table.name}.{fmt}"
            size, sha = (facts or {}).get(path.name) or file_facts(path)
            res: dict = {
                "name": table.name if fmt == "parquet" else f"{table.name}-csv",
                "type": "table",
                "title": f"{table.name} ({fmt.upper()})",
                "description": f"One row per {table.row}. {desc}",
                "path": path.name,
                "format": fmt,
                "mediatype": "application/vnd.apache.parquet" if fmt == "parquet" else "text/csv",
            }
            if fmt == "parquet":
                res[OWN] = {"bytes": size}
            else:
                res["bytes"] = size
            res["hash"] = f"sha256:{sha}"
            res["schema"] = resource_schema(table, fmt)
            if fmt == "csv":
                res["encoding"] = "utf-8"
                res["dialect"] = dict(CSV_DIALECT)
            out.append(res)
    return out


def descriptor(directory: Path, *, version: str, created: str | None, counts: dict[str, int],
               publishers: dict[str, int] | None = None, facts: dict[str, tuple[int, str]] | None = None) -> dict:
    publishers = dict(sorted((publishers or {}).items()))
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": "Diplomatic transcripts",
        "description": (
            "Transcripts of diplomatic interviews, press briefings, background briefings, press availabilities and "
            "remarks as governments publish them, as validated records: one row per transcript, speaker, turn and "
            "non-speech marker, and one per person seen across transcripts and per role they were printed "
            "with. Parquet resources are named by their table, CSV resources `<table>-csv`. "
            f"{GENERATED_NOTE.replace('schema`', 'build`')}"
        ),
        "version": version,
        "created": created,
        "keywords": ["diplomacy", "transcripts", "press briefings", "interviews", *sorted(
            p for p in publishers if p != UNKNOWN_PUBLISHER)],
        "licenses": LICENSES,
        "sources": sources_of(publishers),
        "contributors": CONTRIBUTORS,
        OWN: {"library_version": __version__, "row_counts": counts, "transcripts_by_publisher": publishers},
        "resources": resources_of(directory, facts),
    }


def write_descriptor(directory: Path, desc: dict) -> Path:
    path = directory / "datapackage.json"
    path.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
