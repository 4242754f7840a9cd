"""Dates as people write them in Swedish and English, read whole or not at all.

Understood: ``2027-03-01``, ``2027-3-1``, ``1/3 2027``, ``1/3/2027``, ``1.3.2027``, ``1 mars 2027``,
``1:a mars 2027``, ``den 1 mars 2027``, ``1 March 2027``, ``March 1, 2027``, ``1st of March 2027``.
A slash or dot date is day first, the Swedish (and European) way; a month name makes the order
plain. Anything else, or a day the month does not have, is a :class:`DateFormatError`: a date that
is only half understood is never used.

Written out here rather than taken from a date library: the core imports the standard library
only, and the forms a chat command meets are few and must be read strictly (a library that
guesses would turn "följ upp i vår" into some date).
"""

from __future__ import annotations

import re
from datetime import date

from bot.errors import SamverkanError

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augusti": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.]|\s+)(\d{4})$")
_DAY = r"(\d{1,2})(?::?(?:a|e|st|nd|rd|th))?"
_DAY_MONTH = re.compile(rf"^(?:den\s+|the\s+)?{_DAY}\s+(?:of\s+)?([a-zåäö]+)\.?,?\s+(\d{{4}})$")
_MONTH_DAY = re.compile(rf"^([a-zåäö]+)\.?\s+{_DAY},?\s+(\d{{4}})$")


class DateFormatError(SamverkanError, ValueError):
    """The text is not a whole date in a form this module reads."""


def parse_date(text: str) -> date:
    """The date ``text`` names; raises :class:`DateFormatError` if it names none exactly."""
    folded = " ".join(text.casefold().split()).strip(" .,")
    if match := _ISO.match(folded):
        return _make(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _NUMERIC.match(folded):
        return _make(int(match[3]), int(match[2]), int(match[1]), text)
    if (match := _DAY_MONTH.match(folded)) and match[2] in MONTHS:
        return _make(int(match[3]), MONTHS[match[2]], int(match[1]), text)
    if (match := _MONTH_DAY.match(folded)) and match[1] in MONTHS:
        return _make(int(match[3]), MONTHS[match[1]], int(match[2]), text)
    raise DateFormatError(text)


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateFormatError(text) from exc
