"""資料7 pages: the dashboard (the Excel download is the framework's ExportView)."""

from council.dx.models import DXStructure
from council.framework.dashboards import DashboardView, PeriodSelection


class DXDashboardView(DashboardView):
    app_key = "dx"
    selection = PeriodSelection(DXStructure)
    national_title = "全体方針 策定済の割合"
