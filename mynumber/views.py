"""資料5 pages: the ranking dashboard and the counts import."""

from django.urls import reverse_lazy

from council.framework.dashboards import DashboardView, LookupSelection
from council.framework.import_views import ImportView
from mynumber import selectors
from mynumber.imports import CountsImporter
from mynumber.models import Snapshot


class MynumberDashboardView(DashboardView):
    app_key = "mynumber"
    selection = LookupSelection(
        parameter="as_of",
        name="snapshot",
        choices_name="snapshots",
        resolve=selectors.resolve_snapshot,
        choices=Snapshot.objects.all,
        missing="その時点のデータはありません。",
    )
    national_title = "交付率"
    municipalities_only = False  # the prefecture's own row heads the table


class MynumberImportView(ImportView):
    importer_class = CountsImporter
    parent_app = "mynumber"
    success_url = reverse_lazy("mynumber:dashboard")
    instructions = (
        "国の統計（団体ごとの人口・申請件数・交付枚数）を時点ごとに取り込みます。率は件数から計算し、資料と同じく小数第1位に"
        "四捨五入します。全国の行は団体コードを空欄、団体名を「全国」にしてください。同じ時点・同じ団体の行は置き換えます。"
    )
