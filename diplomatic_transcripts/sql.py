"""SQL text for the DuckDB queries of `validate` and `diff`: names and values quoted the one
way SQL reads them back exactly, whatever characters a descriptor or a file holds."""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """A column or table name as a quoted identifier (`"` doubled inside)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: object) -> str:
    """A value as a string literal (`'` doubled inside)."""
    return "'" + str(value).replace("'", "''") + "'"
