"""Dashboards at national scale.

A council sees its own prefecture, municipality by municipality, exactly as in its materials. A
viewer who sees more than one prefecture (a national account, the Digital Agency) gets each dashboard
summarised by prefecture first, 47 rows instead of 1,741 (a 1,741-row heat map helps nobody in a
meeting, and the page stays light), and picks a prefecture (`?pref=35`) to see its municipalities as
its council does. The full municipality list is what the Excel export is for.

Each dashboard supplies a `NationalSummary` (its measures per prefecture, aggregated in SQL);
this module adds the prefecture list, the number of organisations per prefecture, the links and a
chart of the headline measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import plotly.graph_objects as go
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404

from council.framework.charts import PALETTE, Chart, layout
from council.models import Municipality

PARAM = "pref"


@dataclass
class DashboardScope:
    """Whose data a dashboard shows: `organisations` (prefectures and municipalities, narrowed to
    the chosen prefecture), the prefectures the viewer may choose from (empty when only one), and
    the chosen one."""

    organisations: object  # a Municipality queryset
    prefectures: list[Municipality]
    selected: Municipality | None
    params: dict[str, str] = field(default_factory=dict)  # the page's other GET parameters

    @property
    def national(self) -> bool:
        return len(self.prefectures) > 1 and self.selected is None

    @property
    def selected_number(self) -> str:
        return self.selected.prefecture_number if self.selected else ""

    @property
    def hidden_params(self) -> list[tuple[str, str]]:
        """The other selectors' values, carried by the prefecture selector's form."""
        return sorted(self.params.items())

    def link(self, prefecture: Municipality) -> str:
        return "?" + urlencode({**self.params, PARAM: prefecture.prefecture_number})


def dashboard_scope(user, query) -> DashboardScope:
    """Resolve `?pref=NN` against what the user may see (an unknown or unseen prefecture is a 404).
    One query whatever the number of municipalities."""
    organisations = Municipality.objects.for_dashboard(user)
    prefectures = list(
        Municipality.objects.filter(kind=Municipality.Kind.PREFECTURE)
        .filter(
            Q(pk__in=organisations.reporting().values("prefecture_id")) | Q(pk__in=organisations.values("pk"))
        )
        .order_by("code")
        .only("pk", "code", "name")
    )
    params = {key: value for key, value in query.items() if key != PARAM}
    number = query.get(PARAM, "")
    if not number:
        return DashboardScope(organisations, prefectures if len(prefectures) > 1 else [], None, params)
    selected = next((p for p in prefectures if p.prefecture_number == number), None)
    if selected is None:
        raise Http404("その都道府県のデータはありません。")
    if len(prefectures) > 1:
        organisations = organisations.filter(Q(pk=selected.pk) | Q(prefecture=selected.pk))
        return DashboardScope(organisations, prefectures, selected, params)
    return DashboardScope(organisations, [], None, params)


@dataclass
class NationalSummary:
    """One dashboard's measures per prefecture: `values[prefecture id]` lines up with `columns`
    (a prefecture with nothing approved is simply missing). `headline` is the column charted."""

    columns: list[str]
    values: dict[int, list]
    headline: int = 0
    note: str = ""


@dataclass
class NationalRow:
    prefecture: Municipality
    link: str
    organisations: int
    values: list | None


def prefecture_counts(scope: DashboardScope) -> dict[int, int]:
    """How many reporting organisations each prefecture has (the denominator of 報告団体数)."""
    return dict(
        scope.organisations.reporting()
        .values("prefecture_id")
        .annotate(n=Count("pk"))
        .values_list("prefecture_id", "n")
    )


def national_context(scope: DashboardScope, summary: NationalSummary, *, key: str, title: str) -> dict:
    """Template context for `framework/includes/national.html`."""
    counts = prefecture_counts(scope)
    rows = [
        NationalRow(p, scope.link(p), counts.get(p.pk, 0), summary.values.get(p.pk))
        for p in scope.prefectures
    ]
    label = summary.columns[summary.headline]
    charted = [(r.prefecture.name, r.values[summary.headline]) for r in rows if r.values is not None]
    fig = go.Figure(
        go.Bar(
            x=np.array([value for _, value in charted], dtype=float),
            y=np.array([name for name, _ in charted], dtype=object),
            orientation="h",
            marker_color=PALETTE[0],
            hovertemplate="%{y}: %{x}<extra></extra>",
            name=label,
        )
    )
    fig.update_layout(**layout(margin={"l": 90, "r": 20, "t": 10, "b": 50}, showlegend=False))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=label, range=[0, 100] if "（%）" in label else None)
    chart = Chart(
        key=f"{key}-national",
        title=f"{title}（都道府県別）",
        figure=fig,
        columns=["都道府県", label],
        rows=[[name, value] for name, value in charted],
        height=max(360, 18 * len(charted) + 90),
        table_open=False,
    )
    return {
        "national": {
            "columns": summary.columns,
            "rows": rows,
            "chart": chart,
            "note": summary.note,
            "organisations": sum(counts.values()),
        }
    }


def by_prefecture(queryset, path: str, **aggregates) -> dict[int, dict]:
    """`queryset` grouped by the prefecture of `path` (a municipality relation; a prefecture's own
    rows count for itself), with `aggregates`
    (name them apart from the model's fields: an annotation shadows a field of the same name)."""
    grouped = queryset.annotate(national_prefecture=Coalesce(f"{path}__prefecture_id", f"{path}__pk"))
    return {
        row.pop("national_prefecture"): row
        for row in grouped.values("national_prefecture").annotate(**aggregates).order_by()
    }


def percent(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None
