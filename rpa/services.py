"""資料3 writes: the RPA section of a quarterly report (runs and hours per scenario, requests to join
or leave), and the requests applied when the report is approved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from council.framework.sections import SectionWriter
from council.models import ReportEvent, StatusReport
from rpa.models import (
    Participation,
    ParticipationRequest,
    RpaUsage,
    Scenario,
    ScenarioUsage,
    active_scenario_ids,
)


class RpaWriter(SectionWriter[RpaUsage]):
    """`data`: {"note", "usage": [{"scenario_id", "runs", "hours_saved"}],
    "requests": [{"scenario_id", "action"}]}. Runs and hours are per quarter, so a new quarter's
    draft starts empty (`copied_fields`)."""

    model = RpaUsage
    copied_fields = ()

    def context(self) -> dict[int, str]:
        return dict(Scenario.objects.values_list("pk", "name"))

    def validate(
        self, section: RpaUsage, data: dict[str, Any], context: dict[int, str]
    ) -> tuple[list[ScenarioUsage], list[dict[str, Any]]]:
        names = context
        active = active_scenario_ids(section.report.municipality_id)
        errors = []
        usage = [u for u in data.get("usage", []) if u.get("runs") or u.get("hours_saved")]
        for u in usage:
            if u["scenario_id"] not in active:
                errors.append(
                    f"「{names.get(u['scenario_id'])}」は利用していないシナリオのため、実績を入力できません。"
                )
        requests = data.get("requests", [])
        for r in requests:
            joined = r["scenario_id"] in active
            if r["action"] == ParticipationRequest.Action.JOIN and joined:
                errors.append(f"「{names.get(r['scenario_id'])}」は既に利用しています。")
            if r["action"] == ParticipationRequest.Action.LEAVE and not joined:
                errors.append(
                    f"「{names.get(r['scenario_id'])}」は利用していないため、利用終了を申請できません。"
                )
        rows = [
            ScenarioUsage(
                scenario_id=u["scenario_id"],
                runs=u.get("runs") or 0,
                hours_saved=u.get("hours_saved") or Decimal("0"),
            )
            for u in usage
        ]
        for row in rows:
            try:
                row.full_clean(exclude=["usage"])
            except ValidationError as error:
                errors.extend(f"「{names.get(row.scenario_id)}」: {m}" for m in error.messages)
        if errors:
            raise ValidationError(errors)
        section.note = data.get("note", "")
        return rows, requests

    def write_children(
        self,
        section: RpaUsage,
        children: tuple[list[ScenarioUsage], list[dict[str, Any]]],
        *,
        user: User | None,
    ) -> None:
        rows, requests = children
        section.scenarios.all().delete()
        for row in rows:
            row.usage = section
        ScenarioUsage.objects.bulk_create(rows)
        section.requests.all().delete()
        ParticipationRequest.objects.bulk_create(
            ParticipationRequest(usage=section, scenario_id=r["scenario_id"], action=r["action"])
            for r in requests
        )

    def insert_children(
        self,
        pairs: list[tuple[RpaUsage, tuple[list[ScenarioUsage], list[dict[str, Any]]]]],
        *,
        user: User | None,
    ) -> None:
        for section, children in pairs:
            self.write_children(section, children, user=user)


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
