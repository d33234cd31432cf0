"""Lossless backup and restore of the portal's data (`manage.py backup` / `manage.py restore`).

A backup is gzip-compressed JSON, written as it is read (one row a line), of every table that holds
data: users, groups, profiles, every model of the portal, every history table, the admin's log, the
data version, the through tables of many-to-many fields (as tables, with their own ids). Every row
keeps its primary key and every foreign key its value, timestamps keep their microseconds, and the
backup records where each id sequence stands, so that an id a deleted row had is never handed out
again (history rows still point to it). Content types and permissions are not in it: `migrate`
rebuilds them, with ids of its own, so rows refer to them by natural key (app label, model,
codename), and the backup lists the ones that exist so that a restore recreates a stale one that is
still referenced. Sessions, login attempts (axes) and uploads waiting for their confirm are
transient and left out.

A restore loads a backup into an empty, migrated database in one transaction: the same rows,
inserted as they are (no save(), no signal: no history is written, the data version does not move),
then every id sequence set where it stood. A bad file, a backup of another migration state or a
database that is not empty is refused with a message, and nothing is written.

File layout (valid JSON; the reader relies on one object a line)::

    {"backup": {"format": ..., "version": 2, "migrations": [...], "sequences": {...}, ...},
    "objects": [
    {"model": "auth.group", "pk": 1, "fields": {...}},
    ...
    ],
    "count": 1234}
"""

from __future__ import annotations

import datetime
import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import django
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "yamaguchi-dg-council-portal-backup"
VERSION = 2
#: transient data, or rebuilt by `migrate` (content types and permissions: by natural key instead)
EXCLUDED_APPS = frozenset({"contenttypes", "sessions", "axes"})
EXCLUDED_MODELS = frozenset({"auth.permission", "council.importstash"})
#: rows that `migrate` itself writes into backed-up tables (the prefecture staff's group and its
#: permissions): a database holding only these is empty
MIGRATE_WRITES = (Group, Group.permissions.through)
BATCH = 500
HEAD = '{"backup": '


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why, for the operator."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose table a backup holds, through tables of many-to-many fields included."""
    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if not model._meta.proxy
            and model._meta.managed
            and not model._meta.swapped
            and model._meta.app_label not in EXCLUDED_APPS
            and model._meta.label_lower not in EXCLUDED_MODELS
        ),
        key=lambda model: model._meta.label_lower,
    )


def _sequence_column(model: type[models.Model]) -> str | None:
    """The column of the model's id sequence (its auto primary key), if it has one."""
    pk = model._meta.pk
    return pk.column if isinstance(pk, models.AutoField) else None


# --- writing -------------------------------------------------------------------------------------


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, without its cut to milliseconds: datetimes and times to the microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(PythonSerializer):
    """Django's serializer, row by row to `write`: primary and foreign keys as they are in the
    database, except references to content types and permissions (by natural key); no many-to-many
    values (their through tables are backed up as tables of their own)."""

    def __init__(self, natural: dict[type[models.Model], dict[Any, list[str]]], write: Callable) -> None:
        super().__init__()
        self.natural = natural
        self.write = write

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        keys = self.natural.get(field.remote_field.model)
        if keys is None:
            super().handle_fk_field(obj, field)
            return
        value = field.value_from_object(obj)
        current: dict[str, Any] = self._current  # type: ignore[assignment]  # a dict while an object is written
        current[field.name] = None if value is None else keys[value]

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        pass

    def end_object(self, obj: models.Model) -> None:
        self.write(self.get_dump_object(obj))
        self._current = None


def _natural_keys(using: str) -> dict[type[models.Model], dict[Any, list[str]]]:
    content_types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.using(using)}
    permissions = {
        p.pk: [p.codename, *content_types[p.content_type_id]] for p in Permission.objects.using(using)
    }
    return {ContentType: content_types, Permission: permissions}


