"""資料3 page: participation, effects, and the plan."""

from council.framework.dashboards import DashboardView, LookupSelection
from rpa.exports import fiscal_years, resolve_fiscal_year


class RpaDashboardView(DashboardView):
    app_key = "rpa"
    selection = LookupSelection(
        parameter="year",
        name="year",
        choices_name="years",
        resolve=resolve_fiscal_year,
        choices=fiscal_years,
        missing="その年度のシナリオはありません。",
    )
    national_title = "削減時間の合計"
