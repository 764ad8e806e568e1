"""Parsing: source text to records.  Parsers never write files."""

from ..records import ParseResult
from .text import parse_text

__all__ = ["ParseResult", "parse_text"]
