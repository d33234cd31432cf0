"""Meetings: the seed agenda, frozen materials, the workbook, copying, action items."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from council import services
from council.framework import registry
from council.meetings.services import agenda_lines, material_content, table_changes
from council.models import ActionItem, Meeting, Municipality, ReportingPeriod, StatusReport
from tests.exports.checks import shown

# 次第 of the 2023-05-11 meeting, as printed in the source
SOURCE_AGENDA = [
    "1 議長あいさつ",
    "2 国の動向及び対応について",
    "・情報システムの標準化・共通化について 資料1",
    "・行政手続のオンライン化について 資料2",
    "・県・市町におけるRPA等共同利用について 資料3",
    "・アナログ規制の点検・見直しについて 資料4",
    "・マイナンバーカードの申請・交付状況について 資料5",
    "3 デジタル関連の県の取組状況等について 資料6",
    "4 市町のDX推進体制等について 資料7",
    "5 意見交換等 資料8",
]


@pytest.fixture
def meeting(seeded):
    return Meeting.objects.get(fiscal_year=2023, number=1)


def test_seed_meeting_reproduces_the_source(meeting):
    assert meeting.full_title == "令和5年度 第1回山口県デジタル・ガバメント構築連携会議"
    assert meeting.when == "令和5年5月11日(木) 9:30～"
    assert meeting.where == "WEB会議"
    assert agenda_lines(meeting) == SOURCE_AGENDA
    assert [m.number for m in meeting.materials.all()] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert all(m.is_frozen for m in meeting.materials.all())


def test_workbook_has_one_sheet_per_material_with_the_seed_figures(client, staff, meeting, tmp_path):
    client.force_login(staff)
    response = client.get(reverse("council:workbook", args=[meeting.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    # a sheet per material; a material with a table and a text (資料1, 2, 5, 6) has its text on a sheet
    # of its own after it, so the table prints as the material does
    texts = {1, 2, 5, 6}
    assert book.sheetnames == [
        "次第",
        *[s for n in range(1, 9) for s in [f"資料{n}", f"資料{n} 本文"][: 1 + (n in texts)]],
    ]
    assert [r[0] for r in book["次第"].iter_rows(values_only=True)][5:] == SOURCE_AGENDA
    values = {  # as a spreadsheet shows them: numbers in their display format
        name: [shown(c) for row in book[name].iter_rows() for c in row if c.value] for name in book.sheetnames
    }
    assert (
        "18業務について現行システムの概要調査(一部)\\n18業務についてRFI資料の作成\\n18業務についてRFIの実施\\n18業務についてRFI結果(一部)".replace(
            "\\n", "\n"
        )
        in values["資料1"]
    )
    assert "R5.4時点合計 19市町延べ440手続" in values["資料2"]
    assert "【⑤会計年度任用職員の勤怠管理業務】" in values["資料3"]
    assert "80.1% (全国76.8%)" in values["資料5"]
    assert "山陽小野田市行政改革推進プロジェクト会議" in values["資料7"]
    assert "《参考》書かない窓口の取組について（美祢市から）" in values["資料8"]
    out = tmp_path / "m.xlsx"
    call_command("export_meeting", str(meeting.pk), str(out), stdout=io.StringIO())
    assert openpyxl.load_workbook(out).sheetnames == book.sheetnames


def test_frozen_material_stays_as_presented_after_a_new_approval(client, staff, member, meeting, hagi):
    report = StatusReport.objects.get(municipality=hagi, period__fiscal_year=2022, period__quarter=4)
    services.report_reopen(report=report, user=staff, comment="訂正")
    dx = report.council_dxstructure
    services.section_save(
        report=report,
        section=registry.sections.get("dx"),
        data={"has_external_talent": True, "external_talent_count": 3},
        expected_version=dx.version,
        user=staff,
    )
    services.report_submit(report=report, user=staff)
    services.report_approve(report=report, user=staff)
    material = meeting.materials.get(number=7)
    assert "○(3名)" not in str(material.frozen_content)  # frozen: as presented
    assert "○(3名)" in str(material_content(material))  # live: the new approval
    client.force_login(member)
    page = client.get(reverse("council:material", args=[meeting.pk, 7])).content.decode()
    assert "萩市・外部人材確保(CIO補佐官等): （空欄） → ○(3名)" in page
    assert "確定後に承認された報告などで、次の1か所" in page
    # staff freeze again: now the material shows the new figure
    client.force_login(staff)
    client.post(reverse("council:freeze_material", args=[meeting.pk, 7]))
    material.refresh_from_db()
    assert "○(3名)" in str(material.frozen_content)


def test_copying_moves_materials_to_the_latest_complete_period(client, staff, liaison, hagi, meeting):
    """A copied meeting's materials show the latest period whose reports are all approved: one
    approval in a new quarter does not move the next meeting (and the dashboards, which open on its
    periods) to a quarter with 1 of 19 (#14); once all 19 are approved it does."""
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    client.force_login(staff)
    response = client.post(
        reverse("council:copy", args=[meeting.pk]), {"held_at": "2023-08-24T10:00"}, follow=True
    )
    new = Meeting.objects.get(fiscal_year=2023, number=2)
    assert "令和5年度 第2回山口県デジタル・ガバメント構築連携会議を作成しました" in response.content.decode()
    assert agenda_lines(new) == SOURCE_AGENDA
    keys = dict(new.materials.values_list("number", "period_key"))
    assert keys[7] == "2022-Q4" and keys[1] == "2022-Q4" and keys[5] == "2023-03-31"
    assert not new.materials.filter(frozen_at__isnull=False).exists()
    for municipality in Municipality.objects.reporting().exclude(pk=hagi.pk):
        other = services.report_start(municipality=municipality, period=q1, user=None)
        services.report_submit(report=other, user=None)
        services.report_approve(report=other, user=staff)
    later = client.post(reverse("council:copy", args=[new.pk]), {"held_at": "2023-11-24T10:00"}, follow=True)
    assert later.status_code == 200
    newest = Meeting.objects.get(fiscal_year=2023, number=3)
    keys = dict(newest.materials.values_list("number", "period_key"))
    assert keys[7] == "2023-Q1" and keys[1] == "2023-Q1"
    bad = client.post(
        reverse("council:copy", args=[meeting.pk]), {"held_at": "2020-01-01T10:00"}, follow=True
    )
    assert "この会議より後にしてください" in bad.content.decode()
    assert Meeting.objects.count() == 3


def test_changes_since_the_last_meeting(staff, meeting):
    from council.meetings.services import meeting_copy, meeting_freeze, previous_material

    new = meeting_copy(
        meeting=meeting, held_at=datetime(2023, 8, 24, 10, tzinfo=ZoneInfo("Asia/Tokyo")), user=staff
    )
    meeting_freeze(meeting=new, user=staff)
    material = new.materials.get(number=2)
    previous = previous_material(material)
    assert previous.meeting == meeting
    assert table_changes(previous.frozen_content, material.frozen_content) == []  # nothing new approved


def test_action_items_are_scoped_like_reports(
    client, liaison, other_liaison, member, staff, meeting, hagi, ube
):
    mine = ActionItem.objects.create(meeting=meeting, title="書かない窓口の導入検討", owner=hagi)
    theirs = ActionItem.objects.create(meeting=meeting, title="RPAライセンスの費用按分案", owner=ube)
    client.force_login(liaison)
    page = client.get(reverse("council:actions")).content.decode()
    assert "書かない窓口の導入検討" in page and "RPAライセンスの費用按分案" not in page
    assert client.get(reverse("council:action", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("council:action", args=[theirs.pk]), {"status": "done"}).status_code == 404
    response = client.post(
        reverse("council:action", args=[mine.pk]), {"status": "in_progress", "progress": "庁内WGで検討開始"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "in_progress" and mine.history.first().history_user == liaison
    theirs.refresh_from_db()
    assert theirs.status == "open"
    client.force_login(member)
    assert client.get(reverse("council:action", args=[mine.pk])).status_code == 404  # read only
    assert "書かない窓口の導入検討" in client.get(reverse("council:actions")).content.decode()


def test_open_action_items_carry_to_the_next_meeting(client, staff, meeting, hagi):
    from council.meetings.services import meeting_copy

    ActionItem.objects.create(meeting=meeting, title="継続する事項", owner=hagi)
    ActionItem.objects.create(meeting=meeting, title="完了した事項", owner=hagi, status="done")
    new = meeting_copy(
        meeting=meeting, held_at=datetime(2023, 8, 24, 10, tzinfo=ZoneInfo("Asia/Tokyo")), user=staff
    )
    client.force_login(staff)
    page = client.get(new.get_absolute_url()).content.decode()
    carried = page.split('id="carried-h"')[1].split("</section>")[0]
    assert "継続する事項" in carried and "完了した事項" not in carried


def test_meeting_role_matrix(client, staff, liaison, member, meeting):
    urls = {
        reverse("council:meetings"): [302, 200, 200, 200],
        reverse("council:meeting", args=[meeting.pk]): [302, 200, 200, 200],
        reverse("council:material", args=[meeting.pk, 1]): [302, 200, 200, 200],
        reverse("council:material", args=[meeting.pk, 99]): [302, 404, 404, 404],
        reverse("council:present", args=[meeting.pk]): [302, 200, 200, 200],
        reverse("council:print", args=[meeting.pk]): [302, 200, 200, 200],
        reverse("council:workbook", args=[meeting.pk]): [302, 200, 404, 404],
        reverse("council:actions"): [302, 200, 200, 200],
    }
    for index, user in enumerate([None, staff, liaison, member]):
        client.logout()
        if user:
            client.force_login(user)
        for url, expected in urls.items():
            assert client.get(url).status_code == expected[index], (user, url)
    client.force_login(liaison)
    assert client.post(reverse("council:freeze", args=[meeting.pk])).status_code == 404
    assert (
        client.post(reverse("council:copy", args=[meeting.pk]), {"held_at": "2023-08-24T10:00"}).status_code
        == 404
    )


def test_present_view_has_a_slide_per_material_with_as_of_labels(client, member, meeting):
    client.force_login(member)
    page = client.get(reverse("council:present", args=[meeting.pk])).content.decode()
    # title, 議長あいさつ, then each material's text, headline cards before a heat map (資料1, 3), figures
    # and table pages (council/meetings/slides.py), and the materials' narratives of the seed cut to fit:
    # 資料1 2, 資料2 1, 資料4 2, 資料5 1, 資料6 5, 資料8 1
    assert page.count('class="slide"') == 22 + 13
    for number in range(1, 9):
        assert f"資料{number} " in page
    assert '資料1 情報システムの標準化・共通化 <span class="slide-part">(1/7)</span>' in page
    assert page.count("令和5年5月11日(木) 9:30～") >= 1
    assert "令和4年度 第4四半期のデータ" in page and "令和5年3月末現在のデータ" in page
    assert "<script>" not in page


def test_meeting_pages_query_counts_do_not_grow(client, member, count_queries, grow_prefecture, meeting):
    urls = [reverse("council:meeting", args=[meeting.pk]), reverse("council:present", args=[meeting.pk])]
    client.force_login(member)

    def measure():
        counts = []
        for url in urls:
            client.get(url)
            counts.append(count_queries(lambda url=url: client.get(url)))
        return counts

    at_19 = measure()
    grow_prefecture(181)
    assert measure() == at_19


def test_a_material_keeps_its_own_table_not_the_whole_book(meeting):
    """資料1's Excel book has further sheets (the national detail, thousands of rows at scale); the
    material frozen for the meeting holds its own table only."""
    from council.framework.exports import prepare_export
    from council.meetings.services import material_content

    spec, period = prepare_export("standardization", "2022-Q4")
    book = list(spec.build(period, Municipality.objects.all()))
    assert len(book) > 1
    content = material_content(meeting.materials.get(number=1))
    assert [sheet["title"] for sheet in content["sheets"]] == [book[0].title]


def test_a_materials_table_lists_the_municipalities_its_figures_count(meeting, seeded, staff):
    """資料1 in the materials is a table of the 19 市町 (「市町 | 完了済みフェーズ」): once the prefecture
    reports its own two operations (approved for the material's period), the frozen table still has
    no 山口県 row, and its rows are the organisations its cards and heat map count."""
    from council.meetings.services import material_content
    from council.models import ReportingPeriod
    from tests.standardization.test_national import DONE, cell, save

    material = meeting.materials.get(number=1)
    period = ReportingPeriod.objects.get_by_slug(material.period_key)
    report = services.report_start(municipality=seeded, period=period, user=staff)
    save(report, staff, [cell("児童扶養手当", 1, DONE), cell("生活保護", 1, DONE)])
    services.report_submit(report=report, user=staff)
    services.report_approve(report=report, user=staff)
    content = material_content(material)
    names = [row[0] for row in content["sheets"][0]["rows"]]
    assert seeded.name not in names
    assert len(names) == 19
    cards = {card["key"]: card["value"] for card in content["cards"]}
    assert cards["reported"] == "19／19"
