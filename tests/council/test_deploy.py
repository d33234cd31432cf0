"""Deployment: production settings pass Django's deploy checks; docker compose runs what exists."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    } | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x7!kq-" + "a8Zr3mP0vLw2Ns9Tb4Yc6Hd1Jf5Ge7Ku" * 2,
        DJANGO_ALLOWED_HOSTS="portal.example.lg.jp",
        EMAIL_URL="smtp://mail.example.lg.jp:25",
    )
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x7!kq-" + "a8Zr3mP0vLw2Ns9Tb4Yc6Hd1Jf5Ge7Ku" * 2,
    "DJANGO_ALLOWED_HOSTS": "portal.example.lg.jp",
}
MAIL_SETTINGS = (
    "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,"
    " s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.EMAIL_FILE_PATH, sep='|');"
    " print(s.DEFAULT_FROM_EMAIL, s.PORTAL_BASE_URL, sep='|')"
)


def mail_settings(**env) -> list[list[str]]:
    result = run_manage("shell", "--no-imports", "-c", MAIL_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return [line.split("|") for line in result.stdout.splitlines()]


def test_production_refuses_to_start_without_email_url():
    result = run_manage("check", **PRODUCTION, EMAIL_URL="")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "EMAIL_URL" in result.stderr


def test_email_url_configures_mail_as_database_url_configures_the_database():
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    [backend, sender] = mail_settings(**PRODUCTION, EMAIL_URL="smtp://relay.example.lg.jp")
    assert backend[:8] == [smtp, "relay.example.lg.jp", "25", "", "", "False", "False", "10"]
    assert sender == [
        "山口県デジタル・ガバメント構築連携会議 ポータル <noreply@portal.example.lg.jp>",
        "https://portal.example.lg.jp",
    ]
    [backend, sender] = mail_settings(
        **PRODUCTION,
        EMAIL_URL="submission://portal%40example.lg.jp:p%40ss@mail.example.lg.jp?timeout=30",
        DEFAULT_FROM_EMAIL="連携会議事務局 <dx@pref.example.lg.jp>",
        PORTAL_BASE_URL="https://dx.pref.example.lg.jp/",
    )
    assert backend[:8] == [
        smtp,
        "mail.example.lg.jp",
        "587",
        "portal@example.lg.jp",
        "p@ss",
        "True",
        "False",
        "30",
    ]
    assert sender == ["連携会議事務局 <dx@pref.example.lg.jp>", "https://dx.pref.example.lg.jp"]
    [backend, _] = mail_settings(**PRODUCTION, EMAIL_URL="console://")
    assert backend[0] == "django.core.mail.backends.console.EmailBackend"


def test_make_run_writes_mail_under_var_and_email_url_overrides_it():
    [backend, _] = mail_settings(DJANGO_SETTINGS_MODULE="config.settings.local", EMAIL_URL="")
    assert backend[0] == "django.core.mail.backends.filebased.EmailBackend"
    assert backend[8] == str(ROOT / "var" / "mail")
    [backend, _] = mail_settings(DJANGO_SETTINGS_MODULE="config.settings.local", EMAIL_URL="console://")
    assert backend[0] == "django.core.mail.backends.console.EmailBackend"


def test_an_unknown_email_url_is_refused():
    result = run_manage("check", **PRODUCTION, EMAIL_URL="smpt://relay.example.lg.jp")
    assert result.returncode != 0 and "EMAIL_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_demo_accounts_are_refused_when_debug_is_off(seeded, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as info:
        call_command("create_demo_accounts")
    assert "DEBUG" in str(info.value)


def test_demo_accounts_when_debug_is_on(seeded, settings, django_user_model):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    names = set(django_user_model.objects.values_list("username", flat=True))
    assert {"prefecture", "council", "liaison-hagi", "liaison-sanyo-onoda", "liaison-abu"} <= names
    assert (
        len([n for n in names if n.startswith("liaison-")]) == 20
    )  # 19 municipalities and the prefecture itself
    assert "liaison-yamaguchi-pref" in names
    assert django_user_model.objects.get(username="liaison-hagi").check_password("demo")
    assert django_user_model.objects.get(username="liaison-hagi").portal_profile.organisation.name == "萩市"


def test_compose_runs_postgres_15_and_the_web_service_with_migrations():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:15")
    web = services["web"]
    assert (ROOT / web["build"] / "Dockerfile").exists()
    # the migrations run once, before any replica serves (replicas must not race to migrate)
    migrate = services["migrate"]
    assert migrate["build"] == web["build"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    command = migrate["command"] + " && " + web["command"]
    assert (
        "manage.py migrate" in command
        and "gunicorn -c config/gunicorn.conf.py config.wsgi:application" in command
    )

    assert (ROOT / "config" / "wsgi.py").exists() and (ROOT / "manage.py").exists()
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    for part in command.split("&&"):
        if "manage.py" in part:
            name = part.split("manage.py")[1].split()[0].strip('"')
            assert (
                name in {"migrate", "seed", "collectstatic"}
                or (ROOT / "council/management/commands" / f"{name}.py").exists()
            )


def test_compose_schedules_the_outbox_and_the_reminders_with_the_web_services_settings():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    scheduler, web = services["scheduler"], services["web"]
    assert scheduler["build"] == web["build"]
    assert (
        scheduler["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    )  # migrated first
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_SECRET_KEY",
        "EMAIL_URL",
        "PORTAL_BASE_URL",
    ):
        assert scheduler["environment"][name] == web["environment"][name], name
    assert web["environment"]["EMAIL_URL"].startswith("${EMAIL_URL:-")  # production settings need one
    command = scheduler["command"]
    assert "python manage.py send_outbox" in command and "python manage.py send_reminders" in command
    assert "sleep" in command
    for name in ("send_outbox", "send_reminders"):
        assert (ROOT / "council/management/commands" / f"{name}.py").exists()


def test_send_reminders_waits_for_its_hour(seeded, settings):
    from datetime import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    from council.models import ReminderLog

    early = datetime(2023, 8, 1, 0, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
    out = io.StringIO()
    with mock.patch("django.utils.timezone.now", return_value=early):
        call_command("send_reminders", "--from-hour", "8", stdout=out)
    assert out.getvalue() == "" and not ReminderLog.objects.exists()
    with mock.patch("django.utils.timezone.now", return_value=early.replace(hour=8)):
        call_command("send_reminders", "--from-hour", "8", stdout=out)
    assert "令和5年8月1日(火): 催促" in out.getvalue()


def test_gunicorn_config_uses_threaded_workers_with_keep_alive():
    """Sync workers let one idle connection hold a worker during a meeting (see the config's docstring)."""
    import runpy

    config = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread" and config["threads"] >= 2 and config["keepalive"] > 0


def test_readme_quick_start_is_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## クイックスタート")[1].split("##")[0]
    commands = [line.strip() for line in quick.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make run", "make test"]


def test_no_template_loads_anything_from_another_host():
    for template in list(ROOT.glob("templates/**/*.html")) + list(ROOT.glob("*/templates/**/*.html")):
        text = template.read_text()
        assert 'src="http' not in text and 'href="http' not in text and "//cdn" not in text, template


def test_make_run_serves_with_gunicorn_under_the_local_settings(monkeypatch):
    """`make run` serves as production does (threaded workers, a bounded number of requests at once;
    runserver's thread per connection let SQLite writers wait past the busy timeout), with the local
    settings, and restarts the workers when a template changes as well as Python code."""
    import runpy

    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "runserver" not in recipe
    serve = recipe.replace("\\\n", " ")
    assert "gunicorn -c config/gunicorn.conf.py config.wsgi:application --bind $(HOST)" in serve
    assert "DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local}" in serve
    assert "GUNICORN_RELOAD=1" in serve

    monkeypatch.setenv("GUNICORN_RELOAD", "1")
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert config["reload"] is True
    watched = config["reload_extra_files"]
    assert str(ROOT / "templates" / "base.html") in watched
    assert str(ROOT / "council" / "dx" / "templates" / "dx" / "dashboard.html") in watched
    assert str(ROOT / "standardization" / "templates" / "standardization" / "dashboard.html") in watched


def test_compose_runs_replicas_on_a_shared_redis_behind_a_proxy_with_health_checks():
    """Several app servers: at least two web replicas on one database and one Redis, an official
    nginx image in front, every long-running part with a health check."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web, proxy, redis = services["web"], services["proxy"], services["redis"]
    assert web["deploy"]["replicas"] >= 2 and "ports" not in web  # reached through the proxy only
    assert web["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert redis["image"].startswith("redis:")
    assert proxy["image"].startswith("nginx:") and proxy["ports"] == ["8000:80"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    for name in ("db", "redis", "web", "proxy"):
        assert services[name]["healthcheck"]["test"], name
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    mount = next(v for v in proxy["volumes"] if v.startswith("./deploy/nginx.conf:"))
    assert mount.endswith("/etc/nginx/conf.d/default.conf:ro")
    assert "server web:8000" in config and "X-Forwarded-For" in config


def test_redis_url_switches_the_cache_and_the_sessions():
    script = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION', ''), "
        "s.CACHES['default'].get('KEY_PREFIX', ''), s.SESSION_ENGINE, sep='|'); "
        "from django.core.cache import caches; from django.core.cache.backends.redis import RedisCache; "
        "print('redis-backend:', isinstance(caches['default'], RedisCache), end='|'); "
        "from importlib import import_module; from django.contrib.sessions.backends import cached_db; "
        "print('cached-db:', issubclass(import_module(s.SESSION_ENGINE).SessionStore, cached_db.SessionStore))"
    )
    with_redis = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        **PRODUCTION,
        EMAIL_URL="console://",
        REDIS_URL="redis://cache.example.lg.jp:6379/2",
        REDIS_KEY_PREFIX="council",
    )
    settings_line, kind = with_redis.stdout.strip().splitlines()[-2:]
    # Django's own backend (one client per pool); Django's cache-backed sessions with the database behind
    # (council.sessions reads the user and the data version along)
    assert kind == "redis-backend: True|cached-db: True", with_redis.stderr
    assert settings_line.split("|") == [
        "council.redis_cache.RedisCache",
        "redis://cache.example.lg.jp:6379/2",
        "council",
        "council.sessions",
    ], with_redis.stderr
    # without it (`make run`): each process's own memory, sessions in the database, as before
    local = run_manage(
        "shell", "--no-imports", "-c", script, DJANGO_SETTINGS_MODULE="config.settings.local", REDIS_URL=""
    )
    assert local.stdout.strip().splitlines()[-2:][1] == "redis-backend: False|cached-db: False"
    assert local.stdout.strip().splitlines()[-2].split("|") == [
        "django.core.cache.backends.locmem.LocMemCache",
        "",
        "",
        "django.contrib.sessions.backends.db",
    ], local.stderr
