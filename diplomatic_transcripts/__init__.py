"""diplomatic-transcripts: diplomatic transcripts as validated records and a versioned
Frictionless Data Package of Parquet and CSV tables.

    import diplomatic_transcripts as dt
    ds = dt.load("1.0.0")                  # a released version: downloaded, verified, cached
    ds = dt.load(path="datasets/diplomatic-transcripts")
    result = dt.parse_file("talk.txt")     # records and findings of one transcript

Names are imported on first use, so `import diplomatic_transcripts` and the command line
start quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

_EXPORTS = {
    "TABLES": "records", "Finding": "records", "Marker": "records", "Speaker": "records", "Transcript": "records",
    "Turn": "records", "Person": "records", "PersonRole": "records",
    "ParseResult": "records", "parse_text": "parse.text", "parse_file": "parse.files",
    "parse_source": "parse.files", "Dataset": "loader", "LoadError": "loader", "load": "loader", "versions": "loader",
}
__all__ = sorted([*_EXPORTS, "__version__"])

if TYPE_CHECKING:
    from .loader import Dataset, LoadError, load, versions
    from .parse.files import parse_file, parse_source
    from .records import ParseResult
    from .parse.text import parse_text
    from .records import TABLES, Finding, Marker, ParseResult, Person, PersonRole, Speaker, Transcript, Turn


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'diplomatic_transcripts' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
