"""Imported by the build's process server (multiprocessing's forkserver preload), never by the
library itself: parsing one short text loads what every worker would otherwise load on its
first chunk (pycountry's tables, the first records' validators), so each worker forked from
the server starts parsing at full speed."""

from __future__ import annotations

from .text import parse_text

parse_text("Remarks to the Press\n\nJane Q. Doe, Envoy\n\nLima, Peru\n\nMarch 3, 2021\n\n"
           "MODERATOR: Welcome. (In Spanish.)\n\nMS DOE: Thank you.\n\nQUESTION: A question (inaudible)?\n")
