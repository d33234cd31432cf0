#!/usr/bin/env python
"""Throughput under gunicorn, and a web meeting under load, on PostgreSQL.

1. Prepares a scratch PostgreSQL database (`portal_bench`): migrate, seed, generate_nation.
2. Serves the portal with gunicorn as deployed (config/gunicorn.conf.py: gthread workers with
   keep-alive; production settings over plain HTTP on 127.0.0.1, whitenoise).
3. Requests/s with 50 concurrent clients (wrk, from Debian's `wrk` package) for `/ping` (a trivial
   authenticated view, same middleware) and each dashboard, cached as in production, for a national
   viewer (the dashboards by prefecture) and for a member of 山口県's council (its municipalities).
4. A web meeting: 60 viewers (wrk, 60 connections cycling through the dashboards as 山口県's council
   members, no pause between requests) while 19 liaisons save every second and submit, for 60 s;
   p50/p95/p99 of the viewers' requests (measured by wrk), errors, and whether every submission landed.

    .venv/bin/python benchmarks/throughput.py [--nation 1741] [--seconds 10] [--meeting-seconds 60]
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import DASHBOARDS  # noqa: E402

PY = sys.executable
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
DB = "portal_bench"
ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "bench-" + "x9Kq2LmN8pR4tV6wY1zA3cE5gH7jB0dF" * 2,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "AXES_FAILURE_LIMIT": "1000",
    "DJANGO_LOG_LEVEL": "WARNING",
}
OPEN_PERIOD = "2023-Q2"  # a quarter generate_nation leaves empty, open for the liaisons' reports


def manage(*args):
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def prepare(nation: int):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB}"], check=True
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {DB}"], check=True
    )
    manage("migrate", "--noinput")
    manage("seed")
    if nation:
        manage("generate_nation", "--municipalities", str(nation), "--quarters", "8")
    manage("collectstatic", "--noinput")
    script = (
        "from django.contrib.auth import get_user_model as U; from council.models import *; "
        "from council.roles import ensure_staff_group as g\n"
        "m=U().objects.create_user('bench-viewer', password='bench-pass'); Profile.objects.create(user=m, role=Role.MEMBER)\n"
        "c=U().objects.create_user('bench-council', password='bench-pass'); Profile.objects.create(user=c, role=Role.MEMBER, organisation=Municipality.objects.get(code='350001'))\n"
        "for x in Municipality.objects.filter(prefecture__code='350001').exclude(slug__startswith='nation-'):\n"
        "    u=U().objects.create_user('bench-'+x.slug, password='bench-pass'); Profile.objects.create(user=u, role=Role.LIAISON, organisation=x)\n"
        "s=U().objects.create_user('bench-staff', password='bench-pass', is_staff=True); Profile.objects.create(user=s, role=Role.STAFF); s.groups.add(g())\n"
        "import datetime; ReportingPeriod.objects.create(fiscal_year=2023, quarter=2, as_of=datetime.date(2023, 9, 30), accepting_reports=True)\n"
    )
    subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def session(username: str):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": "bench-pass", "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(
        urllib.request.Request(
            f"{BASE}/accounts/login/", data=data, headers={"Referer": f"{BASE}/accounts/login/"}
        )
    )
    return opener, {c.name: c.value for c in jar}


def post(opener, cookies, url, fields, form_page=None):
    html = opener.open(f"{BASE}{form_page or url}").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    data = {"csrfmiddlewaretoken": token.group(1) if token else cookies.get("csrftoken", ""), **fields}
    request = urllib.request.Request(
        f"{BASE}{url}",
        data=urllib.parse.urlencode(data, doseq=True).encode(),
        headers={"Referer": f"{BASE}{url}"},
    )
    return opener.open(request)


def wrk(url: str, cookie: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "-H", f"Cookie: sessionid={cookie}", f"{BASE}{url}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  !! {url}: {non2xx.group(1)} non-2xx responses")
    return rate


VIEWER_SCRIPT = """
local paths = {%s}
local pause = %d
local i = 0
if pause > 0 then
  delay = function() return pause end
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("viewers %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status, summary.duration))
end
"""


def viewers(seconds: int, pause_ms: int) -> subprocess.Popen:
    """60 council members cycling through the dashboards, each waiting `pause_ms` between pages."""
    _, cookies = session("bench-council")
    script = ROOT / "var" / "bench-viewers.lua"
    script.parent.mkdir(exist_ok=True)
    script.write_text(VIEWER_SCRIPT % (", ".join(f'"{url}"' for url in DASHBOARDS), pause_ms))
    return subprocess.Popen(
        [
            "wrk",
            "-t2",
            "-c60",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "-H",
            f"Cookie: sessionid={cookies['sessionid']}",
            BASE,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def viewer_figures(process: subprocess.Popen) -> str:
    out = process.communicate()[0]
    requests, p50, p95, p99, connect, read, write, timeout, status, duration = map(
        int, re.search(r"viewers ([\d ]+)", out).group(1).split()
    )
    return (
        f"{requests} viewer requests ({requests / (duration / 1e6):.0f} req/s), p50 {p50 / 1000:.0f} ms, "
        f"p95 {p95 / 1000:.0f} ms, p99 {p99 / 1000:.0f} ms, viewer errors: connect {connect}, read {read}, write {write}, "
        f"timeout {timeout}, non-2xx {status}"
    )


def meeting(seconds: int, pause_ms: int):
    """60 viewers reading dashboards (wrk) while the 19 liaisons save and submit (threads). Everyone
    has logged in before the meeting starts: a login is deliberately slow (PBKDF2, measured apart)."""
    slugs = [
        line.split()[0]
        for line in subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from council.models import Municipality as M\nfor m in M.objects.filter(prefecture__code='350001').exclude(slug__startswith='nation-'): print(m.slug)",
            ],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        if line.strip()
    ]
    started = time.perf_counter()
    sessions = {slug: session(f"bench-{slug}") for slug in slugs}
    print(
        f"{len(slugs)} liaison logins one after another: {(time.perf_counter() - started) / len(slugs) * 1000:.0f} ms each"
    )
    council, _ = session("bench-council")
    for url in DASHBOARDS * 12:  # the dashboards were open before the meeting: every worker has them cached
        council.open(f"{BASE}{url}").read()
    watching = viewers(seconds, pause_ms)
    errors, stop = [], time.monotonic() + seconds
    lock = threading.Lock()
    submitted = []

    def liaison(slug):
        try:
            opener, cookies = sessions[slug]
            response = post(opener, cookies, f"/reports/start/{OPEN_PERIOD}/", {}, form_page="/reports/")
            report_url = urllib.parse.urlparse(response.geturl()).path
            saves = 0
            while time.monotonic() < stop - 5:
                page = opener.open(f"{BASE}{report_url}dx/").read().decode()
                version = re.search(r'name="expected_version" value="(\d+)"', page).group(1)
                post(
                    opener,
                    cookies,
                    f"{report_url}dx/",
                    {
                        "expected_version": version,
                        "department": f"DX推進課{saves}",
                        "policy": "established",
                        "promotion_body": "DX推進本部",
                        "has_external_talent": "on",
                        "external_talent_count": str(1 + saves % 5),
                    },
                )
                saves += 1
                time.sleep(1)
            post(opener, cookies, f"{report_url}submit/", {}, form_page=report_url)
            with lock:
                submitted.append((slug, report_url, saves))
        except Exception as error:  # noqa: BLE001
            with lock:
                errors.append(f"liaison {slug}: {error}")

    threads = [threading.Thread(target=liaison, args=(s,)) for s in slugs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    landed = subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from council.models import StatusReport as R\nprint(R.objects.filter(period__fiscal_year=2023, period__quarter=2, status='submitted', municipality__prefecture__code='350001').exclude(municipality__slug__startswith='nation-').count())",
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(
        f"web meeting, {seconds} s, viewers pausing {pause_ms} ms between pages: {viewer_figures(watching)}, liaison errors {len(errors)}; "
        f"liaisons submitted {len(submitted)}/{len(slugs)}, saves {sum(s for *_, s in submitted)}, submissions in the database {landed}"
    )
    for error in errors[:5]:
        print("  error:", error)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nation", type=int, default=1741)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--meeting-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="gunicorn threads per worker (config/gunicorn.conf.py: gthread)",
    )
    parser.add_argument(
        "--pause", type=int, default=1000, help="ms a meeting viewer waits before the next page"
    )
    args = parser.parse_args()
    prepare(args.nation)
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{BASE}/healthz")
                break
            except OSError:
                time.sleep(0.3)
        print(
            f"gunicorn {args.workers} workers × {args.threads} threads, PostgreSQL, {args.nation or 19} municipalities, wrk 50 connections × {args.seconds} s"
        )
        for username, who in (
            ("bench-viewer", "national viewer"),
            ("bench-council", "山口県 council member"),
        ):
            opener, cookies = session(username)
            for url in DASHBOARDS * 12:  # steady state: every worker has built and cached each page once
                opener.open(f"{BASE}{url}").read()
            baseline = wrk("/ping", cookies["sessionid"], args.seconds)
            print(f"{who}: {'/ping (trivial authenticated view)':36} {baseline:8.0f} req/s")
            for url in DASHBOARDS:
                rate = wrk(url, cookies["sessionid"], args.seconds)
                print(f"{who}: {url:36} {rate:8.0f} req/s  ({rate / baseline:.2f} of /ping)")
        if args.meeting_seconds:
            stress = viewers(args.seconds * 2, 0)
            print(
                f"60 viewers with no pause at all (stress, {args.seconds * 2} s, no liaisons): {viewer_figures(stress)}"
            )
            meeting(args.meeting_seconds, args.pause)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
