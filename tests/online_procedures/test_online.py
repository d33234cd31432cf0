"""資料2: the catalogue, the count or checklist, the comparison table and its total, import."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from council import services
from council.framework import registry
from council.framework.imports import run_import
from council.models import ReportingPeriod, StatusReport
from online_procedures.imports import OnlineCountImporter
from online_procedures.models import OnlineProcedureStatus, Procedure
from tests.exports.checks import shown
from tests.factories import ReportingPeriodFactory

# 資料2 2. オンライン化取組状況のとりまとめ, as printed (R4.4時点, R5.4時点).
MATERIALS_TABLE_2 = [
    ("下関市", "8手続", "22手続"),
    ("宇部市", "0手続", "26手続"),
    ("山口市", "22手続", "22手続"),
    ("萩市", "1手続", "26手続"),
    ("防府市", "0手続", "27手続"),
    ("下松市", "5手続", "27手続"),
    ("岩国市", "1手続", "3手続"),
    ("光市", "11手続", "24手続"),
    ("長門市", "0手続", "11手続"),
    ("柳井市", "0手続", "27手続"),
    ("美祢市", "0手続", "27手続"),
    ("周南市", "9手続", "26手続"),
    ("山陽小野田市", "0手続", "27手続"),
    ("周防大島町", "0手続", "27手続"),
    ("和木町", "10手続", "26手続"),
    ("上関町", "0手続", "27手続"),
    ("田布施町", "0手続", "11手続"),
    ("平生町", "0手続", "27手続"),
    ("阿武町", "0手続", "27手続"),
]


def test_catalogue_has_27_procedures_in_three_fields(seeded):
    counts = {c: Procedure.objects.filter(category=c).count() for c, _ in Procedure.Category.choices}
    assert counts == {"childcare": 15, "care": 11, "disaster": 1}
    assert Procedure.objects.filter(verified=False).count() == 6  # the names DOMAIN.md marks unverified


def download(client, url="/online-procedures/export.xlsx"):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_export_reproduces_material_2(client, staff):
    client.force_login(staff)
    cells = list(
        openpyxl.load_workbook(io.BytesIO(download(client)))["資料2 オンライン化取組状況"].iter_rows()
    )
    # as a spreadsheet shows them: counts are numbers shown as 「8手続」
    rows = [tuple(shown(c) for c in row) for row in cells]
    assert rows[1][0] == "子育て(15手続)・介護(11手続)・被災者支援(1手続)、計27手続のマイナポータル活用状況"
    header = rows.index(("市町名", "R4.4時点", "R5.4時点"))
    body = [tuple(r) for r in rows[header + 1 : header + 20]]
    assert body == MATERIALS_TABLE_2
    assert [c.value for c in cells[header + 1]] == ["下関市", 8, 22]
    assert rows[header + 21][0] == "R5.4時点合計 19市町延べ440手続"


def test_dashboard_compares_a_year_apart_with_the_total(client, member):
    client.force_login(member)
    page = client.get(reverse("online_procedures:dashboard")).content.decode()
    assert "R5.4時点合計 19市町延べ440手続" in page
    assert "比較: R4.4時点（令和3年度 第4四半期）" in page
    assert 'data-kpi="all">9<' in page  # municipalities offering all 27 at R5.4
    assert client.get(reverse("online_procedures:dashboard") + "?compare=1999-Q1").status_code == 404


@pytest.fixture
def draft(hagi, liaison):
    return services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )


def test_checklist_decides_the_count_and_must_agree(client, liaison, draft):
    client.force_login(liaison)
    url = reverse("reports:section", args=[draft.pk, "online_procedures"])
    assert "26" in client.get(url).content.decode()  # carried forward from R5.4
    ids = list(Procedure.objects.filter(category="care").values_list("pk", flat=True))
    version = draft.online_procedures_onlineprocedurestatus.version
    response = client.post(url, {"expected_version": version, "available_count": "5", "procedures_care": ids})
    assert response.status_code == 400
    assert "チェックした手続（11手続）と手続数（5）が一致しません" in response.content.decode()
    response = client.post(url, {"expected_version": version, "available_count": "", "procedures_care": ids})
    assert response.status_code == 302
    status = OnlineProcedureStatus.objects.get(report=draft)
    assert status.available_count == 11 and status.procedures.count() == 11


@pytest.mark.parametrize(
    ("value", "message"), [("28", "27 以下"), ("-1", "0 以上"), ("x", "整数"), ("", "手続数を入力するか")]
)
def test_bad_counts_are_refused(client, liaison, draft, value, message):
    client.force_login(liaison)
    version = draft.online_procedures_onlineprocedurestatus.version
    response = client.post(
        reverse("reports:section", args=[draft.pk, "online_procedures"]),
        {"expected_version": version, "available_count": value},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert OnlineProcedureStatus.objects.get(report=draft).available_count == 26


def test_service_refuses_a_disagreeing_checklist(draft, liaison):
    section = registry.sections.get("online_procedures")
    with pytest.raises(ValidationError):
        services.section_save(
            report=draft,
            section=section,
            data={"available_count": 3, "procedure_ids": [1, 2]},
            expected_version=1,
            user=liaison,
        )


def test_coverage_per_procedure_when_checklists_exist(client, liaison, staff, member, draft):
    section = registry.sections.get("online_procedures")
    ids = list(Procedure.objects.filter(category="childcare").values_list("pk", flat=True)[:4])
    services.section_save(
        report=draft,
        section=section,
        data={"available_count": None, "procedure_ids": ids},
        expected_version=1,
        user=liaison,
    )
    services.report_submit(report=draft, user=liaison)
    services.report_approve(report=draft, user=staff)
    client.force_login(member)
    page = client.get(reverse("online_procedures:dashboard") + "?period=2023-Q1").content.decode()
    assert 'id="chart-online-coverage"' in page
    assert "R5.7時点合計 1市町延べ4手続" in page
    assert "比較: R5.4時点（令和4年度 第4四半期）" in page  # no year-earlier Q1: the latest earlier period


def long_book(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "データ"
    ws.append(["団体コード", "団体名", "報告期間", "利用手続数"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def stored():
    return sorted(
        OnlineProcedureStatus.objects.values_list(
            "report__municipality__code", "report__period_id", "available_count"
        )
    )


def test_export_import_round_trip(client, staff):
    client.force_login(staff)
    before = stored()
    result = run_import(OnlineCountImporter(), download(client), staff, commit=True)
    assert result.ok, result.errors
    assert "38件の団体・報告期間のうち、0件を更新します" in result.summary
    assert stored() == before


def test_import_of_a_new_quarter_starts_the_reports_with_their_history(staff, count_queries):
    """New reports take the bulk path: the counts, who wrote them, and the same number of queries
    for 2 municipalities as for 19."""
    from council.models import Municipality

    def book(codes, period):
        names = dict(Municipality.objects.filter(code__in=codes).values_list("code", "name"))
        return long_book([[code, names[code], period, 5 + i] for i, code in enumerate(codes)])

    codes = list(
        Municipality.objects.reporting().filter(prefecture__code="350001").values_list("code", flat=True)
    )
    assert len(codes) == 19
    ReportingPeriodFactory(fiscal_year=2023, quarter=2)  # as of 2023-09-30
    results = []
    two = count_queries(
        lambda: results.append(
            run_import(OnlineCountImporter(), book(codes[:2], "2023-Q1"), staff, commit=True)
        )
    )
    nineteen = count_queries(
        lambda: results.append(run_import(OnlineCountImporter(), book(codes, "2023-Q2"), staff, commit=True))
    )
    assert all(r.ok for r in results), [r.errors for r in results]
    assert nineteen == two
    sections = OnlineProcedureStatus.objects.filter(
        report__period__fiscal_year=2023, report__period__quarter=2
    )
    assert sorted(sections.values_list("available_count", flat=True)) == list(range(5, 24))
    for section in sections:
        assert section.report.status == "draft" and section.updated_by == staff and section.version == 1
        assert section.history.get().history_user == staff
        assert list(section.report.events.values_list("action", "user")) == [("create", staff.pk)]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["352047", "萩市", "2023-Q1", 28], "利用手続数", "0〜27"),
        (["352047", "萩市", "2023-Q1", "多い"], "利用手続数", "数値ではありません"),
        (["352047", "萩市", "2023-Q1", None], "利用手続数", "値がありません"),
        (["352047", "萩市", "2023-Q1", 3], "報告期間", "2行目にもあります"),
        (["352047", "萩市", "2022-Q4", 3], "報告期間", "承認済"),
        (["000000", "", "2023-Q1", 3], "団体コード", "登録されていません"),
    ],
)
def test_bad_rows_write_nothing(staff, row, column, message):
    before = stored()
    result = run_import(
        OnlineCountImporter(), long_book([["352047", "萩市", "2023-Q1", 20], row]), staff, commit=True
    )
    assert any(e.column == column and message in e.message for e in result.errors), result.errors
    assert stored() == before
    assert not StatusReport.objects.filter(period__fiscal_year=2023).exists()


def test_query_counts_do_not_grow(client, member, staff, count_queries, grow_prefecture):
    urls = [(member, reverse("online_procedures:dashboard")), (staff, reverse("online_procedures:export"))]

    def measure():
        counts = []
        for user, url in urls:
            client.force_login(user)
            client.get(url)
            counts.append(count_queries(lambda url=url: client.get(url)))
        return counts

    at_19 = measure()
    grow_prefecture(181)
    assert measure() == at_19
