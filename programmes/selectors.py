"""Reads for 資料6: one query per table, aggregated in SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from council.framework.fiscal_years import FiscalYear
from council.models import Municipality
from council.models.municipality import MunicipalityQuerySet
from council.text import quoted
from programmes.models import BudgetLine, Offer, Programme, Registration, SubProgramme, SupportCase


def fiscal_years() -> list[FiscalYear]:
    return [FiscalYear(y) for y in sorted(set(Programme.objects.values_list("fiscal_year", flat=True)))]


def resolve_fiscal_year(slug: str | None) -> FiscalYear | None:
    years = [y.fiscal_year for y in fiscal_years()]
    if slug:
        if not (slug.isdigit() and int(slug) in years):
            raise LookupError(f"年度「{quoted(slug)}」の県の取組はありません（形式: 2023）。")
        return FiscalYear(int(slug))
    return FiscalYear(years[-1]) if years else None


def prefectures_of(organisations: QuerySet[Municipality]) -> QuerySet[Municipality]:
    """The councils whose data a set of organisations sees: their prefectures."""
    return Municipality.objects.filter(
        Q(pk__in=organisations.filter(kind=Municipality.Kind.PREFECTURE).values("pk"))
        | Q(pk__in=organisations.values("prefecture_id"))
    )


def programmes_for(*, year: int, prefectures: QuerySet[Municipality]) -> list[Programme]:
    return list(
        Programme.objects.filter(fiscal_year=year, prefecture__in=prefectures.values("pk")).prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("order", "pk")),
            Prefetch("sub_programmes", queryset=SubProgramme.objects.order_by("order", "pk")),
        )
    )


def offers_for(*, year: int, prefectures: QuerySet[Municipality]) -> list[Offer]:
    """The year's offers with the number of organisations registered for each."""
    return list(
        Offer.objects.filter(fiscal_year=year, prefecture__in=prefectures.values("pk"))
        .annotate(registered=Count("registrations"), participants=Sum("registrations__participants"))
        .order_by("kind", "number", "pk")
    )


def support_cases_for(*, year: int, organisations: QuerySet[Municipality]) -> list[SupportCase]:
    return list(
        SupportCase.objects.filter(
            fiscal_year=year, organisation__in=organisations.values("pk")
        ).select_related("organisation")
    )


def uptake_rows(*, year: int, organisations: MunicipalityQuerySet) -> list[dict]:
    """Per municipality (every one, in code order): registrations by kind, participants and Y-BASE
    support cases of the year. Three queries whatever the number of municipalities."""
    municipalities = list(organisations.reporting().order_by("display_order", "code").values("pk", "name"))
    counts = (
        Registration.objects.filter(offer__fiscal_year=year, organisation__in=organisations.values("pk"))
        .values("organisation_id", "kind")
        .annotate(n=Count("pk"), people=Sum("participants"))
    )
    by_org: dict[int, dict] = {}
    for row in counts:
        entry = by_org.setdefault(row["organisation_id"], {"people": 0})
        entry[row["kind"]] = row["n"]
        entry["people"] += row["people"] or 0
    cases = dict(
        SupportCase.objects.filter(fiscal_year=year, organisation__in=organisations.values("pk"))
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    rows = []
    for m in municipalities:
        entry = by_org.get(m["pk"], {})
        rows.append(
            {
                "name": m["name"],
                "application": entry.get(Registration.Kind.APPLICATION, 0),
                "interest": entry.get(Registration.Kind.INTEREST, 0),
                "attended": entry.get(Registration.Kind.ATTENDED, 0),
                "participants": entry.get("people", 0),
                "cases": cases.get(m["pk"], 0),
            }
        )
    return rows


def open_offers(*, user: Any, today: date) -> QuerySet[Offer]:
    """What a user's council accepts registrations for now: accepting, and not past its deadline."""
    return (
        Offer.objects.for_user(user)
        .filter(accepting=True)
        .filter(Q(closes__isnull=True) | Q(closes__gte=today))
        .order_by("closes", "kind", "number", "pk")
    )
