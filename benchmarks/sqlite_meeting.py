#!/usr/bin/env python
"""A web meeting on the embedded SQLite, served exactly as `make run` serves it.

1. Runs `make run` itself (so the same settings, the same server and the same steps: migrate, seed,
   demo accounts) on a fresh SQLite database in a temporary directory (`SQLITE_PATH`), on its own port.
2. Logs in, beforehand, 50 reader sessions (the demo account `council`, a member of 山口県's council)
   and 15 liaison sessions (`liaison-<slug>`, password `demo`); each liaison starts the report of the
   period open for reports.
3. Baseline: the 50 readers request `/ping` (a trivial authenticated view behind the same middleware)
   for a few seconds.
4. The meeting, 20 s: the readers open the dashboards one after another without pause, while each
   liaison saves the 資料7 section of its report over and over, as the browser does (open the form,
   post it with the version it read, follow the redirect to the report), and submits at the end.
5. Prints the requests, the failed saves (a form that did not open, a save not answered with the
   redirect to the report and its 「…を保存しました」 message, or one that did not reach the database:
   every save moves the section's version by one, and the last value saved must be the one stored),
   the 500s, the lines of the server's log saying "database is locked", and p50/p95/p99 of each kind
   of request with its ratio to `/ping` measured under the same 50 readers.

Each session keeps one keep-alive connection, as a browser does (`--new-connections`: a connection
per request). Clients run in two processes (readers, liaisons) on the same machine as the server, so
the figures are for comparing runs (and versions, with `--root`) on one machine, not capacities.

    .venv/bin/python benchmarks/sqlite_meeting.py [--seconds 20] [--readers 50] [--liaisons 15]
        [--root /path/to/another/checkout]   # serve another version's `make run`, e.g. to compare
"""

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import DASHBOARDS  # noqa: E402

HOST = "127.0.0.1"
PASSWORD = "demo"  # council/management/commands/create_demo_accounts.py
READER = "council"
SECTION = "dx"  # 資料7: the section every municipality reports
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="expected_version" value="(\d+)"')
SAVED = "を保存しました"  # the success message the report page shows after a save


