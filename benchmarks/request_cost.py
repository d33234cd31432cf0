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
   dashboards of /ping. Beside each, the CPU time the server (its gunicorn processes and Redis, from
   /proc) spent per request, and the same ratios of it: requests/s on a shared two-core machine move
   with whatever else runs (wrk itself takes a core), the CPU a request costs the server much less.
4. Where the CPU goes, in one process (no network, no gunicorn; less noisy than requests/s on a shared
   machine): the bare view, `/ping` with the shared cache in the process's own memory (Django and the
   middleware alone), `/ping` and the cached dashboards on Redis (the round trips added).
5. `--profile`: the 25 costliest functions of 2,000 in-process `/ping` requests on Redis (cProfile).

    .venv/bin/python benchmarks/request_cost.py [--seconds 10] [--workers 4] [--threads 4] [--profile]
    .venv/bin/python benchmarks/request_cost.py --breakdown-only
"""

import argparse
import os
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


def wrk(url: str, seconds: int, cookies: dict[str, str] | None = None, server=None) -> tuple[float, float]:
    """Requests/s with wrk, and (given the server) the CPU time the server spent on one request: its
    gunicorn processes and Redis, read from /proc before and after (µs; what the request costs the
    machine whatever else runs on it, where requests/s moves with every other process)."""
    # every cookie a logged-in browser sends (the session and the CSRF cookie: without the latter each
    # page with a form would mint a new CSRF secret, which no browser makes the portal do)
    jar = "; ".join(f"{name}={value}" for name, value in (cookies or {}).items())
    headers = ["-H", f"Cookie: {jar}"] if jar else []
    processes = server_processes(server) if server else []
    before = cpu_seconds(processes)
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", *headers, f"{BASE}{url}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spent = cpu_seconds(processes) - before
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  !! {url}: {non2xx.group(1)} non-2xx responses")
    served = int(re.search(r"(\d+) requests in", out).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), spent / served * 1e6


def server_processes(server: subprocess.Popen) -> list[int]:
    """The gunicorn master and its workers, and the Redis server (when one runs on this machine)."""

    def tree(pid: int) -> list[int]:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [pid] + [grandchild for child in children for grandchild in tree(int(child))]

    redis_pids = subprocess.run(
        ["pgrep", "-x", "redis-server"], capture_output=True, text=True
    ).stdout.split()
    return tree(server.pid) + [int(pid) for pid in redis_pids]


def cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


IN_PROCESS = r"""
import cProfile, io, os, pstats, sys, time
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
url, mode = os.environ["BENCH_URL"], os.environ["BENCH_MODE"]
client = Client(HTTP_HOST="127.0.0.1"); client.force_login(get_user_model().objects.get(username="bench-council"))
client.get("/council/")  # the CSRF cookie a browser holds
cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
handler = WSGIHandler()
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": url, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8765",
           "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_COOKIE": cookie,
           "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
def hit():
    status = []
    b"".join(handler(dict(environ, **{"wsgi.input": io.BytesIO(b"")}), lambda s, h, e=None: status.append(s)))
    assert status[0].startswith("200"), status
for _ in range(300): hit()
if mode == "profile":
    profiler = cProfile.Profile(); profiler.enable()
    for _ in range(2000): hit()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
else:
    best = min(
        (lambda c: ([hit() for _ in range(1000)], time.process_time() - c)[1])(time.process_time())
        for _ in range(5)
    )
    print(f"cpu-us {best / 1000 * 1e6:.1f}")
"""

BARE_IN_PROCESS = r"""
import io, sys, time
from benchmarks.bare_app import application as handler
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/ping", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8765",
           "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
def hit():
    b"".join(handler(dict(environ, **{"wsgi.input": io.BytesIO(b"")}), lambda s, h, e=None: None))
