"""Excel books: the generic entry points (download view, `export_xlsx`) and the DX-structure book."""

from __future__ import annotations

from council.framework import registry
from council.models import ReportingPeriod
from council.selectors import resolve_period
from council.text import quoted


class ExportUnavailable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def prepare_export(app_label: str, period_slug: str | None) -> tuple[registry.ExporterSpec, ReportingPeriod]:
    """The exporter and the period of a download or `export_xlsx` call; Japanese errors otherwise."""
    if app_label not in registry.exporters:
        known = "、".join(spec.key for spec in registry.exporters.all())
        raise ExportUnavailable(f"「{quoted(app_label)}」の出力はありません（出力できるもの: {known}）。")
    spec = registry.exporters.get(app_label)
    if spec.resolve is not None:
        try:
            period = spec.resolve(period_slug)
        except LookupError as error:
            raise ExportUnavailable(str(error.args[0])) from None
    else:
        try:
            period, _ = resolve_period(spec.section_model, period_slug)
        except ReportingPeriod.DoesNotExist:
            raise ExportUnavailable(
                f"報告期間「{quoted(period_slug)}」はありません（形式: 2023-Q1）。"
            ) from None
    if period is None:
        raise ExportUnavailable("出力できるデータ（承認済みの報告）がまだありません。")
    return spec, period


def export_title(spec: registry.ExporterSpec, period: ReportingPeriod) -> str:
    """The workbook's document title: 「資料1 情報システムの標準化・共通化（令和4年度 第4四半期）」."""
    return f"{spec.title}（{period.label}）"


def export_filename(spec: registry.ExporterSpec, period: ReportingPeriod) -> str:
    return f"{spec.filename}_{period.slug}.xlsx"
