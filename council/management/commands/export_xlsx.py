"""`python manage.py export_xlsx <app_label> <output.xlsx> [--period 2023-Q1]`: the same workbook as
the dashboard's download button."""

from django.core.management import BaseCommand, CommandError

from council.framework.exports import ExportUnavailable, export_title, prepare_export
from council.framework.xlsx import write_workbook
from council.models import Municipality


class Command(BaseCommand):
    help = "ダッシュボードの「Excelで出力」と同じブックをファイルに書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("app_label", help="出力する議題のキー（例: dx）")
        parser.add_argument("output", help="出力先の .xlsx ファイル")
        parser.add_argument(
            "--period", help="報告期間（例: 2022-Q4）、統計なら時点（例: 2023-03-31）。既定は最新"
        )

    def handle(self, *args, app_label, output, period=None, **options):
        try:
            spec, resolved = prepare_export(app_label, period)
        except ExportUnavailable as error:
            raise CommandError(error.message) from None
        write_workbook(
            spec.build(resolved, Municipality.objects.all()), output, title=export_title(spec, resolved)
        )
        self.stdout.write(
            self.style.SUCCESS(f"{output} に {spec.title}（{resolved.label}）を書き出しました。")
        )
