"""The backup round trip's two halves, run in their own processes against their own database
(DATABASE_URL or SQLITE_PATH) by tests/hardening/test_backup_lossless.py:

    python -m tests.hardening.backup_roundtrip build snapshot.json      # seed + the scenario, then snapshot
    python -m tests.hardening.backup_roundtrip snapshot snapshot.json   # snapshot only (a restored database)

A snapshot is every table of the database, row by row in primary-key order, plus where each id
sequence stands. Values are normalised only where the backends represent the same value
differently (SQLite gives naive UTC datetimes and floats for decimals, PostgreSQL aware datetimes and
Decimals); content types and permissions, which `migrate` rebuilds with ids of its own, appear by
their natural keys, wherever they are referenced too."""

import json
import sys
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

#: transient tables a backup leaves out (and the migration record, rebuilt by `migrate`)
TRANSIENT_TABLES = {"django_session", "django_migrations", "council_importstash"}
TRANSIENT_PREFIXES = ("axes_",)
JST = ZoneInfo("Asia/Tokyo")


def compared_tables(connection) -> list[str]:
    return sorted(
        table
        for table in connection.introspection.table_names()
        if table not in TRANSIENT_TABLES and not table.startswith(TRANSIENT_PREFIXES)
    )


def _datetime(value) -> str:
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if value.tzinfo is None:  # SQLite: naive, in UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _plain(value):
    """A value of a column no model describes: the same normalisation by its Python type."""
    if isinstance(value, datetime):
        return _datetime(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value.normalize())
    return value


def _normaliser(field, natural):
    """value → its backend-independent form, for the column of `field`."""
    if field is None:
        return _plain
    if field.is_relation and field.related_model in natural:
        keys = natural[field.related_model]
        return lambda value: None if value is None else keys[value]
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return lambda value: None if value is None else _datetime(value)
    if kind == "DateField":
        return lambda value: None if value is None else str(value)[:10]
    if kind == "TimeField":
        return lambda value: (
            None if value is None else (value if isinstance(value, str) else value.isoformat())
        )
    if kind == "DecimalField":
        return lambda value: None if value is None else str(Decimal(str(value)).normalize())
    if kind == "FloatField":
        return lambda value: None if value is None else repr(float(value))
    if kind == "BooleanField":
        return lambda value: None if value is None else bool(value)
    if kind == "JSONField":
        return lambda value: (
            None
            if value is None
            else json.dumps(json.loads(value) if isinstance(value, str) else value, sort_keys=True)
        )
    if kind == "BinaryField":
        return lambda value: None if value is None else bytes(value).hex()
    if kind == "UUIDField":
        return lambda value: None if value is None else uuid.UUID(str(value)).hex
    if kind == "DurationField":
        return lambda value: (
            None if value is None else value if isinstance(value, int) else value // timedelta(microseconds=1)
        )
    return _plain


def sequences(connection, tables) -> dict[str, int]:
    """The last id each table's sequence has handed out (0: none yet)."""
    result = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            issued = dict(cursor.fetchall())
            for table in tables:
                if issued.get(table):
                    result[table] = issued[table]
        else:
            for table in tables:
                pk = connection.introspection.get_primary_key_column(cursor, table)
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), pk]
                )
                (sequence,) = cursor.fetchone()
                if sequence:
                    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                    last, called = cursor.fetchone()
                    if last - (0 if called else 1):
                        result[table] = last - (0 if called else 1)
    return result


def snapshot(connection=None) -> dict:
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection as default_connection

    connection = connection or default_connection
    content_types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
    permissions = {p.pk: [*content_types[p.content_type_id], p.codename] for p in Permission.objects.all()}
    natural = {ContentType: content_types, Permission: permissions}
    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    tables = compared_tables(connection)
    data = {}
    with connection.cursor() as cursor:
        for table in tables:
            model = models.get(table)
            description = connection.introspection.get_table_description(cursor, table)
            columns = [column.name for column in description]
            fields = {f.column: f for f in model._meta.concrete_fields} if model else {}
            normalise = [_normaliser(fields.get(column), natural) for column in columns]
            pk = connection.introspection.get_primary_key_column(cursor, table)
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
            rows = [
                dict(zip(columns, (n(v) for n, v in zip(normalise, row, strict=True)), strict=True))
                for row in cursor.fetchall()
            ]
            if model in natural:  # rebuilt by migrate: compared by natural key, whatever the ids
                for row in rows:
                    row["id"] = natural[model][row["id"]]
                    row.pop("content_type_id", None)
                rows.sort(key=lambda row: row["id"])
            data[table] = rows
    rebuilt = {ContentType._meta.db_table, Permission._meta.db_table}
    return {"tables": data, "sequences": sequences(connection, [t for t in tables if t not in rebuilt])}


