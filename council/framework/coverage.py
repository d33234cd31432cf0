"""How many of a period's expected reports are approved, and which period a dashboard opens on.

A dashboard opens on the period staff chose for the viewer's council's next meeting (the period of
that meeting's material bound to the dashboard, edited in the meeting's admin) or else on the latest
period whose expected reports are all approved. A period chosen by hand may be partial: its
`Coverage` says so in the heading and beside every total (「承認済み 1/19団体」).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone

from council.models import ReportingPeriod, ReportStatus, StatusReport


@dataclass(frozen=True)
class Coverage:
    """`approved` of the `expected` organisations' reports of a period are approved."""

    approved: int
    expected: int

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.approved >= self.expected

    @property
    def partial(self) -> bool:
        return not self.complete

    @property
    def label(self) -> str:
        """承認済み 19/19団体"""
        return f"承認済み {self.approved}/{self.expected}団体"

    def __str__(self) -> str:
        return self.label


#: why a dashboard shows the period it shows when the viewer named none
REASON_MEETING = "meeting"
REASON_COMPLETE = "complete"
REASON_LATEST = "latest"


def _approved_reports(section_model, organisations, periods):
    related = section_model._meta.get_field("report").remote_field.related_name
    return StatusReport.objects.filter(
        status=ReportStatus.APPROVED,
        period__in=[p.pk for p in periods],
        municipality__in=organisations.values("pk"),
        **{f"{related}__isnull": False},
    )


def approved_counts(section_model, organisations, periods) -> dict[int, int]:
    """period pk → how many of `organisations` have an approved report carrying the section (one query)."""
    if not periods:
        return {}
    rows = (
        _approved_reports(section_model, organisations, periods).values("period_id").annotate(n=Count("pk"))
    )
    return {row["period_id"]: row["n"] for row in rows.order_by()}


def approved_counts_by_prefecture(section_model, organisations, periods) -> dict[tuple[int, int], int]:
    """(prefecture pk, period pk) → approved reports (a prefecture's own report counts for itself)."""
    if not periods:
        return {}
    rows = (
        _approved_reports(section_model, organisations, periods)
        .annotate(pref=Coalesce("municipality__prefecture_id", "municipality_id"))
        .values("pref", "period_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["pref"], row["period_id"]): row["n"] for row in rows}


def expected_by_prefecture(organisations) -> dict[int, int]:
    """prefecture pk → how many of `organisations` belong to it (itself included when listed)."""
    rows = (
        organisations.annotate(pref=Coalesce("prefecture_id", "pk"))
        .values("pref")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["pref"]: row["n"] for row in rows}


def meeting_periods(app_key: str, councils: list[int] | None) -> dict[int, str]:
    """council (prefecture pk) → the period key staff chose for `app_key`'s material of that council's
    next meeting (the first one held today or later: on the meeting's day its period stays the
    default). `councils=None`: every council. One query."""
    from datetime import datetime, time

    from council.models import Material

    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    materials = Material.objects.filter(app_label=app_key, meeting__held_at__gte=today).exclude(period_key="")
    if councils is not None:
        materials = materials.filter(meeting__organiser_id__in=councils)
    chosen: dict[int, str] = {}
    for council, key in materials.order_by("meeting__held_at", "number").values_list(
        "meeting__organiser_id", "period_key"
    ):
        chosen.setdefault(council, key)
    return chosen


def default_period(
    periods: list[ReportingPeriod], counts: dict[int, int], expected: int, chosen_key: str = ""
) -> tuple[ReportingPeriod | None, str]:
    """The period to open on, and why: staff's choice for the next meeting (when it has approved
    data), else the latest period with every expected report approved, else the latest with any."""
    if chosen_key:
        chosen = next((p for p in periods if p.slug == chosen_key), None)
        if chosen is not None:
            return chosen, REASON_MEETING
    complete = [p for p in periods if expected and counts.get(p.pk, 0) >= expected]
    if complete:
        return complete[-1], REASON_COMPLETE
    if periods:
        return periods[-1], REASON_LATEST
    return None, REASON_LATEST


REASON_TEXT = {
    REASON_MEETING: "次回の会議の資料として選ばれた期間を表示しています。",
    REASON_COMPLETE: "全団体の報告が承認済みの最新の期間を表示しています。",
    REASON_LATEST: "全団体の報告が承認済みの期間がないため、承認済みの報告がある最新の期間を表示しています。",
}
