"""diplomatic-transcripts: diplomatic transcripts as validated records and a versioned
Frictionless Data Package of Parquet and CSV tables."""

from .parse.files import parse_file, parse_source
from .parse.result import ParseResult
from .parse.text import parse_text
from .records import TABLES, Finding, Marker, Speaker, Transcript, Turn

__version__ = "0.1.0"

__all__ = [
    "TABLES",
    "Finding",
    "Marker",
    "ParseResult",
    "Speaker",
    "Transcript",
    "Turn",
    "__version__",
    "parse_file",
    "parse_source",
    "parse_text",
]