class Session:
    """One browser: its cookies and, as a browser keeps it, one keep-alive connection (or a new
    connection per request, as urllib makes them, with `keep_alive=False`); no redirects followed."""

    keep_alive = True

    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout, self.cookies = port, timeout, {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, fields: dict | None = None):
        """(status, location, body, seconds); status 0 when the server gave no answer."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        started = time.perf_counter()
        for attempt in range(2):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body, headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                self.connection = None
                # a keep-alive connection the server had closed: a browser sends a GET again
                if attempt == 0 and reused and method == "GET":
                    continue
                return 0, "", repr(error), time.perf_counter() - started
        elapsed = time.perf_counter() - started
        if not self.keep_alive or response.will_close:
            self.connection.close()
            self.connection = None
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        location = urllib.parse.urlparse(response.headers.get("Location", "")).path
        return response.status, location, text, elapsed

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def token(self, html: str) -> str:
        found = TOKEN.search(html)
        return found.group(1) if found else self.cookies.get("csrftoken", "")


def login(port: int, username: str, attempts: int = 3) -> tuple[dict, int]:
    """The cookies of a logged-in session, and how many attempts failed before it succeeded."""
    for attempt in range(attempts):
        session = Session(port)
        status, _, html, _ = session.request("GET", "/accounts/login/")
        if status == 200:
            status, location, _, _ = session.request(
                "POST",
                "/accounts/login/",
                {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.token(html)},
            )
            if status == 302 and location != "/accounts/login/" and "sessionid" in session.cookies:
                session.close()
                return session.cookies, attempt
        session.close()
        time.sleep(0.5)
    raise SystemExit(f"{username}: could not log in ({attempts} attempts)")


def run_readers(port: int, cookies: list[dict], paths: list[str], until: float, pause: float):
    """Each reader requests `paths` in turn (starting at its own offset) until `until` (time.time())."""
    records: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def reader(index: int, jar: dict):
        session = Session(port)
        session.cookies = dict(jar)
        i = index
        mine = []
        while time.time() < until:
            path = paths[i % len(paths)]
            status, _, _, elapsed = session.request("GET", path)
            mine.append((path, status, elapsed))
            i += 1
            if pause:
                time.sleep(pause)
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=reader, args=(i, jar)) for i, jar in enumerate(cookies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return records


def run_liaisons(port: int, liaisons: list[tuple[str, dict, str]], until: float, submit_margin: float):
    """Each liaison saves its section until `until - submit_margin`, then submits its report.

    Returns (records, outcomes): records are (kind, status, seconds); an outcome per liaison has the
    saves it attempted (from opening the form), the ones answered as saved, the last value it saw
    saved, why the others failed, and the submission."""
    records: list[tuple[str, int, float]] = []
    outcomes: dict[str, dict] = {}
    lock = threading.Lock()

    def liaison(slug: str, jar: dict, report_url: str):
        session = Session(port)
        session.cookies = dict(jar)
        mine, outcome = [], {"attempted": 0, "saved": 0, "last_saved": None, "errors": {}, "submitted": False}
        section_url = f"{report_url}{SECTION}/"

        def failed(why: str):
            outcome["errors"][why] = outcome["errors"].get(why, 0) + 1

        n = 0
        while time.time() < until - submit_margin:
            outcome["attempted"] += 1  # a save begins with opening the form: failing there fails the save
            status, _, html, elapsed = session.request("GET", section_url)
            mine.append(("form", status, elapsed))
            version = VERSION.search(html) if status == 200 else None
            if version is None:
                failed(f"form answered {status}" if status else "form not answered")
                time.sleep(0.2)
                continue
            n += 1
            department = f"DX推進課{slug}-{n}"
            status, location, _, elapsed = session.request(
                "POST",
                section_url,
                {
                    "csrfmiddlewaretoken": session.token(html),
                    "expected_version": version.group(1),
                    "department": department,
                    "policy": "established",
                    "promotion_body": "DX推進本部",
                    "has_external_talent": "on",
                    "external_talent_count": str(1 + n % 5),
                },
            )
            mine.append(("save", status, elapsed))
            if status != 302 or location != report_url:
                failed(f"save answered {status}" if status else "save not answered")
                continue
            status, _, page, elapsed = session.request("GET", report_url)  # as the browser follows it
            mine.append(("report", status, elapsed))
            if status != 200:
                failed(f"report page after the save {status}")
                continue
            if SAVED not in page:  # redirected back with an error message instead
                failed("redirected without the saved message")
                continue
            outcome["saved"] += 1
            outcome["last_saved"] = department
        status, _, html, elapsed = session.request("GET", report_url)
        mine.append(("report", status, elapsed))
        status, location, _, elapsed = session.request(
            "POST", f"{report_url}submit/", {"csrfmiddlewaretoken": session.token(html)}
        )
        mine.append(("submit", status, elapsed))
        outcome["submitted"] = status == 302 and location == report_url
        with lock:
            records.extend(mine)
            outcomes[slug] = outcome

    threads = [threading.Thread(target=liaison, args=item) for item in liaisons]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return records, outcomes


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    if len(seconds) < 2:
        value = seconds[0] * 1000 if seconds else float("nan")
        return value, value, value
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def describe(name: str, records: list, duration: float, baseline=None) -> str:
    seconds = [r[-1] for r in records]
    p50, p95, p99 = percentiles(seconds)
    line = f"{name:28} {len(records):6} requests ({len(records) / duration:5.0f}/s)  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms"
    if baseline:
        line += f"  ({p50 / baseline[0]:.1f} / {p95 / baseline[1]:.1f} / {p99 / baseline[2]:.1f} × /ping)"
    return line


def manage(root: Path, env: dict, script: str) -> str:
    python = root / ".venv" / "bin" / "python"
    return subprocess.run(
        [str(python), "manage.py", "shell", "--no-imports", "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


STATE = """
import json
from council.dx.models import DXStructure
from council.models import StatusReport
slugs = %r
rows = {}
for report in StatusReport.objects.filter(municipality__slug__in=slugs, period__accepting_reports=True).select_related("municipality"):
    section = DXStructure.objects.filter(report=report).first()
    rows[report.municipality.slug] = {
        "status": report.status,
        "version": section.version if section else 0,
        "department": section.department if section else None,
    }
