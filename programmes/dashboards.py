"""資料6 view data: the year's programmes, offers, courses, support cases and milestones, and the
uptake per municipality (`dashboard_data`); per prefecture for a national viewer
(`national_summary`); its headline cards (`headline_cards`)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils import timezone

from council.framework.cards import Card, card
from council.framework.dashboards import Selected
from programmes import selectors
from programmes.charts import budget_chart, uptake_chart
from programmes.models import Milestone, Offer
from programmes.services import breakdown_warnings


def dashboard_data(selected: Selected, organisations) -> dict:
    year = selected.current.fiscal_year
    prefectures = selectors.prefectures_of(organisations)
    programmes = selectors.programmes_for(year=year, prefectures=prefectures)
    offers = selectors.offers_for(year=year, prefectures=prefectures)
    uptake = selectors.uptake_rows(year=year, organisations=organisations)
    charts = [c for c in (budget_chart(programmes), uptake_chart(uptake)) if c]
    return {
        "year": selected.current,
        "programmes": programmes,
        "warnings": [w for p in programmes for w in breakdown_warnings(p, list(p.budget_lines.all()))],
        "schemes": [o for o in offers if o.kind == Offer.Kind.SCHEME],
        "calls": [o for o in offers if o.kind == Offer.Kind.CALL],
        "events": [o for o in offers if o.kind == Offer.Kind.EVENT],
        "courses": [o for o in offers if o.kind == Offer.Kind.COURSE],
        "listed": [o for o in offers if o.kind != Offer.Kind.COURSE],
        "cases": selectors.support_cases_for(year=year, organisations=organisations),
        "milestones": list(
            Milestone.objects.filter(fiscal_year=year, prefecture__in=prefectures.values("pk"))
        ),
        "uptake": uptake,
        "charts": charts,
        "budget_total": sum(p.budget for p in programmes),
        # what a liaison can register for today (the home page's list): not the courses, nothing past
        # its deadline (the cached page is kept per day)
        "open_offers": sum(
            1 for o in offers if o.kind != Offer.Kind.COURSE and o.open_on(timezone.localdate())
        ),
    }


def national_summary(selected: Selected, organisations):
    """Per prefecture: the number of programmes and their budget, and the registrations."""
    from council.framework.national import NationalSummary
    from programmes.models import Programme, Registration

    year = selected.current.fiscal_year
    budgets = (
        Programme.objects.filter(fiscal_year=year, prefecture__in=organisations.values("pk"))
        .values("prefecture_id")
        .annotate(n=Count("pk"), total=Sum("budget"))
    )
    registrations = dict(
        Registration.objects.filter(offer__fiscal_year=year, offer__prefecture__in=organisations.values("pk"))
        .values("offer__prefecture_id")
        .annotate(n=Count("pk"))
        .values_list("offer__prefecture_id", "n")
    )
    return NationalSummary(
        columns=["事業数", "予算額（千円）", "市町の申込・参加"],
        values={
            row["prefecture_id"]: [row["n"], row["total"], registrations.get(row["prefecture_id"], 0)]
            for row in budgets
        },
        headline=1,
    )


def headline_cards(data: dict) -> list[Card]:
    """資料6 leads with the prefecture's budget, the offers open and the year's courses."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    year = data["year"]
    return [
        card("budget", intcomma(data["budget_total"]), f"県の事業の予算（千円・{year.label}）"),
        card("open", data["open_offers"], "受付中の募集・支援制度・催し"),
        card("courses", len(data["courses"]), f"研修（{year.label}）"),
    ]