def build_scenario() -> dict:
    """The seed data and what the issue saw go wrong: a deleted town leaving a gap in the ids (and
    the highest id deleted, so a sequence stands above every row), a town renamed after it, reports
    through the whole workflow (history, events, the data version moved), users removed from a group,
    an admin log entry (a content type by id), a stale content type still referenced, timestamps with
    microseconds (including .000001 and .999999). Returns facts the test checks the snapshot against."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from council import services
    from council.framework import registry
    from council.models import Municipality, ReportEvent, ReportingPeriod, Role, StatusReport
    from council.roles import ensure_staff_group
    from online_procedures.models import OnlineProcedureStatus, Procedure
    from tests.factories import UserFactory, government_code

    call_command("seed", verbosity=0)
    yamaguchi = Municipality.objects.get(slug="yamaguchi-pref")
    hagi = Municipality.objects.get(slug="hagi")
    staff = UserFactory(username="staff", role=Role.STAFF, organisation=yamaguchi, is_staff=True)
    staff.groups.add(ensure_staff_group())
    liaison = UserFactory(username="liaison-hagi", role=Role.LIAISON, organisation=hagi)
    leaving = UserFactory(username="leaving", role=Role.MEMBER, organisation=yamaguchi)

    # a town that goes (a gap in the ids, its history stays), then one renamed after it
    def town(number, name):
        return Municipality.objects.create(
            code=government_code(35, number),
            name=name,
            slug=f"town-{number}",
            kind=Municipality.Kind.TOWN,
            prefecture=yamaguchi,
        )

    merged = town(441, "合併前町")
    renamed = town(442, "旧名町")
    last = town(443, "最後町")
    merged_id = merged.pk
    merged.delete()
    renamed.name, renamed.slug = "新名町", "shinmei"
    renamed.save()
    last_id = last.pk
    last.delete()  # the highest id: the sequence stands above every remaining row

    # groups: a membership removed leaves a gap in auth_user_groups
    extra = Group.objects.create(name="臨時")
    extra.permissions.add(Permission.objects.get(codename="view_municipality"))
    leaving.groups.add(extra)
    liaison.groups.add(extra)
    leaving.groups.remove(extra)
    leaving.delete()

    # reports through the workflow
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    section = registry.sections.get("dx")
    current = section.instance_for(report)
    data = {
        "department": "DX推進室",
        "policy": "established",
        "policy_planned_fiscal_year": None,
        "promotion_body": "萩市DX推進本部",
        "has_external_talent": True,
        "external_talent_count": 2,
        "has_it_hires": True,
        "it_hires_count": 1,
    }
    services.section_save(
        report=report, section=section, data=data, expected_version=current.version, user=liaison
    )
    services.report_submit(report=report, user=liaison)
    services.report_return(report=report, user=staff, comment="人数を確認してください")
    current = section.instance_for(StatusReport.objects.get(pk=report.pk))
    services.section_save(
        report=report,
        section=section,
        data={**data, "external_talent_count": 3},
        expected_version=current.version,
        user=liaison,
    )
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    services.report_reopen(report=report, user=staff, comment="訂正")
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    draft = services.report_start(municipality=renamed, period=q1, user=None)

    # a many-to-many with history of its own (the historical through rows), one row taken out again
    online = OnlineProcedureStatus.objects.get(report=report)
    online.procedures.set(Procedure.objects.order_by("order")[:3])
    online.procedures.remove(Procedure.objects.order_by("order")[1])

    # timestamps to the microsecond, at the edges of what a millisecond format keeps
    StatusReport.objects.filter(pk=draft.pk).update(created_at=datetime(2023, 7, 1, 9, 0, 0, 1, tzinfo=JST))
    ReportEvent.objects.filter(report=draft).update(at=datetime(2023, 7, 1, 9, 0, 0, 999999, tzinfo=JST))
    StatusReport.history.filter(id=draft.pk).update(
        history_date=datetime(2023, 7, 1, 9, 0, 0, 123456, tzinfo=JST)
    )

    # the admin's log: a content type by id, one of them stale (its model is gone)
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Municipality),
        object_id=str(renamed.pk),
        object_repr=str(renamed),
        action_flag=CHANGE,
        change_message="名称を変更",
    )
    stale = ContentType.objects.create(app_label="council", model="retiredthing")
    Permission.objects.create(content_type=stale, codename="view_retiredthing", name="Can view retired thing")
    extra.permissions.add(Permission.objects.get(codename="view_retiredthing"))
    LogEntry.objects.create(
        user=staff, content_type=stale, object_id="7", object_repr="廃止", action_flag=CHANGE
    )
    return {
        "merged": merged_id,
        "renamed": renamed.pk,
        "last": last_id,
        "report": report.pk,
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, out = argv[0], argv[1]
    if command == "build":
        facts = build_scenario()
    elif command == "snapshot":
        facts = {}
    else:
        raise SystemExit(f"unknown command {command}")
    taken = snapshot()
    if "--probe" in argv:  # after the snapshot: the id a new town gets here
        facts["probe"] = new_town_id()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"facts": facts, **taken}, fh, ensure_ascii=False)


def new_town_id() -> int:
    from council.models import Municipality
    from tests.factories import government_code

    yamaguchi = Municipality.objects.get(slug="yamaguchi-pref")
    town = Municipality.objects.create(
        code=government_code(35, 444), name="新設町", slug="shinsetsu", kind="town", prefecture=yamaguchi
    )
    return town.pk


if __name__ == "__main__":
    main(sys.argv[1:])
