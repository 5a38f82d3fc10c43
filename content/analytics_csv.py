"""CSV exports that stream: rows are written as the database hands them over, so
a million rows never sit in memory, and every cell is safe to open in a
spreadsheet.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
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


class _Echo:
    """A file-like object whose write() hands the line back to the caller."""

    def write(self, value: str) -> str:
        return value


def escape_cell(value: Any) -> str | int | float:
    """One cell, ready for the csv writer: numbers stay numbers, text that a
    spreadsheet would take for a formula is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file as text chunks: the BOM and header first, then a few hundred
    rows per chunk (fewer, larger writes to the socket)."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([escape_cell(cell) for cell in header])
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([escape_cell(cell) for cell in row]))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


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
