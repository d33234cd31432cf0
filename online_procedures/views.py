"""資料2 pages: the comparison dashboard and the long-format import."""

from django.urls import reverse_lazy

from council.framework.dashboards import DashboardView, PeriodSelection
from council.framework.import_views import ImportView
from online_procedures import selectors
from online_procedures.imports import OnlineCountImporter
from online_procedures.models import OnlineProcedureStatus


class OnlineDashboardView(DashboardView):
    app_key = "online_procedures"
    selection = PeriodSelection(OnlineProcedureStatus, compare_with=selectors.compare_period)
    national_title = "1団体あたりの手続数"


class OnlineImportView(ImportView):
    importer_class = OnlineCountImporter
    parent_app = "online_procedures"
    success_url = reverse_lazy("online_procedures:dashboard")
    instructions = (
        "「Excelで出力」した「データ」シートと同じ形のファイルを取り込みます。団体・報告期間ごとに利用手続数を置き換えます。"
        "承認済み・確認待ちの報告は、内容が同じ場合のみ取り込めます。"
    )
