"""資料1 dashboard data, shared by the dashboard page and the meeting materials."""

from __future__ import annotations

from council.framework.cards import Card, card, expected_count
from council.framework.dashboards import Selected
from council.wareki import deadline_label
from standardization import analysis, official, selectors
from standardization.charts import heatmap_chart, progress_chart
from standardization.templatetags.standardization_tags import pct


def dashboard_data(selected: Selected, visible) -> dict:
    period = selected.current
    master = selectors.master()
    reported = selectors.approved_sections(period=period, municipalities=visible)
    previous = selectors.previous_period(period)
    rows = selectors.step_rows(periods=[p for p in (period, previous) if p], municipalities=visible)
    current = analysis.by_municipality(rows, period.pk)
    ids = [m_id for m_id, *_ in reported]
    deadlines = selectors.deadlines(municipality_ids=ids, master=master)
    progress = [
        (name, analysis.completion(current.get(m_id, {}), len(master.steps), master.total))
        for m_id, _, name, _ in reported
    ]
    deadline = master.standard_deadline
    return official.dashboard_official(period, visible, master, reported) | {
        "master": master,
        "reported": reported,
        "previous": previous,
        "changes": analysis.changes(
            current,
            analysis.by_municipality(rows, previous.pk) if previous else {},
            {m: n for m, _, n, _ in reported},
            master.steps,
            master.total,
        )
        if previous
        else [],
        "risks": (
            risks := analysis.risks(current, reported, deadlines, master.steps, master.total, period.as_of)
        ),
        "organisations_at_risk": len({r.municipality for r in risks}),
        "lines": [
            (m_id, name, slug, analysis.material_lines(current.get(m_id, {}), master.steps, master.total))
            for m_id, _, name, slug in reported
        ],
        "charts": [
            heatmap_chart(
                current, reported, master.summary_steps({r["step_id"] for r in rows}), master.total
            ),
            progress_chart(
                progress, analysis.elapsed_share(period.as_of, deadline), deadline_label(deadline)
            ),
        ],
    }


def national_summary(selected: Selected, organisations):
    """資料1 per prefecture: average progress toward the deadline and steps past their planned date."""
    period = selected.current
    from django.db.models import Case, Count, F, FloatField, Q, Sum, When

    from council.framework.national import NationalSummary, by_prefecture, percent
    from council.models import ReportStatus
    from standardization.models import StandardizationProgress, StepProgress

    master = selectors.master()
    approved = {
        "report__period": period,
        "report__status": ReportStatus.APPROVED,
        "report__municipality__in": organisations.values("pk"),
    }
    sections = by_prefecture(
        StandardizationProgress.objects.filter(**approved), "report__municipality", n=Count("pk")
    )
    complete = Q(actual_date__isnull=False, operations_done=master.total, partial=False)
    steps = by_prefecture(
        StepProgress.objects.filter(**{f"progress__{k}": v for k, v in approved.items()}),
        "progress__report__municipality",
        weighted=Sum(
            Case(
                When(partial=True, then=F("operations_done") * 0.5),
                default=F("operations_done"),
                output_field=FloatField(),
            )
        ),
        done=Count("pk", filter=Q(operations_done=master.total, partial=False)),
        overdue=Count("pk", filter=Q(planned_date__lt=period.as_of) & ~complete),
    )
    from standardization.models import Status, StepStatus

    municipal = ~Q(progress__report__municipality__kind="prefecture")
    detail = by_prefecture(
        StepStatus.objects.filter(**{f"progress__{k}": v for k, v in approved.items()}),
        "progress__report__municipality",
        complete=Count("pk", filter=Q(status__in=[Status.DONE, Status.NOT_APPLICABLE])),
        municipal_orgs=Count("progress", distinct=True, filter=municipal),
        prefecture_orgs=Count("progress", distinct=True, filter=~municipal),
    )
    n_prefecture_ops = len(master.operations_of("prefecture"))
    values = {}
    for pref, section in sections.items():
        row = steps.get(pref, {"weighted": 0, "done": 0, "overdue": 0})
        cells = section["n"] * len(master.steps)
        official = detail.get(pref)
        values[pref] = [
            section["n"],
            percent(row["weighted"] or 0, cells * master.total),
            percent(row["done"], cells),
            row["overdue"],
            percent(
                official["complete"],
                (official["municipal_orgs"] * master.total + official["prefecture_orgs"] * n_prefecture_ops)
                * master.n_steps,
            )
            if official
            else None,
        ]
    return NationalSummary(
        columns=[
            "報告団体数",
            "平均進捗率（%）",
            "全業務完了のステップの割合（%）",
            "予定日を過ぎて未完了のステップ",
            "完了率（国の定義）（%）",
        ],
        values=values,
        headline=1,
        note="進捗率 = 完了した（ステップ × 業務）の割合（一部完了は半分）。団体ごとの進捗率の平均です。"
        f"完了率（国の定義）=（完了済み＋対象外）÷（業務ごとの状況を報告した団体の対象業務数 × {master.n_steps}）。",
    )


def headline_cards(data: dict) -> list[Card]:
    """資料1 leads with the prefecture's progress (the national definition's completion rate), the
    municipalities at risk against their deadline and the reports approved."""
    official = data["official"]
    has_detail = official["has_detail"]
    average = official.get("average")
    completion = average.completion if has_detail and average else None
    return [
        card(
            "completion",
            pct(completion),
            "完了率（国の定義）・県内の市町の平均" + ("" if has_detail else "（業務ごとの報告がない期間）"),
        ),
        card(
            "at-risk",
            data["organisations_at_risk"],
            f"期限に対するリスクのある団体（{len(data['risks'])}件）",
        ),
        card("reported", f"{len(data['reported'])}／{expected_count(data)}", "承認済みの報告（団体）"),
    ]
