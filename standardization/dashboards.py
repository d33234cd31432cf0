"""資料1 dashboard data, shared by the dashboard page and the meeting materials."""

from __future__ import annotations

from council.wareki import deadline_label
from standardization import analysis, selectors
from standardization.charts import heatmap_chart, progress_chart


def dashboard_data(period, visible) -> dict:
    master = selectors.master()
    reported = selectors.approved_sections(period=period, municipalities=visible)
    previous = selectors.previous_period(period)
    rows = selectors.step_rows(periods=[p for p in (period, previous) if p], municipalities=visible)
    current = analysis.by_municipality(rows, period.pk)
    ids = [m_id for m_id, *_ in reported]
    deadlines = selectors.deadlines(municipality_ids=ids, master=master)
    progress = [(name, analysis.completion(current.get(m_id, {}), len(master.steps), master.total)) for m_id, _, name, _ in reported]
    deadline = master.standard_deadline
    return {
        "master": master,
        "reported": reported,
        "previous": previous,
        "changes": analysis.changes(
            current, analysis.by_municipality(rows, previous.pk) if previous else {}, {m: n for m, _, n, _ in reported},
            master.steps, master.total,
        ) if previous else [],
        "risks": analysis.risks(current, reported, deadlines, master.steps, master.total, period.as_of),
        "lines": [(name, slug, analysis.material_lines(current.get(m_id, {}), master.steps, master.total)) for m_id, _, name, slug in reported],
        "charts": [
            heatmap_chart(current, reported, master.steps, master.total),
            progress_chart(progress, analysis.elapsed_share(period.as_of, deadline), deadline_label(deadline)),
        ],
    }


def standardization_charts(period, municipalities):
    return dashboard_data(period, municipalities)["charts"]
