"""Bulk inserts that keep history.

`create_with_history` inserts the rows with `bulk_create`, then writes all their historical records
with `INSERT … SELECT` (one statement on PostgreSQL, batches on SQLite): the same records as saving
one row at a time ("+" created, by `user`, now, no change reason), with no Python per row.
`copy_with_history` copies rows (a report's section into the next report) the same way.
`tests/framework/test_history.py` checks every created row has exactly one such record with its values.

Why not django-simple-history's `bulk_create_with_history` (issue #11; measured 2026-11-26 on the
2-core development machine, shared with other test runs (load average 2.6-4.3), PostgreSQL 15,
Django 5.2, django-simple-history 3.13; medians of 3): the library builds a historical model instance
for every row and prepares every value of it in Python, about 17,000 historical rows for a national
import. The committed national import of `benchmarks/excel_import.py` fell from 3,788 rows/s (SQL,
interleaved runs) to 1,559 rows/s; `benchmarks/history.py` (same run, rolled back) measured the
library at 1.99x the SQL's time for the committed import and 2.15x for `reports_start` of 1,741
reports, and the library for new rows with this SQL for copies still at 1.38x and 1.48x. The SQL
path is at 5,325 rows/s on a quiet machine (README), so the library would fall well under the
5,000 rows/s the import must keep. Details: docs/decisions.md, "SQL history inserts".
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

HISTORY_FIELDS = ("history_id", "history_date", "history_change_reason", "history_type", "history_user")
BATCH = 500  # ids per statement: well under SQLite's parameter limit


def create_with_history(objects: list, model, user, *, batch_size: int = 1000) -> list:
    """`model.objects.bulk_create(objects)` and a "created" historical record for each, by `user`."""
    created = model.objects.bulk_create(objects, batch_size=batch_size)
    record_created(model, [obj.pk for obj in created], user)
    return created


def record_created(model, pks: list[int], user) -> None:
    """Historical records ("+") of the rows `pks` of `model` as they are now in the database."""
    if not pks:
        return
    historical = model.history.model
    source = {f.column for f in model._meta.concrete_fields}
    columns = [
        f.column
        for f in historical._meta.concrete_fields
        if f.name not in HISTORY_FIELDS and f.column in source
    ]
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    now = timezone.now()
    insert = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({column_list}, {quote('history_date')}, "
        f"{quote('history_change_reason')}, {quote('history_type')}, {quote('history_user_id')}) "
        f"SELECT {column_list}, %s, NULL, '+', %s FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} "
    )
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement, the ids as one array
            cursor.execute(insert + "= ANY(%s)", [now, user_id, list(pks)])
            return
        for start in range(0, len(pks), BATCH):
            batch = pks[start : start + BATCH]
            cursor.execute(insert + f"IN ({', '.join(['%s'] * len(batch))})", [now, user_id, *batch])


def copy_with_history(
    model, link: str, pairs: list[tuple[int, int]], fields: list[str], values: dict, user
) -> dict[int, int]:
    """Copy rows of `model` in SQL: for each (old, new) in `pairs`, the row whose `link` column is
    `old` is inserted again with `link` = `new`, its `fields` columns copied and `values` set
    (`INSERT … SELECT … JOIN` the pairs: `unnest` of two arrays on PostgreSQL, `VALUES` batches on
    SQLite; no Python per row), then history is recorded.
    Each `old` has at most one row (a section of a report); one without a row is skipped.
    Returns {new link: new row id}."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    values = {  # columns neither copied nor given start with the model's default, as a new row would
        **{
            f.column: f.get_db_prep_save(f.get_default(), connection)
            for f in model._meta.concrete_fields
            if f.column not in (link, *fields) and not f.primary_key
        },
        **values,
    }
    columns = [quote(c) for c in (link, *values, *fields)]
    select = ", ".join(["v.column2", *(["%s"] * len(values)), *(f"s.{quote(f)}" for f in fields)])
    created: dict[int, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the pairs as two arrays, one statement
            batches = [
                (
                    "unnest(%s::bigint[], %s::bigint[]) AS v(column1, column2)",
                    [[o for o, _ in pairs], [n for _, n in pairs]],
                )
            ]
        else:
            batches = [
                (
                    f"(VALUES {', '.join(['(CAST(%s AS BIGINT), CAST(%s AS BIGINT))'] * len(batch))}) v",
                    [n for pair in batch for n in pair],
                )
                for batch in (pairs[start : start + BATCH] for start in range(0, len(pairs), BATCH))
            ]
        for source, params in batches:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} s "
                f"JOIN {source} ON s.{quote(link)} = v.column1 RETURNING {pk}, {quote(link)}",
                [*values.values(), *params],
            )
            created.update((new_link, row_id) for row_id, new_link in cursor.fetchall())
    record_created(model, list(created.values()), user)
    return created
