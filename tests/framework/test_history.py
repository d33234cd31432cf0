"""The bulk paths keep the same history as saving one row at a time: every row they create has
exactly one "+" historical record, by the user who started it, carrying the row's values
(`council.framework.history`, used by `reports_start`, `carry_forward` and `write_new`)."""

import io

import openpyxl
from django.apps import apps
from django.utils import timezone

from council import services
from council.framework.imports import run_import
from council.models import Municipality, ReportingPeriod, StatusReport
from standardization.imports import StepProgressImporter
from standardization.models import StepProgress


def history_models():
    return [m for m in apps.get_models() if getattr(m._meta, "simple_history_manager_attribute", None)]


def snapshot():
    """{model: ids of its rows} for every model with history."""
    return {m: set(m.objects.values_list("pk", flat=True)) for m in history_models()}


def assert_created_with_history(before, user, started):
    """Every row added since `before` has one "+" record by `user`, written since `started`, with the
    row's values; no other historical record was written. Returns {model name: rows added}."""
    added = {}
    for model, old in before.items():
        historical = model.history.model
        records = historical.objects.filter(history_date__gte=started)
        new = model.objects.exclude(pk__in=old)
        assert records.count() == new.count(), model  # no record for a row that was not created
        for row in new:
            (record,) = historical.objects.filter(id=row.pk)
            assert (record.history_type, record.history_user, record.history_change_reason) == (
                "+",
                user,
                None,
            ), model
            assert record.history_date >= started
            assert {f.attname: getattr(record, f.attname) for f in historical.tracked_fields} == {
                f.attname: getattr(row, f.attname) for f in historical.tracked_fields
            }, model
        if new:
            added[model._meta.label] = new.count()
    return added


def test_starting_reports_in_bulk_records_each_created_row_once(hagi, ube, staff):
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    before, started = snapshot(), timezone.now()
    services.reports_start(pairs=[(hagi, q1), (ube, q1)], user=staff)
    added = assert_created_with_history(before, staff, started)
    # the reports and every carried section (with 資料1's step rows) were checked
    assert added["council.StatusReport"] == 2
    assert {
        "council.DXStructure",
        "standardization.StandardizationProgress",
        "standardization.StepProgress",
        "online_procedures.OnlineProcedureStatus",
    } <= set(added)


def test_a_committed_import_records_each_created_row_once(staff):
    towns = Municipality.objects.reporting().filter(slug__in=["hagi", "ube"]).order_by("code")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "データ"
    ws.append(
        ["団体コード", "団体名", "報告期間", "ステップ", "業務数", "一部", "完了予定日", "完了日（実績）"]
    )
    for town in towns:
        ws.append([town.code, town.name, "2023-Q1", "推進体制の立ち上げ", 20, "", None, None])
        ws.append([town.code, town.name, "2023-Q1", "現行システムの概要調査", 7, "○", "2023-09-30", None])
    content = io.BytesIO()
    wb.save(content)
    before, started = snapshot(), timezone.now()
    result = run_import(StepProgressImporter(), content.getvalue(), staff, commit=True)
    assert result.ok, result.errors
    added = assert_created_with_history(before, staff, started)
    assert added["council.StatusReport"] == 2
    assert added["standardization.StandardizationProgress"] == 2
    assert added["standardization.StepProgress"] == 4
    new = StatusReport.objects.filter(period__fiscal_year=2023, period__quarter=1)
    assert StepProgress.objects.filter(progress__report__in=new).count() == 4
