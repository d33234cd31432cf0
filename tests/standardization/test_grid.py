"""Entry of the national detail: the operations × steps grid (cells, bulk actions, scope, stale pages)
and the long-format import (all or nothing, another organisation's rows refused), and the staff
import of reference figures."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from council import services
from council.models import Role
from standardization.models import (
    Operation,
    ReferenceFigure,
    StandardizationProgress,
    Status,
    Step,
    StepProgress,
    StepStatus,
)
from tests.factories import UserFactory
from tests.hardening.test_bad_input import fingerprint, xlsx

HEADERS = ["団体コード", "業務", "ステップ番号", "ステータス", "予定日", "実績日", "備考"]
HAGI = "352047"


@pytest.fixture
def draft(hagi, liaison, q1):
    return services.report_start(municipality=hagi, period=q1, user=liaison)


def op(name):
    return Operation.objects.get(name=name)


def step(number):
    return Step.objects.get(number=number)


def grid_post(report, cells=None, **extra):
    section = StandardizationProgress.objects.get(report=report)
    data = {"expected_version": section.version, "action": "save", **extra}
    for (operation, number), status in (cells or {}).items():
        data[f"c{op(operation).pk}_{step(number).pk}"] = status
    return data


def statuses(report):
    return sorted(
        (r.operation.name, r.step.number, r.status)
        for r in StepStatus.objects.filter(progress__report=report).select_related("operation", "step")
    )


def test_the_grid_is_the_reports_own_scope(client, draft, liaison, other_liaison, member, staff):
    url = reverse("standardization:grid", args=[draft.pk])
    for user, expected in ((liaison, 200), (staff, 200), (other_liaison, 404), (member, 404)):
        client.force_login(user)
        assert client.get(url).status_code == expected, user
    client.force_login(liaison)
    page = client.get(url).content.decode()
    assert page.count('<select name="c') == 20 * 40
    assert 'aria-label="戸籍・ステップ1 推進体制の立ち上げ"' in page


def test_cells_and_bulk_actions_are_saved_and_the_summary_follows(client, draft, liaison):
    client.force_login(liaison)
    url = reverse("standardization:grid", args=[draft.pk])
    response = client.post(url, grid_post(draft, {("戸籍", 3): Status.IN_PROGRESS}))
    assert response.status_code == 302
    assert statuses(draft) == [("戸籍", 3, Status.IN_PROGRESS)]
    # a whole step for all operations, keeping what the grid shows
    client.post(url, grid_post(draft, action="bulk_step", bulk_step="1", bulk_status=Status.DONE))
    assert len(statuses(draft)) == 21
    # one operation to step 5 (steps 1–5 of 住民基本台帳 対象外)
    client.post(
        url,
        grid_post(
            draft,
            action="bulk_operation",
            bulk_operation=op("住民基本台帳").pk,
            bulk_until="5",
            bulk_status="not_applicable",
        ),
    )
    cells = statuses(draft)
    assert [(n, s) for name, n, s in cells if name == "住民基本台帳"] == [
        (n, Status.NOT_APPLICABLE) for n in range(1, 6)
    ]
    rows = {
        r.step.number: (r.operations_done, r.partial)
        for r in StepProgress.objects.filter(progress__report=draft)
    }
    assert rows[1] == (20, False) and rows[3] == (1, True) and rows[2] == (1, False)
    page = client.get(reverse("standardization:grid", args=[draft.pk])).content.decode()
    assert "完了済みで実績日のない業務・ステップが19件あります" in page


def test_a_bad_cell_or_a_stale_page_writes_nothing(client, draft, liaison):
    client.force_login(liaison)
    url = reverse("standardization:grid", args=[draft.pk])
    before = fingerprint()
    response = client.post(url, grid_post(draft, {("戸籍", 1): "finished"}))
    assert response.status_code == 400
    assert "「戸籍・1 推進体制の立ち上げ」のステータスが正しくありません" in response.content.decode()
    stale = grid_post(draft, {("戸籍", 1): Status.DONE})
    stale["expected_version"] = 0
    response = client.post(url, stale)
    assert response.status_code == 400 and "ほかの人がこの報告を保存しました" in response.content.decode()
    assert fingerprint() == before


def test_a_submitted_report_is_shown_read_only(client, draft, liaison):
    services.report_submit(report=draft, user=liaison)
    client.force_login(liaison)
    url = reverse("standardization:grid", args=[draft.pk])
    assert "disabled" in client.get(url).content.decode()
    before = fingerprint()
    client.post(url, grid_post(draft, {("戸籍", 1): Status.DONE}))
    assert fingerprint() == before


# --- the long-format import ---------------------------------------------------------------------


def import_url(report):
    return reverse("standardization:grid_import", args=[report.pk])


def test_the_import_previews_warns_then_writes(client, draft, liaison):
    client.force_login(liaison)
    rows = [
        [HAGI, "戸籍", 1, "完了済み", "2023-04-30", "2023-04-20", "ベンダ確定"],
        [HAGI, "戸籍", 2, "完了済み", None, None, ""],  # 完了済み without an actual date: a warning
        [HAGI, "戸籍", 3, "作業中", "2023-09-30", None, ""],
        [HAGI, "印鑑登録", 40, "対象外", None, None, ""],
    ]
    page = client.post(import_url(draft), {"file": xlsx(HEADERS, rows)}).content.decode()
    assert "確認できました" in page and "完了済みで実績日のない行が1行あります" in page
    assert statuses(draft) == []
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post(import_url(draft), {"token": token})
    assert statuses(draft) == [
        ("印鑑登録", 40, Status.NOT_APPLICABLE),
        ("戸籍", 1, Status.DONE),
        ("戸籍", 2, Status.DONE),
        ("戸籍", 3, Status.IN_PROGRESS),
    ]
    first = StepStatus.objects.get(progress__report=draft, step__number=1)
    assert (first.planned_date, first.actual_date, first.note) == (
        date(2023, 4, 30),
        date(2023, 4, 20),
        "ベンダ確定",
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([HAGI, "戸籍", 41, "完了済み", None, "2023-04-01", ""], "1〜40 の範囲"),
        (
            [HAGI, "住民票", 1, "完了済み", None, "2023-04-01", ""],
            "業務「住民票」は標準化対象事務にありません",
        ),
        ([HAGI, "戸籍", 1, "済", None, None, ""], "ステータス「済」は使えません"),
        ([HAGI, "戸籍", 1, "完了済み", None, "2020-04-01", ""], "標準化の手順の開始（2021-09-01）より前"),
        (
            [HAGI, "戸籍", 1, "完了済み", None, (date.today() + timedelta(days=2)).isoformat(), ""],
            "未来の日付",
        ),
        (
            ["352021", "戸籍", 1, "完了済み", None, "2023-04-01", ""],
            "団体コード「352021」の行は取り込めません",
        ),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(client, draft, liaison, row, message):
    client.force_login(liaison)
    good = [HAGI, "戸籍", 2, "作業中", None, None, ""]
    before = fingerprint()
    response = client.post(import_url(draft), {"file": xlsx(HEADERS, [good, row])})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "<td>3</td>" in page, page[page.find("<main") : page.find("</main>")]
    assert fingerprint() == before


def test_the_prefectures_liaison_reports_its_two_operations(client, seeded, q1):
    pref = UserFactory(username="liaison-pref", role=Role.LIAISON, organisation=seeded)
    report = services.report_start(municipality=seeded, period=q1, user=pref)
    client.force_login(pref)
    page = client.get(reverse("standardization:grid", args=[report.pk])).content.decode()
    assert page.count('<select name="c') == 2 * 40
    rows = [
        [seeded.code, "児童扶養手当", 1, "完了済み", None, "2023-04-03", ""],
        [seeded.code, "戸籍", 1, "完了済み", None, None, ""],
    ]
    response = client.post(import_url(report), {"file": xlsx(HEADERS, rows)})
    assert response.status_code == 400
    assert "「戸籍」は山口県が報告する業務ではありません" in response.content.decode()
    page = client.post(import_url(report), {"file": xlsx(HEADERS, rows[:1])}).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post(import_url(report), {"token": token})
    assert statuses(report) == [("児童扶養手当", 1, Status.DONE)]


# --- reference figures (staff) ------------------------------------------------------------------

REF_HEADERS = ["団体コード", "都道府県コード", "業務", "完了率", "作業中率", "時点"]


def test_reference_figures_import_and_compare(client, staff, liaison, member, draft):
    url = reverse("standardization:reference_import")
    client.force_login(liaison)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    bad = [["", "", "", 60, 50, "2023-06-30"], ["", "99", "戸籍", 10, 5, "2023-06-30"]]
    before = fingerprint()
    page = client.post(url, {"file": xlsx(REF_HEADERS, bad)}).content.decode()
    assert "合計が100%を超えています" in page and "01〜47 の2桁" in page
    assert fingerprint() == before
    good = [
        ["", "", "", 25.5, 10, "2023-06-30"],
        ["", "35", "", 20.1, 8, "2023-06-30"],
        ["", "", "戸籍", 30, 5, "2023-06-30"],
    ]
    page = client.post(url, {"file": xlsx(REF_HEADERS, good)}).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post(url, {"token": token})
    assert ReferenceFigure.objects.count() == 3
    # 萩市 approves detail: 20 operations × step 1 done = 20 / 800 = 2.5 %
    services.section_save(
        report=draft,
        section=__import__("council.framework.registry", fromlist=["sections"]).sections.get(
            "standardization"
        ),
        data={
            "statuses": [
                {"operation_id": o.pk, "step_id": step(1).pk, "status": Status.DONE}
                for o in Operation.objects.all()
            ]
        },
        expected_version=draft.standardization_standardizationprogress.version,
        user=liaison,
    )
    services.report_submit(report=draft, user=liaison)
    services.report_approve(report=draft, user=staff)
    client.force_login(member)
    page = client.get(reverse("standardization:dashboard") + "?period=2023-Q1").content.decode()
    assert "県の公表値 20.1%" in page and "全国 25.5%" in page
    assert "-23.0ポイント" in page  # 萩市 2.5 % against the nation's 25.5 %
    assert "<td>30.0%</td>" in page  # 戸籍: the nation's figure beside the prefecture's


def test_the_export_has_the_detail_sheet_and_it_imports_back(client, draft, liaison, staff, q1):
    import io

    import openpyxl

    client.force_login(liaison)
    rows = [
        [HAGI, "戸籍", 1, "完了済み", None, "2023-04-20", "確定"],
        [HAGI, "戸籍", 2, "作業中", "2023-09-30", None, ""],
    ]
    page = client.post(import_url(draft), {"file": xlsx(HEADERS, rows)}).content.decode()
    client.post(import_url(draft), {"token": page.split('name="token" value="')[1].split('"')[0]})
    services.report_submit(report=draft, user=liaison)
    services.report_approve(report=draft, user=staff)
    client.force_login(staff)
    response = client.get(reverse("standardization:export") + "?period=2023-Q1")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:2] == ["資料1 完了済みフェーズ", "データ"]  # the materials' layout first
    sheet = book["業務×ステップ"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:6] == ["団体コード", "団体名", "業務", "ステップ番号", "ステップ", "ステータス"]
    assert values[1][:6] == [HAGI, "萩市", "戸籍", 1, "推進体制の立ち上げ", "完了済み"]
    # the next quarter's report takes the exported workbook back as it is
    from council.models import ReportingPeriod

    q2, _ = ReportingPeriod.objects.get_or_create(
        fiscal_year=2023, quarter=2, defaults={"as_of": date(2023, 9, 30)}
    )
    nxt = services.report_start(municipality=draft.municipality, period=q2, user=staff)
    StepStatus.objects.filter(progress__report=nxt).delete()
    client.force_login(liaison)
    buffer = io.BytesIO()
    book.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("export.xlsx", buffer.getvalue())
    page = client.post(import_url(nxt), {"file": upload}).content.decode()
    assert "確認できました" in page, page[page.find("<main") : page.find("</main>")]
