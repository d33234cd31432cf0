"""Writes of the RPA app that follow the report workflow."""

from typing import Any

from django.contrib.auth.models import User

from council.models import ReportEvent, StatusReport
from rpa.models import Participation, ParticipationRequest, RpaUsage


def apply_participation_requests(
    sender: type[StatusReport],
    report: StatusReport,
    action: ReportEvent.Action,
    user: User | None = None,
    **kwargs: Any,
) -> None:
    """On approval, the report's join/leave requests change who uses which scenario (inside the
    approval's transaction: both happen or neither)."""
    if action != ReportEvent.Action.APPROVE:
        return
    usage = RpaUsage.objects.filter(report=report).first()
    if usage is None:
        return
    fiscal_year = report.period.fiscal_year
    for request in usage.requests.filter(applied=False).select_related("scenario"):
        active = Participation.objects.filter(
            scenario=request.scenario, municipality_id=report.municipality_id, until_fiscal_year__isnull=True
        ).first()
        if request.action == ParticipationRequest.Action.JOIN and active is None:
            last = (
                Participation.objects.filter(scenario=request.scenario)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            Participation.objects.create(
                scenario=request.scenario,
                municipality_id=report.municipality_id,
                since_fiscal_year=fiscal_year,
                order=(last or 0) + 1,
            )
        elif request.action == ParticipationRequest.Action.LEAVE and active is not None:
            active.until_fiscal_year = fiscal_year
            active.save(update_fields=["until_fiscal_year"])
        request.applied = True
        request.save(update_fields=["applied"])
