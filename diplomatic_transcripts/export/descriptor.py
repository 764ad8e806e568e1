"""The Frictionless Data Package (v2) descriptor, generated from the table registry and the
files as written: every resource carries its bytes and sha256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import __version__
from ..records import TABLES
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
SOURCES = [{"title": "U.S. Department of State: transcripts, briefings and remarks", "path": "https://www.state.gov/"}]
CONTRIBUTORS = [{"title": "diplomatic-transcripts developers", "roles": ["creator"]}]
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}


def file_facts(path: Path) -> tuple[int, str]:
    """(bytes, sha256) of a file, read in blocks: what a resource declares and a check compares."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(1 << 24):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def resources_of(directory: Path) -> list[dict]:
    out: list[dict] = []
    for table in TABLES:
        desc = table.model.__doc__.strip().splitlines()[0] if table.model.__doc__ else table.row
        for fmt in ("parquet", "csv"):
            path = directory / f"{table.name}.{fmt}"
            size, sha = file_facts(path)
            res = {
                "name": table.name if fmt == "parquet" else f"{table.name}-csv",
                "type": "table",
                "title": f"{table.name} ({fmt.upper()})",
                "description": f"One row per {table.row}. {desc}",
                "path": path.name,
                "format": fmt,
                "mediatype": "application/vnd.apache.parquet" if fmt == "parquet" else "text/csv",
                "bytes": size,
                "hash": f"sha256:{sha}",
                "schema": table_schema(table, resource_suffix="" if fmt == "parquet" else "-csv"),
            }
            if fmt == "csv":
                res["encoding"] = "utf-8"
                res["dialect"] = dict(CSV_DIALECT)
            out.append(res)
    return out


def descriptor(directory: Path, *, version: str, created: str | None, counts: dict[str, int]) -> dict:
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": "Diplomatic transcripts",
        "description": (
            "Transcripts of U.S. Department of State interviews, press briefings, background briefings, press "
            "availabilities and remarks, as validated records: one row per transcript, speaker, turn and "
            "non-speech marker, and one per person seen across transcripts and per role they were printed "
            "with. Parquet resources are named by their table, CSV resources `<table>-csv`. "
            f"{GENERATED_NOTE.replace('schema`', 'build`')}"
        ),
        "version": version,
        "created": created,
        "homepage": "https://www.state.gov/",
        "keywords": ["diplomacy", "transcripts", "press briefings", "interviews", "U.S. Department of State"],
        "licenses": LICENSES,
        "sources": SOURCES,
        "contributors": CONTRIBUTORS,
        "diplomatic_transcripts": {"library_version": __version__, "row_counts": counts},
        "resources": resources_of(directory),
    }


def write_descriptor(directory: Path, desc: dict) -> Path:
    path = directory / "datapackage.json"
    path.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