def _applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    """The migrations applied to the database, of those the code knows."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}" for app, name in loader.applied_migrations or {} if (app, name) in loader.graph.nodes
    )


def _sequences(connection: BaseDatabaseWrapper, models_: list[type[models.Model]]) -> dict[str, int]:
    """The last id each table's sequence has handed out (tables whose sequence has handed out none
    are left out)."""
    result: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            issued = dict(cursor.fetchall())
            for model in models_:
                if _sequence_column(model) and issued.get(model._meta.db_table):
                    result[model._meta.db_table] = int(issued[model._meta.db_table])
        elif connection.vendor == "postgresql":
            for model in models_:
                column = _sequence_column(model)
                if column is None:
                    continue
                table = model._meta.db_table
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), column]
                )
                (sequence,) = cursor.fetchone()
                if sequence:
                    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                    last, called = cursor.fetchone()
                    if last - (0 if called else 1) > 0:
                        result[table] = last - (0 if called else 1)
    return result


@contextmanager
def _one_snapshot(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Read the whole database as of one moment, while the portal goes on writing: PostgreSQL's
    repeatable read; on SQLite a deferred read transaction (WAL: writers are not blocked, as they
    would be by the IMMEDIATE transactions the settings ask for)."""
    if connection.in_atomic_block:  # already inside a transaction, which is the snapshot
        yield
        return
    connection.ensure_connection()
    mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
    try:
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode  # type: ignore[attr-defined]


