"""The partial Plotly bundle (static/vendor/plotly/): every trace type the portal's charts use is in
it, every page that draws charts loads it (never the full bundle or a CDN), its version and licence are
recorded, and production serves it pre-compressed with a long cache."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from council.framework import registry

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "static" / "vendor" / "plotly" / "plotly-cartesian.min.js"
FIGURE = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


def bundle_trace_types() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text()))


def figures(html: str) -> list[dict]:
    found = []
    for _, body in FIGURE.findall(html):
        data = json.loads(body)
        if isinstance(data, dict) and "data" in data:
            found.append(data)
    return found


def test_the_bundle_is_recorded_with_its_version_and_licence():
    info = (BUNDLE.parent / "VERSION").read_text()
    assert "package: plotly.js-cartesian-dist-min" in info and "licence: MIT" in info
    version = re.search(r"version: ([\d.]+)", info).group(1)
    assert f"plotly.js (cartesian - minified) v{version}" in BUNDLE.read_text()[:200]
    assert "MIT License" in (BUNDLE.parent / "LICENSE").read_text()
    assert (ROOT / "scripts" / "vendor_plotly.sh").exists()


def test_the_bundle_matches_the_plotly_package_that_builds_the_figures():
    """The figures are built by the Python plotly package for its own plotly.js version."""
    import plotly

    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:300]
    assert re.search(r"plotly\.js v([\d.]+)", full).group(1) == re.search(
        r"plotly\.js \(cartesian - minified\) v([\d.]+)", BUNDLE.read_text()[:200]
    ).group(1)


@pytest.mark.parametrize("scope", ["council", "national"])
def test_every_trace_type_the_dashboards_draw_is_in_the_bundle(client, member, staff, scope):
    """Every dashboard (a council member's and a national viewer's) and 資料1's 団体カルテ: the
    trace types of every figure on them are ones the bundle registers."""
    from council.models import Profile

    if scope == "national":
        Profile.objects.filter(user=member).update(organisation=None)
    client.force_login(member)
    urls = [reverse(spec.url_name) for spec in registry.dashboards.all()] + ["/standardization/hagi/"]
    assert len(urls) >= 7
    used: set[str] = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        if 'class="js-chart' in html or "js-chart" in html:
            assert "/static/vendor/plotly/plotly-cartesian.min.js" in html, url
            assert "plotly.min.js" not in html and "cdn" not in html.lower(), url
        for figure in figures(html):
            used |= {trace.get("type", "scatter") for trace in figure["data"]}
    assert used >= {"bar", "heatmap"}, used  # the portal's charts, found on the pages
    assert used <= bundle_trace_types(), used - bundle_trace_types()


def test_the_meeting_pages_load_the_partial_bundle():
    for template in ("present.html", "print.html", "material.html"):
        text = (ROOT / "council" / "meetings" / "templates" / "meetings" / template).read_text()
        assert "vendor/plotly/plotly-cartesian.min.js" in text and "plotly.min.js" not in text, template


def test_production_serves_it_compressed_and_cached_for_long(tmp_path):
    """collectstatic with production's storage: a hashed name, .br and .gz beside it; whitenoise sends
    the brotli copy to a browser that accepts it, with a long immutable cache."""
    import subprocess
    import sys

    from tests.council.test_deploy import PRODUCTION

    env = {
        **PRODUCTION,
        "EMAIL_URL": "console://",
        "PATH": "/usr/bin:/bin",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    script = (
        "from django.core.management import call_command; call_command('collectstatic', '--noinput', verbosity=0)\n"
        "from django.templatetags.static import static; url = static('vendor/plotly/plotly-cartesian.min.js'); print(url)\n"
        "from whitenoise.middleware import WhiteNoiseMiddleware\n"
        "from django.test import RequestFactory\n"
        "mw = WhiteNoiseMiddleware(lambda r: None)\n"
        "r = mw(RequestFactory().get(url, HTTP_ACCEPT_ENCODING='gzip, deflate, br'))\n"
        "print(r['Content-Encoding'], r['Cache-Control'], r['Content-Length'])\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    url, served = result.stdout.strip().splitlines()[-2:]
    assert re.fullmatch(r"/static/vendor/plotly/plotly-cartesian\.min\.[0-9a-f]{12}\.js", url)
    encoding, cache_control, length = served.split(" ", 2)[0], served.split(" ")[1:-1], served.split(" ")[-1]
    assert encoding == "br"
    assert "immutable" in " ".join(cache_control) and "max-age=315360000" in " ".join(cache_control)
    assert int(length) < 450_000  # of 1.5 MB
