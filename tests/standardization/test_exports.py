"""資料1 reproduced cell for cell; the long format round-trips through the import."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from council.framework import registry
from council.framework.imports import run_import
from council.models import ReportingPeriod, StatusReport
from standardization.imports import StepProgressImporter
from standardization.models import StepProgress
from tests.factories import PrefectureFactory, ReportingPeriodFactory, UserFactory

# 資料1 (2) 標準化PMOツールによる進捗把握等 R5.3月末時点, as printed in the materials of 2023-05-11.
MATERIALS_TABLE_1 = {
    "下関市": ["全業務について推進体制の立ち上げ"],
    "宇部市": [
        "18業務について現行システムの概要調査(一部)",
        "18業務についてRFI資料の作成",
        "18業務についてRFIの実施",
        "18業務についてRFI結果(一部)",
    ],
    "山口市": [
        "全業務について推進体制の立ち上げ",
        "全業務について現行システムの概要調査(一部)",
        "全業務についてRFI資料の作成(一部)",
        "全業務についてRFIの実施",
    ],
    "萩市": ["全業務について推進体制の立ち上げ", "全業務についてRFI資料の作成", "全業務についてRFIの実施"],
    "防府市": ["全業務について推進体制の立ち上げ", "18業務についてRFI資料の作成", "18業務についてRFIの実施"],
    "下松市": [
        "全業務について推進体制の立ち上げ",
        "全業務について現行システムの概要調査(一部)",
        "19業務について標準仕様との比較分析(一部)",
    ],
    "岩国市": ["全業務について推進体制の立ち上げ", "全業務についてRFI資料の作成", "全業務についてRFIの実施"],
    "光市": ["18業務について推進体制の立ち上げ"],
    "長門市": ["17業務についてRFI資料の作成(一部)"],
    "柳井市": [
        "全業務について推進体制の立ち上げ(一部)",
        "18業務について現行システムの概要調査(一部)",
        "18業務について標準仕様との比較分析(一部)",
        "全業務について特定個人情報保護評価",
    ],
    "美祢市": ["17業務についてRFI資料の作成(一部)", "17業務についてRFIの実施"],
    "周南市": ["全業務について推進体制の立ち上げ(一部)"],
    "山陽小野田市": [
        "全業務について推進体制の立ち上げ",
        "18業務についてRFI資料の作成",
        "18業務についてRFIの実施",
        "18業務についてRFI結果(一部)",
    ],
    "周防大島町": ["全業務について推進体制の立ち上げ"],
    "和木町": ["全業務について推進体制の立ち上げ"],
    "上関町": ["全業務について推進体制の立ち上げ", "1業務について現行システムの概要調査(一部)"],
    "田布施町": [
        "全業務について推進体制の立ち上げ",
        "全業務について現行システムの概要調査(一部)",
        "16業務について標準仕様との比較分析(一部)",
        "16業務についてRFI資料の作成(一部)",
        "16業務についてRFIの実施",
    ],
    "平生町": ["全業務について推進体制の立ち上げ"],
    "阿武町": [
        "15業務について推進体制の立ち上げ(一部)",
        "15業務について現行システムの概要調査(一部)",
        "13業務について標準仕様との比較分析(一部)",
    ],
}


def download(client, url="/standardization/export.xlsx"):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_export_reproduces_material_1_cell_for_cell(client, staff):
    client.force_login(staff)
    book = openpyxl.load_workbook(io.BytesIO(download(client)))
    rows = list(book["資料1 完了済みフェーズ"].iter_rows(values_only=True))
    assert rows[0][0] == "標準化PMOツールによる進捗把握等 R5.3月末時点"
    header = rows.index(("市町", "完了済みフェーズ"))
    body = {name: text.split("\n") for name, text in rows[header + 1 :]}
    assert list(body) == list(MATERIALS_TABLE_1)  # the materials' order
    assert body == MATERIALS_TABLE_1


def test_command_writes_the_same_book(client, staff, tmp_path):
    client.force_login(staff)
    downloaded = openpyxl.load_workbook(io.BytesIO(download(client)))
    call_command("export_xlsx", "standardization", str(tmp_path / "s.xlsx"), stdout=io.StringIO())
    written = openpyxl.load_workbook(tmp_path / "s.xlsx")
    for name in written.sheetnames:
        assert list(downloaded[name].iter_rows(values_only=True)) == list(
            written[name].iter_rows(values_only=True)
        )


def stored():
    return sorted(
        StepProgress.objects.values_list(
            "progress__report__municipality__code",
            "progress__report__period_id",
            "step__name",
            "operations_done",
            "partial",
            "planned_date",
            "actual_date",
        )
    )


def test_export_then_import_changes_nothing(client, staff):
    client.force_login(staff)
    content = download(client)
    before = stored()
    result = run_import(StepProgressImporter(), content, staff, commit=True)
    assert result.ok, result.errors
    assert "19件の団体・報告期間のうち、0件を更新します" in result.summary
    assert stored() == before


def long_book(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "データ"
    ws.append(
        ["団体コード", "団体名", "報告期間", "ステップ", "業務数", "一部", "完了予定日", "完了日（実績）"]
    )
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = ["352047", "萩市", "令和5年度 第1四半期", "推進体制の立ち上げ", 20, "", None, None]


def test_import_creates_a_draft_report_for_a_new_period(staff):
    content = long_book(
        [GOOD, ["352047", "萩市", "2023-Q1", "現行システムの概要調査", 7, "○", "2023-09-30", None]]
    )
    result = run_import(StepProgressImporter(), content, staff, commit=True)
    assert result.ok, result.errors
    report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2023, period__quarter=1)
    assert report.status == "draft"
    rows = {
        r.step.name: (r.operations_done, r.partial)
        for r in report.standardization_standardizationprogress.steps.all()
    }
    assert rows == {"推進体制の立ち上げ": (20, False), "現行システムの概要調査": (7, True)}
    # the bulk path keeps the record: who created the report, its history, each step row's history
    assert list(report.events.values_list("action", "user")) == [("create", staff.pk)]
    assert report.history.get().history_user == staff
    section = report.standardization_standardizationprogress
    assert (
        section.version == 1 and section.updated_by == staff and section.history.get().history_user == staff
    )
    assert [row.history.get().history_user for row in section.steps.all()] == [staff, staff]
    # the other sections start from 萩市's latest approved report, as when a liaison starts it
    assert report.council_dxstructure.department == "DX推進室"


def test_importing_a_new_quarter_costs_the_same_queries_for_2_and_19_municipalities(staff, count_queries):
    """New reports and their step rows are written together (the path a national file takes)."""
    from council.models import Municipality

    towns = list(
        Municipality.objects.reporting().filter(prefecture__code="350001").values_list("code", "name")
    )
    assert len(towns) == 19
    ReportingPeriodFactory(fiscal_year=2023, quarter=2)  # as of 2023-09-30

    def book(chosen, period):
        return long_book(
            [
                [code, name, period, step, 3, "", None, None]
                for code, name in chosen
                for step in ("推進体制の立ち上げ", "現行システムの概要調査")
            ]
        )

    results = []
    two = count_queries(
        lambda: results.append(
            run_import(StepProgressImporter(), book(towns[:2], "2023-Q1"), staff, commit=True)
        )
    )
    nineteen = count_queries(
        lambda: results.append(run_import(StepProgressImporter(), book(towns, "2023-Q2"), staff, commit=True))
    )
    assert all(r.ok for r in results), [r.errors for r in results]
    assert nineteen == two
    assert (
        StepProgress.objects.filter(
            progress__report__period__quarter=2, progress__report__period__fiscal_year=2023
        ).count()
        == 38
    )


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["999999", "", "2023-Q1", "推進体制の立ち上げ", 1, "", None, None],
            "団体コード",
            "登録されていません",
        ),
        (["352047", "宇部市", "2023-Q1", "推進体制の立ち上げ", 1, "", None, None], "団体名", "一致しません"),
        (
            ["352047", "萩市", "令和9年度", "推進体制の立ち上げ", 1, "", None, None],
            "報告期間",
            "登録されていません",
        ),
        (["352047", "萩市", "2023-Q1", "要件定義", 1, "", None, None], "ステップ", "登録されていません"),
        (["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 21, "", None, None], "業務数", "0〜20"),
        (["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", -1, "", None, None], "業務数", "0〜20"),
        (
            ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", "十八", "", None, None],
            "業務数",
            "数値ではありません",
        ),
        (["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 0, "○", None, None], "一部", "1以上"),
        (["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 3, "たぶん", None, None], "一部", "○ か空欄"),
        (
            ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 3, "", "来月", None],
            "完了予定日",
            "2023-04-01 の形",
        ),
        (
            ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 3, "", None, "2099-01-01"],
            "完了日（実績）",
            "未来の日付",  # the same rule and words as the form (standardization.models.step_row_errors)
        ),
        (
            ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 1, "", None, None],
            "ステップ",
            "2行目にもあります",
        ),
        (
            ["352047", "萩市", "令和4年度 第4四半期", "推進体制の立ち上げ", 5, "", None, None],
            "報告期間",
            "承認済",
        ),
    ],
)
def test_one_bad_row_is_named_and_nothing_is_written(staff, row, column, message):
    before = stored()
    result = run_import(StepProgressImporter(), long_book([GOOD, row]), staff, commit=True)
    assert not result.ok
    assert any(e.row == 3 and e.column == column and message in e.message for e in result.errors), (
        result.errors
    )
    assert stored() == before
    assert not StatusReport.objects.filter(period__fiscal_year=2023).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "読み込めません"),
        (b"PK\x03\x04broken zip", "読み込めません"),
        (None, "列「業務数」がありません"),
    ],
)
def test_bad_files_are_refused(staff, content, message):
    if content is None:
        wb = openpyxl.Workbook()
        wb.active.append(["団体コード", "団体名", "報告期間", "ステップ", "件数"])
        buffer = io.BytesIO()
        wb.save(buffer)
        content = buffer.getvalue()
    before = stored()
    result = run_import(StepProgressImporter(), content, staff, commit=True)
    assert any(message in e.message for e in result.errors), result.errors
    assert stored() == before


def test_other_prefectures_staff_cannot_import_yamaguchi(seeded):
    from council.models import Role

    hiroshima = PrefectureFactory(number=34, name="広島県", slug="hiroshima-pref")
    outsider = UserFactory(username="hiroshima-staff", role=Role.STAFF, organisation=hiroshima)
    result = run_import(StepProgressImporter(), long_book([GOOD]), outsider, commit=True)
    assert [e.message for e in result.errors] == [
        "団体コード「352047」はこの利用者が取り込める団体ではありません。"
    ]


def test_import_page_previews_then_writes(client, staff):
    client.force_login(staff)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("standardization:import")
    bad = SimpleUploadedFile(
        "s.xlsx", long_book([GOOD, ["352047", "萩市", "2023-Q1", "謎のステップ", 1, "", None, None]])
    )
    page = client.post(url, {"file": bad}).content.decode()
    assert "取り込めません: 1件の誤り" in page and "謎のステップ" in page
    assert not StatusReport.objects.filter(period__fiscal_year=2023).exists()
    good = SimpleUploadedFile("s.xlsx", long_book([GOOD]))
    page = client.post(url, {"file": good}).content.decode()
    assert "確認できました" in page
    assert not StatusReport.objects.filter(period__fiscal_year=2023).exists()  # the preview wrote nothing
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(url, {"token": token}, follow=True)
    assert "s.xlsx を取り込みました" in response.content.decode()
    assert StatusReport.objects.filter(
        period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), municipality__slug="hagi"
    ).exists()
    # the token is single-use: a second confirm says the file was already imported
    response = client.post(url, {"token": token}, follow=True)
    assert "s.xlsx は既に取り込み済みです" in response.content.decode()


def test_import_page_refuses_a_non_xlsx(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    response = client.post(
        reverse("standardization:import"), {"file": SimpleUploadedFile("data.csv", b"a,b")}
    )
    assert response.status_code == 400
    assert "Excel ファイル（.xlsx）を選んでください" in response.content.decode()


def test_write_new_refuses_every_bad_new_section_by_name_and_writes_nothing(staff):
    """The rules of the form hold on the bulk path too (the importer checks first; this is the model's word)."""
    from django.core.exceptions import ValidationError

    from council import services
    from council.models import Municipality
    from standardization.models import StandardizationProgress, Step

    step = Step.objects.first()
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    hagi, ube = Municipality.objects.get(slug="hagi"), Municipality.objects.get(slug="ube")
    reports = services.reports_start(
        pairs=[(hagi, period), (ube, period)], user=staff, not_carried=frozenset({"standardization"})
    )
    good = {"steps": [{"step_id": step.pk, "operations_done": 3}]}
    bad = {"steps": [{"step_id": step.pk, "operations_done": 0, "partial": True}]}
    writer = registry.sections.get("standardization").writer
    with pytest.raises(ValidationError) as raised:
        writer.write_new([(reports[0], good), (reports[1], bad)], user=staff)
    assert len(raised.value.messages) == 1 and raised.value.messages[0].startswith(
        "宇部市（令和5年度 第1四半期）: "
    )
    assert not StandardizationProgress.objects.filter(report__in=reports).exists()