def write_backup(stream: IO[str], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Write the backup of database `using` to the text stream; returns the number of rows."""
    connection = connections[using]
    models_ = backed_up_models()
    count = 0

    def write(obj: dict) -> None:
        nonlocal count
        if count:
            stream.write(",\n")
        stream.write(json.dumps(obj, cls=_Encoder, ensure_ascii=False))
        count += 1

    with _one_snapshot(connection):
        natural = _natural_keys(using)
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "django": django.get_version(),
            "migrations": _applied_migrations(connection),
            "content_types": sorted(natural[ContentType].values()),
            "permissions": sorted(
                list(row)
                for row in Permission.objects.using(using).values_list(
                    "codename", "content_type__app_label", "content_type__model", "name"
                )
            ),
            "sequences": _sequences(connection, models_),
        }
        stream.write(HEAD + json.dumps(header, ensure_ascii=False) + ",\n")
        stream.write('"objects": [\n')
        serializer = _RowSerializer(natural, write)
        for model in models_:
            rows = model._base_manager.using(using).order_by("pk")
            serializer.serialize(rows.iterator(chunk_size=2000))
        stream.write(("\n" if count else "") + "],\n" + f'"count": {count}}}\n')
    return count


def backup(path: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Write the backup to `path` (through a temporary file beside it, so that a failed backup
    leaves no half-written file, nor replaces an older backup of the same name)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with gzip.open(partial, "wt", encoding="utf-8", newline="\n") as fh:
            count = write_backup(fh, using=using)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{path} に書き込めません（{exc.strerror or exc}）。") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


# --- reading -------------------------------------------------------------------------------------


class BackupFile:
    """A backup being read: its header at once (`open` checks that the file is a backup), then its
    rows one by one (`objects()`), with any damage found on the way raised as BackupError."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise BackupError(f"{self.path} がありません。")
        # closed by close() (BackupFile is a context manager), or here if the file is refused
        self.fh = gzip.open(self.path, "rt", encoding="utf-8", newline="\n")  # noqa: SIM115
        try:
            self.header = self._header()
        except BaseException:
            self.fh.close()
            raise

    def _header(self) -> dict:
        first = self._line(first=True)
        if not first.startswith(HEAD):
            raise BackupError(self._not_a_backup(first))
        try:
            header = json.loads(first[len(HEAD) :].rstrip().removesuffix(","))
        except ValueError:
            raise BackupError(f"{self.path} は壊れています（先頭の情報が読めません）。") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BackupError(f"{self.path} はポータルの backup で作ったファイルではありません。")
        if header.get("version") != VERSION:
            raise BackupError(
                f"{self.path} は、このポータルが読めない版（{header.get('version')}）の backup で作られています。"
                "作ったときと同じ版のポータルで復元してください。"
            )
        shapes = {
            "migrations": lambda v: isinstance(v, str),
            "content_types": lambda v: isinstance(v, list) and len(v) == 2,
            "permissions": lambda v: isinstance(v, list) and len(v) == 4,
        }
        sequences = header.get("sequences")
        if not (
            all(isinstance(header.get(k), list) and all(map(ok, header[k])) for k, ok in shapes.items())
            and isinstance(sequences, dict)
            and all(isinstance(v, int) for v in sequences.values())
        ):
            raise BackupError(f"{self.path} は壊れています（先頭の情報が欠けています）。")
        return header

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> BackupFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _line(self, first: bool = False) -> str:
        try:
            return self.fh.readline()
        except (gzip.BadGzipFile, zlib.error) as exc:
            if first:
                raise BackupError(f"{self.path} は backup で作った gzip ファイルではありません。") from exc
            raise BackupError(f"{self.path} は壊れています（gzip の展開に失敗しました: {exc}）。") from exc
        except EOFError as exc:
            raise BackupError(
                f"{self.path} は途中で切れています（ファイルの最後まで書かれていません）。"
            ) from exc
        except UnicodeDecodeError as exc:
            raise BackupError(
                f"{self.path} は JSON ではありません（UTF-8 の文字として読めません）。"
            ) from exc

    def _not_a_backup(self, first: str) -> str:
        """Why a file whose first line is not a backup's is refused: not JSON, an older backup, or
        some other JSON."""
        text, size = [first], len(first)
        while size < 50_000_000 and (line := self._line()):
            text.append(line)
            size += len(line)
        try:
            data = json.loads("".join(text))
        except ValueError:
            return f"{self.path} は JSON ではありません（backup で作ったファイルではありません）。"
        if isinstance(data, list) and data and all(isinstance(o, dict) and "model" in o for o in data[:10]):
            return (
                f"{self.path} は以前の形式（ID・時刻のマイクロ秒を保たない形式）のバックアップです。"
                "restore では読み込めません（manage.py loaddata なら読み込めますが、ID は元と同じになりません）。"
            )
        return f"{self.path} はポータルの backup で作った JSON ではありません。"

    def objects(self) -> Iterator[dict]:
        if self._line() != '"objects": [\n':
            raise BackupError(f"{self.path} は壊れています（データの始まりが見つかりません）。")
        count = 0
        while (line := self._line()) != "],\n":
            if not line:
                raise BackupError(f"{self.path} は途中で切れています（{count} 件目のあと）。")
            try:
                obj = json.loads(line.rstrip("\n").removesuffix(","))
            except ValueError:
                raise BackupError(
                    f"{self.path} は壊れています（{count + 1} 件目のデータが読めません）。"
                ) from None
            if not isinstance(obj, dict) or not {"model", "pk", "fields"} <= obj.keys():
                raise BackupError(
                    f"{self.path} は壊れています（{count + 1} 件目がデータの形をしていません）。"
                )
            count += 1
            yield obj
        trailer = line + self._line()
        try:
            expected = json.loads("{" + trailer.removeprefix("],").strip())["count"]
        except (ValueError, KeyError, TypeError):
            raise BackupError(f"{self.path} は途中で切れています（終わりの印がありません）。") from None
        if expected != count:
            raise BackupError(f"{self.path} は壊れています（{expected} 件のはずが {count} 件です）。")
        if self._line():  # read to the end: gzip checks its checksum and length there
            raise BackupError(f"{self.path} は壊れています（終わりの印のあとに続きがあります）。")


# --- restoring -----------------------------------------------------------------------------------


def _check_migrations(header: dict, connection: BaseDatabaseWrapper) -> None:
    theirs, ours = set(header.get("migrations", [])), set(_applied_migrations(connection))
    if theirs == ours:
        return
    only_backup, only_here = sorted(theirs - ours), sorted(ours - theirs)
    detail = "、".join(
        part
        for part in (
            f"バックアップにだけあるもの: {', '.join(only_backup[:5])}" if only_backup else "",
            f"このデータベースにだけあるもの: {', '.join(only_here[:5])}" if only_here else "",
        )
        if part
    )
    raise BackupError(
        "バックアップとこのデータベースとで、適用済みのマイグレーションが違います"
        f"（{detail}）。バックアップを作ったときと同じ版のポータルで、migrate しただけの空のデータベースに"
        "復元してください（新しい版へは、復元のあとで更新して migrate します）。"
    )


def _rows_present(models_: list[type[models.Model]], using: str) -> list[str]:
    """Tables that hold data (beyond what `migrate` writes itself), users and organisations first."""
    from django.contrib.auth import get_user_model

    from council.models import Municipality

    first = (get_user_model(), Municipality)
    return [
        f"{model._meta.db_table} に {model._base_manager.using(using).count()} 行"
        for model in sorted(models_, key=lambda model: model not in first)
        if model not in MIGRATE_WRITES and model._base_manager.using(using).exists()
    ]


def _wipe(using: str) -> None:
    """Empty every table a restore writes (and the transient ones that refer to them)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            opts = model._meta
            if opts.proxy or not opts.managed or opts.swapped or model in (ContentType, Permission):
                continue
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(opts.db_table)}")


def _ensure_rebuilt_rows(header: dict, using: str) -> None:
    """Content types and permissions the backup refers to (by natural key) exist here too: a stale
    one (of a model since removed, still in the admin's log or a group) is created again."""
    ContentType.objects.clear_cache()
    content_types = {}
    for app_label, model in header.get("content_types", []):
        content_types[(app_label, model)], _ = ContentType.objects.using(using).get_or_create(
            app_label=app_label, model=model
        )
    for codename, app_label, model, name in header.get("permissions", []):
        Permission.objects.using(using).get_or_create(
            codename=codename, content_type=content_types[(app_label, model)], defaults={"name": name}
        )
    ContentType.objects.clear_cache()


def _insert(model: type[models.Model], rows: list[models.Model], using: str) -> None:
    """Insert the rows as they are: no save(), no signal, every field (the primary key too) raw."""
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    size = max(connections[using].ops.bulk_batch_size(fields, rows), 1)
    for start in range(0, len(rows), size):
        # the insert Model.save() itself does (raw: every value as it is), many rows a statement
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            rows[start : start + size], fields=fields, raw=True, using=using
        )


def _load(backup_file: BackupFile, using: str) -> tuple[int, set[type[models.Model]]]:
    count, loaded = 0, set()
    allowed = frozenset(backed_up_models())
    batch: list[models.Model] = []
    model: type[models.Model] | None = None
    deserializer = PythonDeserializer(backup_file.objects(), using=using)
    while True:
        try:
            item = next(deserializer, None)
        except (BackupError, DatabaseError):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a row the models cannot take raises
            raise BackupError(f"{backup_file.path} は壊れています（{count + 1} 件目: {exc}）。") from exc
        if item is None or type(item.object) is not model or len(batch) >= BATCH:
            if batch and model is not None:
                _insert(model, batch, using)
                loaded.add(model)
            batch = []
        if item is None:
            return count, loaded
        if item.m2m_data or item.deferred_fields:
            raise BackupError(
                f"{backup_file.path} は壊れています（{count + 1} 件目に多対多の値があります）。"
            )
        model = type(item.object)
        if model not in allowed:
            raise BackupError(
                f"{backup_file.path} は壊れています（{model._meta.label} はバックアップの対象ではありません）。"
            )
        batch.append(item.object)
        count += 1


def _set_sequences(recorded: dict[str, int], using: str) -> None:
    """Every id sequence where it stood in the backed-up database (or at the highest id, if higher):
    a new row gets a fresh id, never that of a deleted row its history still points to."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in backed_up_models():
            column = _sequence_column(model)
            if column is None:
                continue
            table = model._meta.db_table
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
            value = max(recorded.get(table, 0), cursor.fetchone()[0] or 0)
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                if value:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value])
            elif connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                    [quote(table), column, max(value, 1), value > 0],
                )
            else:  # not a backend the portal runs on: at least past the highest id
                from django.core.management.color import no_style

                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)


def restore(path: str | Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> int:
    """Load the backup at `path` into database `using`, all or nothing; returns the number of rows.
    The database must be empty (migrated, nothing else) unless `force`, which replaces its data."""
    connection = connections[using]
    with BackupFile(path) as backup_file:
        _check_migrations(backup_file.header, connection)
        models_ = backed_up_models()
        try:
            with transaction.atomic(using=using):
                occupied = _rows_present(models_, using)
                if occupied and not force:
                    raise BackupError(
                        f"データベースが空ではありません（{'、'.join(occupied[:3])}など）。"
                        "migrate しただけの空のデータベースに読み込むか、"
                        "今のデータを消して置き換えてよければ --force を指定してください。"
                    )
                _wipe(using)
                _ensure_rebuilt_rows(backup_file.header, using)
                count, loaded = _load(backup_file, using)
                connection.check_constraints(table_names=sorted(m._meta.db_table for m in loaded))
                _set_sequences(backup_file.header.get("sequences", {}), using)
        except IntegrityError as exc:
            raise BackupError(
                f"{backup_file.path} のデータが整合しません（{exc}）。何も書き込んでいません。"
            ) from exc
        except DatabaseError as exc:
            raise BackupError(
                f"{backup_file.path} を読み込めませんでした（{exc}）。何も書き込んでいません。"
            ) from exc
    return count
