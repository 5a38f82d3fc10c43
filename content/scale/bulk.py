"""Raw bulk loading: executemany in big batches on SQLite, COPY on PostgreSQL."""

import itertools
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone


class Progress:
    """A plain-text progress line on stderr: percent, rows and rows per second."""

    def __init__(self, stream, label: str, total: int) -> None:
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.done = 0
        self.started = self.last_draw = time.monotonic()
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.next_percent = 25

    def add(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        percent = 100 * self.done / self.total
        if self.tty and now - self.last_draw >= 0.25:
            self._draw("\r")
            self.last_draw = now
        elif not self.tty and percent >= self.next_percent and self.done < self.total:
            # Logs (not a terminal) get a line at every quarter, not a redraw.
            self._draw("")
            self.stream.write("\n")
            self.next_percent = (int(percent) // 25 + 1) * 25

    def finish(self) -> None:
        self._draw("\r" if self.tty else "")
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, prefix: str) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        percent = min(100.0, 100 * self.done / self.total)
        bar = ("#" * int(percent / 5)).ljust(20, ".")
        self.stream.write(
            f"{prefix}  {self.label:<12} [{bar}] {percent:5.1f}% "
            f"{self.done:>11,} rows {self.done / elapsed:>10,.0f} rows/s"
        )
        self.stream.flush()


class Table:
    """A model's table for raw loads: our columns, then every other column with
    its model default, so that a field added to a model later still loads."""

    def __init__(self, model: type[models.Model], columns: str) -> None:
        names = columns.split()
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in names if c not in fields]
        if unknown:
            raise CommandError(f"{model.__name__} has no columns {unknown}")
        extra = [f for f in model._meta.concrete_fields if f.column not in names]
        self.name = model._meta.db_table
        self.columns = names + [f.column for f in extra]
        self.defaults = tuple(_column_default(model, f) for f in extra)

    def _quoted(self) -> tuple[str, str]:
        quote = connection.ops.quote_name
        return quote(self.name), ", ".join(quote(c) for c in self.columns)

    def sql_insert(self) -> str:
        table, cols = self._quoted()
        marks = ", ".join(["%s"] * len(self.columns))
        return f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 - ours

    def sql_copy(self) -> str:
        table, cols = self._quoted()
        return f"COPY {table} ({cols}) FROM STDIN"


def _column_default(model: type[models.Model], field: models.Field) -> Any:
    if field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = timezone.now()
    elif field.empty_strings_allowed and field.blank:
        value = ""
    else:
        raise CommandError(
            f"seed_scale does not know how to fill {model.__name__}.{field.name}: "
            "give it a value in content/scale/library.py"
        )
    return field.get_db_prep_save(value, connection)


class BulkWriter:
    """Streams rows into a table: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, stream, batch_size: int = 20_000) -> None:
        self.stream = stream
        self.batch_size = batch_size
        self.counts: dict[str, int] = {}

    def write(self, table: Table, rows: Iterable[tuple], total: int, label: str) -> int:
        progress = Progress(self.stream, label, total)
        defaults = table.defaults
        written = 0
        if connection.vendor == "postgresql":
            raw = connection.connection  # the psycopg connection Django holds
            with raw.cursor() as cursor, cursor.copy(table.sql_copy()) as copy:
                for chunk in chunks(rows, 10_000):
                    for row in chunk:
                        copy.write_row(row + defaults)
                    written += len(chunk)
                    progress.add(len(chunk))
        else:
            sql = table.sql_insert()
            with connection.cursor() as cursor:
                for chunk in chunks(rows, self.batch_size):
                    if defaults:
                        chunk = [row + defaults for row in chunk]
                    cursor.executemany(sql, chunk)
                    written += len(chunk)
                    progress.add(len(chunk))
        progress.finish()
        self.counts[table.name] = self.counts.get(table.name, 0) + written
        return written


@contextmanager
def secondary_indexes_dropped(
    tables: list[type[models.Model]], stream
) -> Iterator[None]:
    """Load without the secondary indexes, then build each one in a single sort:
    far faster than updating seven random-order b-trees row by row. Primary keys
    and unique constraints stay. Run inside the load's transaction, so a failed
    load leaves every index as it was."""
    names = [model._meta.db_table for model in tables]
    saved: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for table in names:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = %s AND sql IS NOT NULL "
                    "AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                    "WHERE i.tablename = %s AND i.indexdef NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
            saved += cursor.fetchall()
        for name, _ in saved:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    progress = Progress(stream, "indexes", len(saved))
    with connection.cursor() as cursor:
        for _, sql in saved:
            cursor.execute(sql)
            progress.add(1)
    progress.finish()


def chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def split(total: int, weights: list[float]) -> list[int]:
    """Split `total` into parts proportional to `weights` that sum exactly."""
    if not weights:
        return []
    scale = total / sum(weights)
    parts = [int(w * scale) for w in weights]
    by_fraction = sorted(
        range(len(weights)), key=lambda i: weights[i] * scale - parts[i], reverse=True
    )
    for i in by_fraction[: total - sum(parts)]:
        parts[i] += 1
    return parts


class Pool:
    """Items to draw from, weighted by popularity (cumulative weights)."""

    def __init__(self, members: list[int], popularity: list[float]) -> None:
        self.members = members
        self.cum = list(itertools.accumulate(popularity[m] for m in members))

    def pick(self, rng: random.Random, k: int) -> list[int]:
        if not self.members or k <= 0:
            return []
        return rng.choices(self.members, cum_weights=self.cum, k=k)
