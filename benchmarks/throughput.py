#!/usr/bin/env python
"""Throughput under gunicorn, and a web meeting under load, on PostgreSQL.

1. Prepares a scratch PostgreSQL database (`portal_bench`): migrate, seed, generate_nation.
2. Serves the portal with gunicorn (production settings over plain HTTP on 127.0.0.1, whitenoise).
3. Requests/s with 50 concurrent clients (wrk, from Debian's `wrk` package) for `/ping` (a trivial
   authenticated view, same middleware) and each dashboard, cached as in production.
4. A web meeting: 60 viewers on the dashboards while 19 liaisons save and submit for 60 s;
   p50/p95 of the viewers' requests, errors, and whether every submission landed.

    .venv/bin/python benchmarks/throughput.py [--nation 1741] [--seconds 10] [--meeting-seconds 60]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
DASHBOARDS = ["/council/", "/standardization/", "/online-procedures/", "/rpa/", "/analog-review/", "/mynumber/"]


def manage(*args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def prepare(nation: int):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {DB}"], check=True)
    manage("migrate", "--noinput")
    manage("seed")
    if nation:
        manage("generate_nation", "--municipalities", str(nation), "--quarters", "8")
    manage("collectstatic", "--noinput")
    script = (
        "from django.contrib.auth import get_user_model as U; from council.models import *; "
        "from council.roles import ensure_staff_group as g\n"
        "m=U().objects.create_user('bench-viewer', password='bench-pass'); Profile.objects.create(user=m, role=Role.MEMBER)\n"
        "for x in Municipality.objects.filter(prefecture__code='350001').exclude(slug__startswith='nation-'):\n"
        "    u=U().objects.create_user('bench-'+x.slug, password='bench-pass'); Profile.objects.create(user=u, role=Role.LIAISON, organisation=x)\n"
        "s=U().objects.create_user('bench-staff', password='bench-pass', is_staff=True); Profile.objects.create(user=s, role=Role.STAFF); s.groups.add(g())\n"
        "import datetime; ReportingPeriod.objects.create(fiscal_year=2023, quarter=2, as_of=datetime.date(2023, 9, 30), accepting_reports=True)\n"
    )
    subprocess.run([PY, "manage.py", "shell", "--no-imports", "-c", script], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def session(username: str):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"username": username, "password": "bench-pass", "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(f"{BASE}/accounts/login/", data=data, headers={"Referer": f"{BASE}/accounts/login/"}))
    return opener, {c.name: c.value for c in jar}


def post(opener, cookies, url, fields, form_page=None):
    html = opener.open(f"{BASE}{form_page or url}").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    data = {"csrfmiddlewaretoken": token.group(1) if token else cookies.get("csrftoken", ""), **fields}
    request = urllib.request.Request(f"{BASE}{url}", data=urllib.parse.urlencode(data, doseq=True).encode(), headers={"Referer": f"{BASE}{url}"})
    return opener.open(request)


def wrk(url: str, cookie: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "-H", f"Cookie: sessionid={cookie}", f"{BASE}{url}"],
        capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  !! {url}: {non2xx.group(1)} non-2xx responses")
    return rate


def meeting(seconds: int):
    """60 viewers reading dashboards while the 19 liaisons save and submit."""
    viewer, _ = session("bench-viewer")
    latencies, errors, stop = [], [], time.monotonic() + seconds
    lock = threading.Lock()

    def view(index):
        opener, _ = session("bench-viewer")
        i = index
        while time.monotonic() < stop:
            url = DASHBOARDS[i % len(DASHBOARDS)]
            i += 1
            started = time.perf_counter()
            try:
                opener.open(f"{BASE}{url}").read()
                with lock:
                    latencies.append(time.perf_counter() - started)
            except Exception as error:  # noqa: BLE001 - count every failure
                with lock:
                    errors.append(f"{url}: {error}")

    slugs = [line.split()[0] for line in subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c",
         "from council.models import Municipality as M\nfor m in M.objects.filter(prefecture__code='350001').exclude(slug__startswith='nation-'): print(m.slug)"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, check=True).stdout.split("\n") if line.strip()]
    submitted = []

    def liaison(slug):
        try:
            opener, cookies = session(f"bench-{slug}")
            response = post(opener, cookies, f"/reports/start/{OPEN_PERIOD}/", {}, form_page="/reports/")
            report_url = urllib.parse.urlparse(response.geturl()).path
            saves = 0
            while time.monotonic() < stop - 5:
                page = opener.open(f"{BASE}{report_url}dx-structure/").read().decode()
                version = re.search(r'name="expected_version" value="(\d+)"', page).group(1)
                post(opener, cookies, f"{report_url}dx-structure/", {
                    "expected_version": version, "department": f"DX推進課{saves}", "policy": "established",
                    "promotion_body": "DX推進本部", "has_external_talent": "on", "external_talent_count": str(1 + saves % 5),
                })
                saves += 1
                time.sleep(1)
            post(opener, cookies, f"{report_url}submit/", {}, form_page=report_url)
            with lock:
                submitted.append((slug, report_url, saves))
        except Exception as error:  # noqa: BLE001
            with lock:
                errors.append(f"liaison {slug}: {error}")

    threads = [threading.Thread(target=view, args=(i,)) for i in range(60)] + [threading.Thread(target=liaison, args=(s,)) for s in slugs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    landed = subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c",
         "from council.models import StatusReport as R\nprint(R.objects.filter(period__fiscal_year=2023, period__quarter=2, status='submitted', municipality__prefecture__code='350001').exclude(municipality__slug__startswith='nation-').count())"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, check=True).stdout.strip()
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95)] * 1000 if ordered else float("nan")
    print(f"web meeting, {seconds} s: {len(latencies)} viewer requests, p50 {statistics.median(ordered) * 1000:.0f} ms, "
          f"p95 {p95:.0f} ms, errors {len(errors)}; liaisons submitted {len(submitted)}/{len(slugs)}, "
          f"saves {sum(s for *_, s in submitted)}, submissions in the database {landed}")
    for error in errors[:5]:
        print("  error:", error)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nation", type=int, default=1741)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--meeting-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    prepare(args.nation)
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{BASE}/healthz")
                break
            except OSError:
                time.sleep(0.3)
        _, cookies = session("bench-viewer")
        print(f"gunicorn {args.workers} workers, PostgreSQL, {args.nation or 19} municipalities, wrk 50 connections × {args.seconds} s")
        baseline = wrk("/ping", cookies["sessionid"], args.seconds)
        print(f"{'/ping (trivial authenticated view)':40} {baseline:8.0f} req/s")
        for url in DASHBOARDS:
            rate = wrk(url, cookies["sessionid"], args.seconds)
            print(f"{url:40} {rate:8.0f} req/s  ({rate / baseline:.2f} of /ping)")
        if args.meeting_seconds:
            meeting(args.meeting_seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
