"""A copy of the whole database, taken once per test process and put back before each browser test.

The browser tests run on a transactional database (the live server reads it through a connection of
its own), which pytest-django empties after each test; building the seed data and the demo people
again for every test took several seconds a test (`call_command("seed")`). Putting back the rows
taken right after the first build gives every test the same rows the build gives, in a fraction of
a second, with PostgreSQL's COPY. (SQLite, the local default, builds them again each time.)

The sequences are not put back: they only move forward, so a restored row's id is always below the
next one a test creates. In-process caches that could hold a row of an earlier test by its id (the
content types, the cache framework's local memory) are emptied."""

import io
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction

SUPPORTED = ("postgresql",)


@dataclass
class Snapshot:
    tables: list[str]
    copies: dict[str, bytes] = field(default_factory=dict)  # COPY's binary stream per table


def _tables() -> list[str]:
    # the tables `flush` empties (every model's, the many-to-many ones too; not django_migrations)
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def take() -> Snapshot:
    assert connection.vendor in SUPPORTED, connection.vendor
    snapshot = Snapshot(tables=_tables())
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in snapshot.tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if not cursor.fetchone()[0]:
                continue
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            snapshot.copies[table] = buffer.getvalue()
    return snapshot


def restore(snapshot: Snapshot) -> None:
    quote = connection.ops.quote_name
    assert _tables() == snapshot.tables
    with transaction.atomic(), connection.cursor() as cursor:
        # foreign keys are checked at commit (Django declares them deferrable)
        cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in snapshot.tables))
        for table, data in snapshot.copies.items():
            with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
    ContentType.objects.clear_cache()
    cache.clear()
