"""Chart labels built from stored names are text, never markup: plotly.js draws `<a href>`, `<b>`,
`<br>` … in trace names, tick labels, hover text and annotations as HTML, so every string of a figure
reaches it escaped (`&lt;` is drawn as `<`), except the hover and text templates written in code."""

import json
import re

import pytest

from council.framework.charts import TEMPLATE_KEYS
from council.models import Municipality

LINK = '<a href="https://example.com">{}</a>'
DASHBOARDS = [
    "/council/",
    "/standardization/",
    "/online-procedures/",
    "/mynumber/",
    "/rpa/",
    "/analog-review/",
]
FIGURE = re.compile(r'<script id="(chart-[\w-]+-data)" type="application/json">(.*?)</script>', re.S)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figures(html: str) -> dict[str, dict]:
    return {dom_id: json.loads(data) for dom_id, data in FIGURE.findall(html)}


def strings(value, key=""):
    """(key, string) for every string of a figure."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)


@pytest.fixture
def marked_up(seeded, hagi, liaison, staff):
    """Stored names with markup in them, as staff could type them in the admin; and an approved
    analog-regulation report of 萩市 (the seed has none), so that every dashboard draws figures."""
    from analog_review.models import AnalogCount, AnalogReviewConfirmation, RegulationType, ReviewStatus
    from council import services
    from council.models import ReportingPeriod
    from online_procedures.models import Procedure
    from rpa.models import Scenario
    from standardization.models import Step

    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )
    section = AnalogReviewConfirmation.objects.create(report=report)
    AnalogCount.objects.create(
        section=section,
        regulation_type=RegulationType.objects.first(),
        status=ReviewStatus.IDENTIFIED,
        count=2,
    )
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    names = {}
    for obj in (
        Municipality.objects.get(slug="hagi"),
        RegulationType.objects.order_by("order").first(),
        Step.objects.get(name="推進体制の立ち上げ"),
        Scenario.objects.order_by("pk").first(),
        Procedure.objects.order_by("pk").first(),
    ):
        names[type(obj).__name__] = LINK.format(obj.name)
        type(obj).objects.filter(pk=obj.pk).update(name=names[type(obj).__name__])
    return names


@pytest.mark.parametrize("url", DASHBOARDS)
def test_no_figure_carries_markup_from_stored_names(client, member, marked_up, url):
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    drawn = figures(response.content.decode())
    assert drawn, url
    for dom_id, figure in drawn.items():
        for key, text in strings(figure):
            if key in TEMPLATE_KEYS:  # written in code: markup allowed, no stored name in it
                assert "example.com" not in text, (dom_id, key, text)
            else:
                assert "<" not in text and ">" not in text, (dom_id, key, text)


def test_stored_names_reach_the_figure_as_escaped_text(client, member, marked_up):
    client.force_login(member)
    heat = figures(client.get("/standardization/").content.decode())["chart-std-heatmap-data"]
    assert escaped(marked_up["Municipality"]) in heat["data"][0]["y"]
    assert escaped(marked_up["Step"]) in heat["data"][0]["x"]
    participation = figures(client.get("/rpa/").content.decode())["chart-rpa-participation-data"]
    assert escaped(marked_up["Municipality"]) in participation["data"][0]["x"]
    started = figures(client.get("/analog-review/").content.decode())["chart-analog-started-data"]
    assert escaped(marked_up["RegulationType"]) in started["data"][0]["x"]
    # the table beside the chart shows the name as text too (Django escapes it once)
    html = client.get("/standardization/").content.decode()
    assert "&lt;a href=&quot;https://example.com&quot;&gt;萩市&lt;/a&gt;" in html


def test_an_ampersand_is_escaped_once():
    from council.framework.charts import plotly_text

    figure = {"data": [{"name": "A&B <b>", "hovertemplate": "%{y}<br>%{x}<extra></extra>", "x": [1, None]}]}
    assert plotly_text(figure) == {
        "data": [
            {"name": "A&amp;B &lt;b&gt;", "hovertemplate": "%{y}<br>%{x}<extra></extra>", "x": [1, None]}
        ]
    }
