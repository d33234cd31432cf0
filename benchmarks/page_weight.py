#!/usr/bin/env python
"""A dashboard's first and repeat visit over a slow link: bytes on the wire and time to all charts drawn.

1. Serves the portal as deployed: production settings, gunicorn (config/gunicorn.conf.py), static
   files collected by `collectstatic` (hashed names, brotli and gzip copies) and served by whitenoise;
   a scratch SQLite database with the seed (the 19 municipalities of the 2023-05-11 materials).
2. Real Chromium (Playwright) with Chromium's own network emulation (DevTools protocol,
   `Network.emulateNetworkConditions`): 10 Mbit/s down and up, 40 ms added to every round trip.
3. For each dashboard a council member opens, with an empty browser cache (the login is made
   apart, its cookie handed to the browser): the bytes transferred (compressed, headers included,
   as Chromium counts them: `encodedDataLength`), and the time from the start of the navigation to
   every chart on the page drawn (`performance.now()` when the last `.js-chart` has `data-drawn`).
   Then the same page again in the same browser (the repeat visit: static files from its cache).
4. The baseline, in the same run: the same pages with the full plotly.min.js the portal served
   before (the request for the partial bundle redirected to it, pre-compressed the same way). Its
   repeat visit is not measured: Playwright's routing turns the browser cache off.

Targets (issue #15): first visit ≤ 600 KB, all charts drawn ≤ 1.5 s.

    .venv/bin/python benchmarks/page_weight.py [--runs 3]
"""

import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import brotli  # noqa: E402

from benchmarks.common import DASHBOARDS  # noqa: E402

PY = sys.executable
PORT = 8767
BASE = f"http://127.0.0.1:{PORT}"
LINK = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def environment(work: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "p3Lx8Qm2Wv7Zr4Tn9Bc6Hd1Jf5Ge0Ky" * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "EMAIL_URL": "console://",
        "SQLITE_PATH": str(work / "db.sqlite3"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": "",
        "DJANGO_STATIC_ROOT": str(work / "static"),
    }


def prepare(env: dict):
    def manage(*args):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    manage("migrate", "--noinput")
    manage("seed")
    manage("collectstatic", "--noinput")
    script = (
        "from django.contrib.auth import get_user_model as U; from council.models import *\n"
        "u = U().objects.create_user('bench-council', password='bench-pass')\n"
        "Profile.objects.create(user=u, role=Role.MEMBER, organisation=Municipality.objects.get(code='350001'))\n"
    )
    subprocess.run([PY, "manage.py", "shell", "--no-imports", "-c", script], cwd=ROOT, env=env, check=True)


def session_cookie() -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = {"username": "bench-council", "password": "bench-pass", "csrfmiddlewaretoken": token}
    opener.open(
        urllib.request.Request(
            f"{BASE}/accounts/login/",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": f"{BASE}/accounts/login/"},
        )
    )
    return next(c.value for c in jar if c.name == "sessionid")


def visit(page, cdp, url: str) -> tuple[int, float, int, int, float, float]:
    """(bytes transferred, ms to every chart drawn, requests, charts, ms to the HTML received, ms to
    DOMContentLoaded, i.e. the scripts run) of one navigation."""
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(BASE + url, wait_until="commit")
    page.wait_for_function(
        "() => document.readyState !== 'loading' && [...document.querySelectorAll('.js-chart')]"
        ".every(el => el.dataset.drawn)",
        polling="raf",
        timeout=60_000,
    )
    drawn = page.evaluate("performance.now()")
    timing = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.responseEnd, n.domContentLoadedEventEnd]; })()"
    )
    charts = page.evaluate("document.querySelectorAll('.js-chart').length")
    page.wait_for_load_state("networkidle")
    return sum(sizes.values()), drawn, len(sizes), charts, timing[0], timing[1]


def baseline_bundle(static_root: Path):
    """The full plotly.min.js beside the collected files (with its .br and .gz, as collectstatic
    writes them), for the baseline: the same pages with the bundle the portal served before."""
    import plotly

    data = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    target = static_root / "baseline" / "plotly.min.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    target.with_name("plotly.min.js.br").write_bytes(brotli.compress(data))
    target.with_name("plotly.min.js.gz").write_bytes(gzip.compress(data, 9))


def open_page(context, full_bundle: bool = False):
    page = context.new_page()
    if full_bundle:
        page.route(
            re.compile(r".*/vendor/plotly/plotly-cartesian\.min\.[0-9a-f]+\.js$"),
            lambda route: route.continue_(url=f"{BASE}/static/baseline/plotly.min.js"),
        )
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK)
    return page, cdp


def measure(browser, cookie: str, url: str, full_bundle: bool = False) -> tuple[tuple, tuple]:
    """A first visit with an empty cache, then the repeat visit in a new tab of the same browser."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": BASE}])
    page, cdp = open_page(context, full_bundle)
    first = visit(page, cdp, url)
    page.close()
    page, cdp = open_page(context, full_bundle)
    repeat = visit(page, cdp, url)
    context.close()
    return first, repeat


def bundle_sizes() -> str:
    import plotly

    rows = []
    for name, path in (
        ("full plotly.min.js", Path(plotly.__file__).parent / "package_data" / "plotly.min.js"),
        ("cartesian bundle", ROOT / "static" / "vendor" / "plotly" / "plotly-cartesian.min.js"),
    ):
        data = path.read_bytes()
        rows.append(
            f"{name}: {len(data) / 1024:.0f} KB, gzip {len(gzip.compress(data, 9)) / 1024:.0f} KB, "
            f"brotli {len(brotli.compress(data)) / 1024:.0f} KB"
        )
    return "; ".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="first/repeat visits per dashboard (medians)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = environment(work)
        prepare(env)
        baseline_bundle(work / "static")
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
            + ["--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--threads", "4", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{BASE}/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            cookie = session_cookie()
            print(bundle_sizes())
            print(
                f"link: 10 Mbit/s, +40 ms per round trip (Chromium network emulation); "
                f"medians of {args.runs}; targets: first visit ≤ 600 KB, charts drawn ≤ 1500 ms"
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                for url in DASHBOARDS:
                    measure(browser, cookie, url)  # warm the server's dashboard cache
                    for label, full in (("cartesian", False), ("full (baseline)", True)):
                        runs = [measure(browser, cookie, url, full) for _ in range(args.runs)]
                        first = [r[0] for r in runs]
                        repeat = [r[1] for r in runs]
                        print(
                            f"{url:20} {label:15} {first[0][3]:2d} charts  first visit "
                            f"{statistics.median(f[0] for f in first) / 1024:6.0f} KB in {first[0][2]:2d} requests, "
                            f"drawn {statistics.median(f[1] for f in first):6.0f} ms (HTML in "
                            f"{statistics.median(f[4] for f in first):3.0f} ms, scripts run by "
                            f"{statistics.median(f[5] for f in first):5.0f} ms)   "
                            + (
                                "repeat: not measured (a routed request bypasses the browser cache)"
                                if full
                                else f"repeat {statistics.median(r[0] for r in repeat) / 1024:5.0f} KB, "
                                f"drawn {statistics.median(r[1] for r in repeat):5.0f} ms"
                            )
                        )
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
