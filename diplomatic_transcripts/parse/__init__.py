"""Parsing: source text to records.  Parsers never write files."""

from .result import ParseResult
from .text import parse_text

__all__ = ["ParseResult", "parse_text"]