print(json.dumps(rows))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of the meeting")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--liaisons", type=int, default=15, help="at most 19 (山口県's municipalities)")
    parser.add_argument("--baseline-seconds", type=float, default=5, help="/ping under the readers")
    parser.add_argument("--reader-pause", type=int, default=0, help="ms a reader waits between pages")
    parser.add_argument(
        "--submit-margin", type=float, default=2, help="s before the end when liaisons stop saving and submit"
    )
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="a new connection for every request instead of one keep-alive connection per session",
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose `make run` is served")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, log)")
    args = parser.parse_args()
    root = args.root.resolve()
    Session.keep_alive = not args.new_connections  # set before the client processes fork

    tmp = Path(tempfile.mkdtemp(prefix="portal-sqlite-meeting-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SQLITE_PATH=str(tmp / "db.sqlite3"), PYTHONUNBUFFERED="1")
    log_path = tmp / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        ["make", "run", f"HOST={HOST}:{args.port}"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole at the end
    )
    try:
        deadline = time.monotonic() + 600  # make run may first create the venv
        while True:
            if server.poll() is not None:
                raise SystemExit(f"make run exited with {server.returncode}; see {log_path}")
            try:
                connection = http.client.HTTPConnection(HOST, args.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"make run did not serve in time; see {log_path}")
            time.sleep(0.5)
        serve_line = next(
            (line.strip() for line in log_path.read_text().splitlines() if "http://" in line), ""
        )
        commit = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--short", "--untracked-files=no"],
            capture_output=True,
            text=True,
        ).stdout.split()[1::2]
        print(f"make run in {root} ({commit[:70]}{'; changed: ' + ', '.join(changed) if changed else ''})")
        print(f"  {serve_line}")

        period = manage(
            root,
            env,
            "from council.models import ReportingPeriod as P\n"
            "print(P.objects.accepting().order_by('-fiscal_year', '-quarter')[0].slug)",
        ).strip()
        slugs = json.loads(
            manage(
                root,
                env,
                "import json; from council.models import Municipality as M\n"
                "print(json.dumps(list(M.objects.filter(prefecture__code='350001')"
                ".order_by('display_order', 'code').values_list('slug', flat=True))))",
            )
        )[: args.liaisons]

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            reader_logins = list(pool.map(lambda _: login(args.port, READER), range(args.readers)))
            liaison_logins = list(pool.map(lambda slug: login(args.port, f"liaison-{slug}"), slugs))
        retried = sum(a for _, a in reader_logins + liaison_logins)
        print(
            f"{args.readers + len(slugs)} logins beforehand (2 at a time): {time.perf_counter() - started:.1f} s,"
            f" {retried} failed attempt(s) retried"
        )
        readers = [c for c, _ in reader_logins]
        liaisons = []
        for slug, (cookies, _) in zip(slugs, liaison_logins, strict=True):
            session = Session(args.port)
            session.cookies = dict(cookies)
            _, _, html, _ = session.request("GET", "/reports/")
            status, location, _, _ = session.request(
                "POST", f"/reports/start/{period}/", {"csrfmiddlewaretoken": session.token(html)}
            )
            if status != 302 or not re.fullmatch(r"/reports/\d+/", location):
                raise SystemExit(f"liaison-{slug} could not start the {period} report ({status} {location})")
            session.close()
            liaisons.append((slug, session.cookies, location))
        before = json.loads(manage(root, env, STATE % (slugs,)))

        warm = Session(args.port)
        warm.cookies = dict(readers[0])
        for path in DASHBOARDS * 6:  # the dashboards were open before the meeting: every worker has them
            warm.request("GET", path)
            warm.close()

        context = multiprocessing.get_context("fork")
        with context.Pool(2) as pool:
            until = time.time() + args.baseline_seconds
            ping = pool.apply(run_readers, (args.port, readers, ["/ping"], until, args.reader_pause / 1000))
            until = time.time() + args.seconds
            reading = pool.apply_async(
                run_readers, (args.port, readers, DASHBOARDS, until, args.reader_pause / 1000)
            )
            saving = pool.apply_async(run_liaisons, (args.port, liaisons, until, args.submit_margin))
            reads = reading.get()
            liaison_records, outcomes = saving.get()
        after = json.loads(manage(root, env, STATE % (slugs,)))

        print(
            f"{args.readers} readers ({f'{args.reader_pause} ms between pages' if args.reader_pause else 'no pause'}) and "
            f"{len(slugs)} liaisons, {args.seconds:g} s on SQLite, "
            f"{'a new connection per request' if args.new_connections else 'a keep-alive connection per session'} "
            f"(baseline: the readers on /ping, {args.baseline_seconds:g} s)"
        )
        ping_ok = [r for r in ping if r[1] == 200]
        baseline = percentiles([r[-1] for r in ping_ok])
        print("  " + describe("/ping (baseline)", ping, args.baseline_seconds))
        print("  " + describe("dashboards", reads, args.seconds, baseline))
        for kind, name in (
            ("save", "saves (POST)"),
            ("form", "section form (GET)"),
            ("report", "report page (GET)"),
            ("submit", "submit (POST)"),
        ):
            rows = [r for r in liaison_records if r[0] == kind]
            print("  " + describe(name, rows, args.seconds, baseline))

        attempted = sum(o["attempted"] for o in outcomes.values())
        answered = sum(o["saved"] for o in outcomes.values())
        lost, unexpected = 0, 0
        for slug, outcome in outcomes.items():
            stored = after[slug]["version"] - before[slug]["version"]  # every save moves it by one
            lost += max(0, outcome["saved"] - stored)  # answered as saved, not in the database
            unexpected += max(0, stored - outcome["saved"])  # in the database, the liaison saw an error
            if (
                outcome["saved"]
                and stored == outcome["saved"]
                and after[slug]["department"] != outcome["last_saved"]
            ):
                lost += 1  # as many versions as saves, but not the value saved last
        failed = attempted - answered + lost
        errors: dict[str, int] = {}
        for outcome in outcomes.values():
            for why, count in outcome["errors"].items():
                errors[why] = errors.get(why, 0) + count
        all_records = ping + reads + liaison_records
        server_errors = sum(1 for r in all_records if r[1] >= 500)
        no_answer = sum(1 for r in all_records if r[1] == 0)
        failed_reads = sum(1 for r in reads if not 200 <= r[1] < 400)
        submitted = sum(1 for o in outcomes.values() if o["submitted"])
        in_database = sum(1 for row in after.values() if row["status"] == "submitted")
        locked = sum(1 for line in log_path.read_text().splitlines() if "database is locked" in line)
        print(
            f"  failed saves: {failed} of {attempted} ({failed / max(attempted, 1):.1%})"
            f"{' — ' + ', '.join(f'{why}: {n}' for why, n in sorted(errors.items())) if errors else ''}"
            f"; answered as saved but not stored: {lost}; stored although answered with an error: {unexpected}"
        )
        print(
            f"  500 responses: {server_errors} of {len(all_records)} requests; no answer: {no_answer};"
            f" failed dashboard reads: {failed_reads}; submitted {submitted}/{len(slugs)} (in the database {in_database})"
        )
        print(f'  "database is locked" in the server log: {locked} line(s)')
    finally:
        try:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
