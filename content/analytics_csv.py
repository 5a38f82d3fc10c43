"""CSV exports that stream: rows are written as the database hands them over, so
a million rows never sit in memory, and every cell is safe to open in a
spreadsheet.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

# Excel and friends read a leading byte-order mark as "this file is UTF-8", so
# names with accents and the ★ survive a double click.
BOM = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheets
# (CSV injection); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500


def _text(value: str) -> str:
    return "'" + value if value[:1] in _FORMULA_FIRST else value


def _datetime(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.get_current_timezone()).replace(tzinfo=None)
    return value.isoformat(" ", "seconds")


_FORMULA_FIRST = frozenset(FORMULA_STARTS)
# By exact type, the common cells of a million-row export in one dict lookup.
_BY_TYPE = {
    str: _text,
    int: lambda value: value,
    float: lambda value: value,
    bool: lambda value: "yes" if value else "no",
    Decimal: str,
    datetime.datetime: _datetime,
    datetime.date: datetime.date.isoformat,
    type(None): lambda value: "",
}


def escape_cell(value: Any) -> str | int | float:
    """One cell, ready for the csv writer: numbers stay numbers, text that a
    spreadsheet would take for a formula is neutralised."""
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    return _text(str(value))


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file as text chunks: the BOM and header first, then a few hundred
    rows per chunk (fewer, larger writes to the socket)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape_cell(cell) for cell in header])
    yield BOM + _drain(buffer)
    escape = escape_cell
    for chunk in batched(rows, ROWS_PER_CHUNK):
        writer.writerows([escape(cell) for cell in row] for row in chunk)
        yield _drain(buffer)


def batched(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list]:
    """itertools.batched, which Python 3.11 does not have yet."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def dated_filename(stem: str) -> str:
    return f"wingman-{stem}-{timezone.localdate():%Y-%m-%d}.csv"
