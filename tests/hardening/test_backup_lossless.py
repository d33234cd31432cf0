"""`backup` → `restore` is lossless: restored into an empty database, every table holds the same rows
(the same ids, timestamps to the microsecond, history pointing at the same objects, the same data
version) and every id sequence stands where it stood; SQLite → SQLite, PostgreSQL → PostgreSQL and
SQLite → PostgreSQL. Each database is a database of its own, written and read by processes of its
own (`manage.py migrate`, `backup`, `restore`, tests/hardening/backup_roundtrip.py), whatever
database the test suite itself runs on. And a bad file or a non-empty database is refused with a
clear message, without writing anything."""

import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import CommandError, call_command

from tests.hardening.backup_roundtrip import snapshot

ROOT = Path(__file__).resolve().parents[2]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_server() -> dict:
    """Where the PostgreSQL databases of this test go: the server of DATABASE_URL if the suite runs
    on PostgreSQL, else the local one (names always portal_backup_*)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    config = dj_database_url.parse(url)
    return {k: config[k] for k in ("HOST", "PORT", "USER", "PASSWORD")}


def _pg_admin():
    import psycopg

    server = _pg_server()
    return psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def _pg_url(name: str) -> str:
    server = _pg_server()
    auth = server["USER"] + (f":{server['PASSWORD']}" if server["PASSWORD"] else "")
    return f"postgres://{auth}@{server['HOST']}:{server['PORT'] or 5432}/{name}"


class Database:
    """A database of its own for the subprocesses: a SQLite file or a PostgreSQL database."""

    def __init__(self, backend: str, where: Path):
        self.backend = backend
        self.name = f"portal_backup_{WORKER}_{uuid.uuid4().hex[:10]}"
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        self.env.pop("DATABASE_URL", None)
        if backend == "sqlite":
            self.path = where / f"{self.name}.sqlite3"
            self.env["SQLITE_PATH"] = str(self.path)
        else:
            self.env["DATABASE_URL"] = _pg_url(self.name)

    def create(self, template: "Database | None" = None) -> "Database":
        if self.backend == "sqlite":
            if template:  # a copy of the migrated template (its WAL included)
                with sqlite3.connect(template.path) as src, sqlite3.connect(self.path) as dst:
                    src.backup(dst)
        else:
            with _pg_admin() as admin:
                suffix = f" TEMPLATE {template.name}" if template else ""
                admin.execute(f'CREATE DATABASE "{self.name}"{suffix}')
        return self

    def drop(self) -> None:
        if self.backend == "sqlite":
            for path in self.path.parent.glob(f"{self.path.name}*"):
                path.unlink()
        else:
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600
        )
        if check and result.returncode:
            raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def snapshot(self, out: Path, *options: str, command: str = "snapshot") -> dict:
        self.run("-m", "tests.hardening.backup_roundtrip", command, str(out), *options)
        return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def postgres_reachable():
    try:
        with _pg_admin():
            return True
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: no server to test on
        return str(exc)


@pytest.fixture(scope="session")
def databases(tmp_path_factory, postgres_reachable):
    """databases(backend) → a new empty, migrated database (a copy of one migrated once per backend
    and worker); all dropped at the end."""
    where = tmp_path_factory.mktemp("backup-databases")
    templates: dict[str, Database] = {}
    made: list[Database] = []

    def make(backend: str) -> Database:
        if backend == "postgresql" and postgres_reachable is not True:
            pytest.skip(f"PostgreSQL is not reachable at {_pg_server()['HOST']}: {postgres_reachable}")
        if backend not in templates:
            template = Database(backend, where).create()
            made.append(template)
            template.run("manage.py", "migrate", "--verbosity=0")
            templates[backend] = template
        database = Database(backend, where).create(templates[backend])
        made.append(database)
        return database

    yield make
    for database in reversed(made):
        database.drop()


@pytest.fixture(scope="session")
def sources(databases, tmp_path_factory):
    """sources(backend) → (the backup file, the snapshot of the database it was made from): the seed
    data and the scenario of tests/hardening/backup_roundtrip.py, built once per backend and worker."""
    where = tmp_path_factory.mktemp("backup-sources")
    built: dict[str, tuple[Path, dict]] = {}

    def source(backend: str) -> tuple[Path, dict]:
        if backend not in built:
            database = databases(backend)
            before = database.snapshot(where / f"{backend}-before.json", command="build")
            backup = where / f"{backend}.json.gz"
            database.run("manage.py", "backup", str(backup))
            built[backend] = backup, before
        return built[backend]

    return source


def differences(before: dict, after: dict, limit: int = 20) -> list[str]:
    """What differs between two snapshots, as readable lines (at most `limit`)."""
    found = []
    for table in sorted(set(before["tables"]) | set(after["tables"])):
        old, new = before["tables"].get(table), after["tables"].get(table)
        if old is None or new is None:
            found.append(f"{table}: only in {'after' if old is None else 'before'}")
            continue
        if len(old) != len(new):
            found.append(f"{table}: {len(old)} rows before, {len(new)} after")
        for row_old, row_new in zip(old, new, strict=False):
            if row_old != row_new:
                changed = {
                    k: (row_old.get(k), row_new.get(k)) for k in row_old if row_old.get(k) != row_new.get(k)
                }
                found.append(f"{table} row {row_old.get('id', row_old)}: {changed}")
                break
    if before["sequences"] != after["sequences"]:
        keys = set(before["sequences"]) | set(after["sequences"])
        found += [
            f"sequence of {table}: {before['sequences'].get(table)} before, {after['sequences'].get(table)} after"
            for table in sorted(keys)
            if before["sequences"].get(table) != after["sequences"].get(table)
        ]
    return found[:limit]


def check_the_scenario(before: dict) -> None:
    """The source really holds what the comparison is about (so an equal snapshot means something)."""
    facts, tables = before["facts"], before["tables"]
    towns = {row["id"]: row for row in tables["council_municipality"]}
    assert facts["merged"] not in towns and facts["last"] not in towns
    assert towns[facts["renamed"]]["name"] == "新名町" and facts["renamed"] > facts["merged"]
    assert before["sequences"]["council_municipality"] == facts["last"] > max(towns)
    history = [(row["id"], row["history_type"]) for row in tables["council_historicalmunicipality"]]
    assert (facts["merged"], "-") in history and (facts["renamed"], "~") in history
    stamps = json.dumps(tables)
    assert ".000001+00:00" in stamps and ".999999+00:00" in stamps and ".123456+00:00" in stamps
    assert tables["council_dataversion"][0]["version"] > 1
    assert ["council", "retiredthing"] in [row["content_type_id"] for row in tables["django_admin_log"]]
    memberships = [row["id"] for row in tables["auth_user_groups"]]
    assert memberships != list(range(1, len(memberships) + 1))  # a gap
    assert tables["online_procedures_onlineprocedurestatus_procedures"]
    assert tables["online_procedures_historicalonlineprocedurestatus_procedures"]


@pytest.mark.parametrize(
    "source_backend, target_backend",
    [("sqlite", "sqlite"), ("postgresql", "postgresql"), ("sqlite", "postgresql")],
)
def test_restore_gives_identical_rows_in_every_table(
    source_backend, target_backend, sources, databases, tmp_path
):
    backup, before = sources(source_backend)
    check_the_scenario(before)
    target = databases(target_backend)
    restored = target.run("manage.py", "restore", str(backup))
    assert "復元しました" in restored.stdout
    after = target.snapshot(tmp_path / "after.json", "--probe")
    assert differences(before, after) == []
    assert after["tables"] == before["tables"] and after["sequences"] == before["sequences"]
    # and the restored database goes on where the old one stood: a new town gets a fresh id, not
    # that of the deleted town with the highest id (whose history is still there)
    assert after["facts"]["probe"] == before["facts"]["last"] + 1


# --- refusals: in the test database itself ----------------------------------------------------------


def restore(path, *args):
    return call_command("restore", str(path), *args, stdout=io.StringIO())


def gzipped(path: Path, text: str | bytes) -> Path:
    with gzip.open(path, "wb") as fh:
        fh.write(text.encode() if isinstance(text, str) else text)
    return path


def compose(header: str, objects: list[str], count: int | None = None) -> list[str]:
    """The lines of a backup file (see council/backup.py) from its header line and object lines."""
    return [
        header,
        '"objects": [',
        *[line + "," for line in objects[:-1]],
        objects[-1],
        "],",
        f'"count": {len(objects) if count is None else count}}}',
        "",
    ]


@pytest.fixture
def backup_file(seeded, tmp_path):
    """A backup of the (seeded) test database as its header line and object lines, and a way to
    write them back."""
    path = tmp_path / "backup.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    assert compose(lines[0], [line.removesuffix(",") for line in lines[2:-3]]) == lines

    def write(lines, name="edited.json.gz"):
        return gzipped(tmp_path / name, "\n".join(lines))

    return lines[0], [line.removesuffix(",") for line in lines[2:-3]], write


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not gzip at all", "gzip ファイルではありません"),
        (None, "がありません"),
        (gzip.compress(b"hello, world"), "JSON ではありません"),
        (gzip.compress(b"\xff\xfe\x00broken"), "JSON ではありません"),
        (gzip.compress(b'{"a": 1}'), "backup で作った JSON ではありません"),
        (gzip.compress(b'[{"model": "council.reportingperiod", "fields": {}}]'), "以前の形式"),
        (
            gzip.compress(b'{"backup": {"format": "something-else", "version": 2},\n'),
            "backup で作ったファイルではありません",
        ),
    ],
    ids=["not-gzip", "missing", "not-json", "not-utf8", "other-json", "old-format", "other-format"],
)
def test_a_file_that_is_not_a_backup_is_refused(content, message, tmp_path, seeded):
    path = tmp_path / "file.json.gz"
    if content is not None:
        path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CommandError) as info:
        restore(path, "--force")
    assert message in str(info.value)
    assert snapshot() == before


def damaged(header: str, objects: list[str]) -> dict[str, tuple[list[str], str]]:
    """Ways a real backup can be damaged (late in the file, most of them), each with its message."""
    middle = len(objects) // 2
    at = next(i for i, line in enumerate(objects) if '"model": "council.municipality"' in line)

    def changed(**fields):
        obj = json.loads(objects[at])
        obj["fields"].update(fields)
        return objects[:at] + [json.dumps(obj, ensure_ascii=False)] + objects[at + 1 :]

    head = json.loads(header.removeprefix('{"backup": ').removesuffix(","))
    other_head = '{"backup": ' + json.dumps({**head, "migrations": ["council.0001_initial"]}) + ","
    broken_head = '{"backup": ' + json.dumps({**head, "sequences": None}) + ","
    content_type = (
        '{"model": "contenttypes.contenttype", "pk": 999, "fields": {"app_label": "x", "model": "y"}}'
    )
    return {
        "garbage-line": (
            compose(header, objects[:middle] + ["{garbage"] + objects[middle + 1 :]),
            "件目のデータが読めません",
        ),
        "line-missing": (
            compose(header, objects[:middle] + objects[middle + 1 :], count=len(objects)),
            "件のはずが",
        ),
        "no-trailer": (compose(header, objects)[:-3], "途中で切れています"),
        "dangling-key": (compose(header, changed(prefecture=999999)), "整合しません"),
        "unknown-field": (compose(header, changed(no_such_field=1)), "no_such_field"),
        "row-twice": (compose(header, objects[: at + 1] + objects[at:]), "整合しません"),
        "not-backed-up": (compose(header, objects + [content_type]), "バックアップの対象ではありません"),
        "other-migrations": (compose(other_head, objects), "マイグレーションが違います"),
        "header-incomplete": (compose(broken_head, objects), "先頭の情報が欠けています"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "garbage-line",
        "line-missing",
        "no-trailer",
        "dangling-key",
        "unknown-field",
        "row-twice",
        "not-backed-up",
        "other-migrations",
        "header-incomplete",
    ],
)
def test_a_damaged_backup_writes_nothing(case, backup_file, django_user_model):
    """Found however late in the file: refused with a message, and the database is as it was, though
    `--force` had already emptied it inside the transaction."""
    header, objects, write = backup_file
    lines, message = damaged(header, objects)[case]
    path = write(lines)
    django_user_model.objects.create(username="after-the-backup")  # the database differs from the file
    before = snapshot()
    with pytest.raises(CommandError) as info:
        restore(path, "--force")
    assert message in str(info.value), info.value
    assert snapshot() == before


def test_a_truncated_file_is_refused(backup_file, tmp_path):
    header, objects, write = backup_file
    whole = write(compose(header, objects)).read_bytes()
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    before = snapshot()
    with pytest.raises(CommandError) as info:
        restore(cut, "--force")
    assert "途中で切れています" in str(info.value)
    assert snapshot() == before


def test_a_database_with_data_is_refused_without_force(backup_file):
    header, objects, write = backup_file
    before = snapshot()
    with pytest.raises(CommandError) as info:
        restore(write(compose(header, objects)))
    assert "空ではありません" in str(info.value) and "council_municipality に 20 行" in str(info.value)
    assert snapshot() == before


def test_force_replaces_the_data_with_the_backup(backup_file, django_user_model, hagi):
    """`--force`: whatever the database held since, afterwards it holds exactly the backup."""
    header, objects, write = backup_file
    path = write(compose(header, objects))
    before = snapshot()
    django_user_model.objects.create(username="after-the-backup")
    hagi.name = "改名後"
    hagi.save()
    restore(path, "--force")
    assert snapshot() == before


def test_backup_to_a_place_that_cannot_be_written(tmp_path, seeded):
    with pytest.raises(CommandError) as info:
        call_command("backup", str(tmp_path / "no-such-dir" / "b.json.gz"), stdout=io.StringIO())
    assert "書き込めません" in str(info.value)
    assert not list(tmp_path.rglob("*.partial"))
