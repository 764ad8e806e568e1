"""Dates as transcripts and feeds print them: `March 9, 2025`, `Tuesday, May 25, 2021`,
`9 March 2025` (day first, as much of the world prints it), RFC 822.

Shared by intake (a feed item's publication date, a colliding source's date hint) and the
parser (date lines, dates in titles), so neither needs the other.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH = (r"(January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DAY_FIRST = rf"(\d{{1,2}})\s+{_MONTH.replace('(', '(?P<dm>', 1)},?\s+(?P<dy>\d{{4}})"
# A line that is only a date, optionally in parentheses: `(March 9, 2025)`, `Friday 9 March 2025`.
DATE_LINE = re.compile(rf"^\(?{_WEEKDAY}(?:{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})|{_DAY_FIRST})\.?\)?$", re.I)
DATE_IN_TEXT = re.compile(rf"\b(?:{_MONTH}\s+(\d{{1,2}}),\s+(\d{{4}})|{_DAY_FIRST})\b", re.I)


def parse_date(text: str, *, whole_line: bool) -> dt.date | None:
    """The date a line is (whole_line) or contains; None when there is none or it is impossible."""
    m = DATE_LINE.match(text) if whole_line else DATE_IN_TEXT.search(text)
    if not m:
        return None
    if m.group(1) is not None:
        month_name, day, year = m.group(1), m.group(2), m.group(3)
    else:
        month_name, day, year = m.group("dm"), m.group(4), m.group("dy")
    month_name = month_name.lower().rstrip(".")
    month = next((i + 1 for i, name in enumerate(MONTHS) if name.startswith(month_name[:3])), 0)
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


def feed_date(pub_date: object) -> dt.date | None:
    """A feed item's RFC 822 `pub_date` (or an ISO date); None for anything else, of any type."""
    if not isinstance(pub_date, str) or not pub_date.strip():
        return None
    try:
        return email.utils.parsedate_to_datetime(pub_date).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:
        return dt.date.fromisoformat(pub_date.strip()[:10])
    except ValueError:
        return None