for _ in range(300): hit()
best = min(
    (lambda c: ([hit() for _ in range(1000)], time.process_time() - c)[1])(time.process_time())
    for _ in range(5)
)
print(f"cpu-us {best / 1000 * 1e6:.1f}")
"""


def in_process(env: dict, url: str, mode: str = "time") -> float:
    """CPU time of one request through the whole WSGI stack in one process (no network, no gunicorn;
    the best of 5 rounds of 1,000), or its profile (`mode="profile"`, printed)."""
    result = subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c", IN_PROCESS],
        cwd=ROOT,
        env={**env, "BENCH_URL": url, "BENCH_MODE": mode},
        check=True,
        capture_output=mode == "time",
        text=True,
    )
    return float(re.search(r"cpu-us ([\d.]+)", result.stdout).group(1)) if mode == "time" else 0.0


def breakdown(redis_env: dict):
    """Where a logged-in read's CPU goes, in process: the bare view; /ping with the shared cache in the
    process's own memory (Django and the middleware, no round trip); /ping and the cached dashboards on
    Redis (the round trips added)."""
    bare = subprocess.run(
        [PY, "-c", BARE_IN_PROCESS], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout
    bare_us = float(re.search(r"cpu-us ([\d.]+)", bare).group(1))
    local = {**ENV, "DJANGO_SETTINGS_MODULE": "benchmarks.local_cache_settings"}
    print("CPU per request in one process (best of 5 × 1,000; no network, no gunicorn):")
    print(f"  {'bare Django view':54} {bare_us:8.0f} µs")
    ping_local = in_process(local, "/ping")
    print(f"  {'/ping, shared cache in process memory (no round trip)':54} {ping_local:8.0f} µs")
    ping_redis = in_process(redis_env, "/ping")
    print(f"  {'/ping on Redis (session, user, version: 1 round trip)':54} {ping_redis:8.0f} µs")
    for url in DASHBOARDS:
        cost = in_process(redis_env, url)
        print(
            f"  {url + ' on Redis (cached; 1 round trip)':54} {cost:8.0f} µs  ({ping_redis / cost:.2f} of /ping's rate)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--profile", action="store_true", help="and a profile of /ping on Redis")
    parser.add_argument("--breakdown-only", action="store_true", help="only the in-process CPU breakdown")
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
    if args.breakdown_only:
        breakdown(setups[1][1])
        return
    print(
        f"gunicorn {args.workers} workers × {args.threads} threads (config/gunicorn.conf.py), PostgreSQL, wrk 50 connections × {args.seconds} s"
    )
    server = serve("benchmarks.bare_app:application", ENV, args.workers, args.threads)
    try:
        wrk("/ping", 2)
        bare, bare_cpu = wrk("/ping", args.seconds, server=server)
    finally:
        stop(server)
    print(f"{'':56} {'req/s':>8}   {'':22} {'server CPU/request':>18}")
    print(f"{'bare Django view (no middleware)':56} {bare:8.0f}   {'':22} {bare_cpu:15.0f} µs")
    for name, env in setups:
        server = serve("config.wsgi:application", env, args.workers, args.threads)
        try:
            _, cookies = session("bench-council")
            opener, _ = session("bench-council")
            for url in DASHBOARDS * 12:  # every worker has built and cached each page once
                opener.open(f"{BASE}{url}").read()
            ping, ping_cpu = wrk("/ping", args.seconds, cookies, server)
            print(f"{name}:")
            print(
                f"  {'/ping (logged in, every middleware)':54} {ping:8.0f}   ({ping / bare:.2f} of bare)"
                f"{'':6} {ping_cpu:15.0f} µs  ({bare_cpu / ping_cpu:.2f} of bare)"
            )
            for url in DASHBOARDS:
                rate, cost = wrk(url, args.seconds, cookies, server)
                print(
                    f"  {url + ' (cached)':54} {rate:8.0f}   ({rate / ping:.2f} of /ping)"
                    f"{'':5} {cost:15.0f} µs  ({ping_cpu / cost:.2f} of /ping)"
                )
        finally:
            stop(server)
    breakdown(setups[1][1])
    if args.profile:
        in_process(setups[1][1], "/ping", mode="profile")
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


if __name__ == "__main__":
    main()
