#!/usr/bin/env python
"""What one request costs: a bare Django view, the portal's `/ping` and its cached dashboards, under the
same gunicorn configuration, in the same run; and a profile of `/ping` in process.

1. A scratch PostgreSQL database (`portal_scale`): migrate, seed, a council member of 山口県.
2. For each server setup (one server: local-memory cache, sessions in the database; several
   servers: REDIS_URL, the cache and `cached_db` sessions in Redis): gunicorn with
   config/gunicorn.conf.py (`--workers`, `--threads`), production settings over plain HTTP.
3. Requests/s with wrk (Debian's `wrk`), 50 connections: the bare view (benchmarks/bare_app.py,
   no middleware, no database) in its own gunicorn with the same workers and threads; `/ping`
   (logged in, every middleware); each dashboard, cached as in production. Ratios: /ping of bare,
   dashboards of /ping.
4. `--profile`: the 25 costliest functions of 2,000 in-process `/ping` requests (cProfile).

    .venv/bin/python benchmarks/request_cost.py [--seconds 10] [--workers 4] [--threads 4] [--profile]
"""

import argparse
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import DASHBOARDS  # noqa: E402
from benchmarks.throughput import ENV as THROUGHPUT_ENV  # noqa: E402
from benchmarks.throughput import session  # noqa: E402

PY = sys.executable
PORT = 8765  # benchmarks/throughput.py's session() logs in here
BASE = f"http://127.0.0.1:{PORT}"
DB = "portal_scale"
REDIS = "redis://127.0.0.1:6379/0"
ENV = {  # throughput.py's production settings, on this benchmark's own database
    **THROUGHPUT_ENV,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "EMAIL_URL": "console://",
    "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
}


def prepare():
    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)
    for args in (("migrate", "--noinput"), ("seed",), ("collectstatic", "--noinput")):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)
    script = (
        "from django.contrib.auth import get_user_model as U; from council.models import *\n"
        "c=U().objects.create_user('bench-council', password='bench-pass')\n"
        "Profile.objects.create(user=c, role=Role.MEMBER, organisation=Municipality.objects.get(code='350001'))\n"
    )
    subprocess.run([PY, "manage.py", "shell", "--no-imports", "-c", script], cwd=ROOT, env=ENV, check=True)


def serve(app: str, env: dict, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", app]
        + ["--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--threads", str(threads)]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/ping")
            break
        except urllib.error.HTTPError:
            break  # answers (a redirect to the login page counts)
        except OSError:
            time.sleep(0.2)
    return server


def stop(server: subprocess.Popen):
    server.terminate()
    server.wait(timeout=20)


def wrk(url: str, seconds: int, cookies: dict[str, str] | None = None) -> float:
    # every cookie a logged-in browser sends (the session and the CSRF cookie: without the latter each
    # page with a form would mint a new CSRF secret, which no browser makes the portal do)
    jar = "; ".join(f"{name}={value}" for name, value in (cookies or {}).items())
    headers = ["-H", f"Cookie: {jar}"] if jar else []
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", *headers, f"{BASE}{url}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  !! {url}: {non2xx.group(1)} non-2xx responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def profile(env: dict):
    """cProfile of in-process /ping requests through the whole WSGI stack (no network, no gunicorn)."""
    script = r"""
import cProfile, io, pstats, sys
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
client = Client(); client.force_login(get_user_model().objects.get(username='bench-council'))
cookie = client.cookies['sessionid'].value
handler = WSGIHandler()
environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/ping', 'SERVER_NAME': '127.0.0.1', 'SERVER_PORT': '8765',
           'HTTP_HOST': '127.0.0.1', 'REMOTE_ADDR': '127.0.0.1', 'HTTP_COOKIE': f'sessionid={cookie}',
           'wsgi.url_scheme': 'http', 'wsgi.input': io.BytesIO(b''), 'wsgi.errors': sys.stderr}
def hit():
    body = b''.join(handler(dict(environ, **{'wsgi.input': io.BytesIO(b'')}), lambda s, h, e=None: None))
    assert body == b'ok', body
for _ in range(200): hit()
profiler = cProfile.Profile(); profiler.enable()
for _ in range(2000): hit()
profiler.disable()
stats = pstats.Stats(profiler); stats.sort_stats('cumulative'); stats.print_stats(25)
"""
    subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        check=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    prepare()
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    setups = [("one server (local memory, sessions in the database)", ENV)]
    setups.append(
        (
            "several servers (REDIS_URL: cache and sessions in Redis)",
            {**ENV, "REDIS_URL": REDIS, "REDIS_KEY_PREFIX": prefix},
        )
    )
    print(
        f"gunicorn {args.workers} workers × {args.threads} threads (config/gunicorn.conf.py), PostgreSQL, wrk 50 connections × {args.seconds} s"
    )
    server = serve("benchmarks.bare_app:application", ENV, args.workers, args.threads)
    try:
        wrk("/ping", 2)
        bare = wrk("/ping", args.seconds)
    finally:
        stop(server)
    print(f"{'bare Django view (no middleware)':56} {bare:8.0f} req/s")
    for name, env in setups:
        server = serve("config.wsgi:application", env, args.workers, args.threads)
        try:
            _, cookies = session("bench-council")
            opener, _ = session("bench-council")
            for url in DASHBOARDS * 12:  # every worker has built and cached each page once
                opener.open(f"{BASE}{url}").read()
            ping = wrk("/ping", args.seconds, cookies)
            print(f"{name}:")
            print(
                f"  {'/ping (logged in, every middleware)':54} {ping:8.0f} req/s  ({ping / bare:.2f} of bare)"
            )
            for url in DASHBOARDS:
                rate = wrk(url, args.seconds, cookies)
                print(f"  {url + ' (cached)':54} {rate:8.0f} req/s  ({rate / ping:.2f} of /ping)")
        finally:
            stop(server)
    if args.profile:
        profile(ENV)
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


if __name__ == "__main__":
    main()
