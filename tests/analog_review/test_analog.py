"""資料4: inventory import (idempotent, all or nothing, scoped), confirmation, dashboards, book."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from analog_review.imports import InventoryImporter
from analog_review.models import AnalogCount, Provision, RegulationType
from council import services
from council.framework.imports import run_import
from council.models import Municipality, ReportingPeriod, Role
from tests.factories import UserFactory

HEADER = [
    "団体コード",
    "識別番号",
    "例規名",
    "規定",
    "例規の種類",
    "類型",
    "該非",
    "見直しの方向性",
    "状況",
    "目標時期",
    "備考",
]
HAGI = [
    [
        "352047",
        "A-1",
        "萩市火災予防条例",
        "第10条（立入検査）",
        "条例",
        "実地監査規制",
        "該当",
        "オンラインでの確認を可能にする",
        "見直し方針決定",
        "2024-03-31",
        "",
    ],
    [
        "352047",
        "A-2",
        "萩市公告式条例",
        "第2条（掲示場）",
        "条例",
        "書面掲示規制",
        "該当",
        "",
        "該非判断済",
        "",
        "",
    ],
    [
        "352047",
        "B-1",
        "萩市文書管理規則",
        "第30条（記録媒体）",
        "規則",
        "FD等の記録媒体を指定する規定",
        "",
        "",
        "洗い出し",
        "",
        "",
    ],
]


def book(rows, header=HEADER):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台帳"
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_eight_types_in_the_official_order(seeded):
    assert [t.name for t in RegulationType.objects.all()] == [
        "目視規制",
        "実地監査規制",
        "定期検査・点検規制",
        "常駐・専任規制",
        "対面講習規制",
        "書面掲示規制",
        "往訪閲覧・縦覧規制",
        "FD等の記録媒体を指定する規定",
    ]


def test_liaison_imports_own_inventory_and_reimport_changes_nothing(liaison):
    result = run_import(InventoryImporter(), book(HAGI), liaison, commit=True)
    assert result.ok, result.errors
    assert result.summary == "新規 3件、更新 0件、変更なし 0件。"
    provision = Provision.objects.get(reference="A-1")
    assert (
        provision.in_scope is True
        and provision.status == "direction"
        and provision.target_date == date(2024, 3, 31)
    )
    history = provision.history.count()
    again = run_import(InventoryImporter(), book(HAGI), liaison, commit=True)
    assert again.summary == "新規 0件、更新 0件、変更なし 3件。"
    assert Provision.objects.count() == 3 and provision.history.count() == history
    changed = [row[:] for row in HAGI]
    changed[1][8] = "見直し不要"
    assert (
        run_import(InventoryImporter(), book(changed), liaison, commit=True).summary
        == "新規 0件、更新 1件、変更なし 2件。"
    )


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["352047", "C-1", "規則", "第1条", "規則", "電話規制", "", "", "", "", ""],
            "類型",
            "登録されていません",
        ),
        (
            ["352047", "C-1", "規則", "第1条", "通知", "目視規制", "", "", "", "", ""],
            "例規の種類",
            "いずれか",
        ),
        (
            ["352047", "A-1", "規則", "第1条", "規則", "目視規制", "", "", "", "", ""],
            "識別番号",
            "2行目にもあります",
        ),
        (
            ["352021", "C-1", "宇部市規則", "第1条", "規則", "目視規制", "", "", "", "", ""],
            "団体コード",
            "自団体の台帳のみ",
        ),
        (
            ["352047", "C-1", "規則", "第1条", "規則", "目視規制", "たぶん", "", "", "", ""],
            "該非",
            "該当・非該当",
        ),
        (["352047", "C-1", "規則", "第1条", "規則", "目視規制", "", "", "完了", "", ""], "状況", "いずれか"),
        (
            ["352047", "C-1", "規則", "第1条", "規則", "目視規制", "", "", "該非判断済", "", ""],
            "該非",
            "該非判断（該当／非該当）を入力",
        ),
        (
            ["352047", "C-1", "規則", "第1条", "規則", "目視規制", "該当", "", "改正済", "", ""],
            "見直しの方向性",
            "入力してください",
        ),
        (["352047", "C-1", "規則", "", "規則", "目視規制", "", "", "", "", ""], "規定", "値がありません"),
        (
            ["352047", "C-1", "規則", "第1条", "規則", "目視規制", "", "", "", "来年", ""],
            "目標時期",
            "2023-04-01 の形",
        ),
    ],
)
def test_one_bad_row_writes_nothing(liaison, row, column, message):
    result = run_import(InventoryImporter(), book([HAGI[0], row]), liaison, commit=True)
    assert any(e.row == 3 and e.column == column and message in e.message for e in result.errors), (
        result.errors
    )
    assert not Provision.objects.exists()


def test_wrong_headers_are_named(liaison):
    result = run_import(
        InventoryImporter(),
        book(HAGI, header=["団体コード", "番号", "例規名", "規定", "例規の種類", "類型"]),
        liaison,
        commit=True,
    )
    assert [e.message.split("。")[0] for e in result.errors] == ["列「識別番号」がありません"]


def test_confirmed_counts_reach_the_dashboard_and_the_book(client, liaison, staff, member, hagi):
    run_import(InventoryImporter(), book(HAGI), liaison, commit=True)
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    client.force_login(liaison)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    url = reverse("reports:section", args=[report.pk, "analog_review"])
    page = client.get(url).content.decode()
    assert "台帳の規定 3件から集計" in page
    response = client.post(url, {"expected_version": 0, "blockers": ""})
    assert response.status_code == 400 and "チェックを入れてください" in response.content.decode()
    response = client.post(
        url, {"expected_version": 0, "confirmed": "on", "blockers": "例規システムの検索語の整理"}
    )
    assert response.status_code == 302
    assert AnalogCount.objects.filter(section__report=report).count() == 3
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    client.force_login(member)
    page = client.get(reverse("analog_review:dashboard")).content.decode()
    assert "承認済みの報告 1団体" in page and 'id="chart-analog-started"' in page
    client.force_login(staff)
    wb = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(reverse("analog_review:export")).streaming_content))
    )
    totals = [r for r in wb["類型×状況"].iter_rows(values_only=True) if r[0] == "合計"][0]
    assert totals == ("合計", 1, 1, 1, 0, 0, 3)
    inventory = list(wb["台帳"].iter_rows(values_only=True))
    assert len(inventory) == 4 and inventory[1][2] == "A-1"


def test_inventory_download_round_trips(client, liaison):
    run_import(InventoryImporter(), book(HAGI), liaison, commit=True)
    client.force_login(liaison)
    content = b"".join(client.get(reverse("analog_review:inventory_download")).streaming_content)
    result = run_import(InventoryImporter(), content, liaison, commit=True)
    assert result.ok, result.errors
    assert result.summary == "新規 0件、更新 0件、変更なし 3件。"


def test_prefecture_files_its_own_review(client, staff, seeded):
    pref_liaison = UserFactory(username="liaison-yamaguchi-pref", role=Role.LIAISON, organisation=seeded)
    rows = [
        [
            "350001",
            "K-1",
            "山口県財務規則",
            "第50条（実地検査）",
            "規則",
            "実地監査規制",
            "",
            "",
            "洗い出し",
            "",
            "",
        ]
    ]
    assert run_import(InventoryImporter(), book(rows), pref_liaison, commit=True).ok
    report = services.report_start(
        municipality=seeded,
        period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1),
        user=pref_liaison,
    )
    client.force_login(pref_liaison)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="sec-analog_review"' in page and 'id="sec-dx"' not in page  # only the prefecture's own section
    assert client.get(reverse("reports:section", args=[report.pk, "dx"])).status_code == 404
    services.report_submit(report=report, user=pref_liaison)  # optional section: the prefecture may submit


def test_roles_and_scope(client, staff, liaison, other_liaison, member):
    run_import(InventoryImporter(), book(HAGI), liaison, commit=True)
    client.force_login(other_liaison)
    assert "萩市火災予防条例" not in client.get(reverse("analog_review:inventory")).content.decode()
    client.force_login(member)
    assert client.get(reverse("analog_review:inventory")).status_code == 404
    assert client.get(reverse("analog_review:import")).status_code == 404
    assert client.get(reverse("analog_review:dashboard")).status_code == 200
    client.force_login(staff)
    assert "萩市火災予防条例" in client.get(reverse("analog_review:inventory")).content.decode()


def test_query_counts_do_not_grow(client, member, staff, count_queries, grow_prefecture):
    urls = [
        (member, reverse("analog_review:dashboard")),
        (staff, reverse("analog_review:export")),
        (staff, reverse("analog_review:inventory")),
    ]
    # the seed's 2022-Q4 reports get a confirmation each and the 19 an inventory row, so that there is
    # data at 19 too
    from analog_review.seed import synthetic_analog
    from council.models import StatusReport

    synthetic_analog(list(StatusReport.objects.filter(period__fiscal_year=2022)))

    def add_provisions(municipalities):
        Provision.objects.bulk_create(
            Provision(
                organisation=m,
                reference=f"X-{m.pk}",
                rule_title="規則",
                title="第1条",
                rule_level="rule",
                regulation_type=RegulationType.objects.first(),
            )
            for m in municipalities
        )

    add_provisions(Municipality.objects.reporting())

    def measure():
        counts = []
        for user, url in urls:
            client.force_login(user)
            client.get(url)
            counts.append(count_queries(lambda url=url: client.get(url)))
        return counts

    at_19 = measure()
    add_provisions(grow_prefecture(181))
    assert Provision.objects.count() == 200
    assert measure() == at_19
