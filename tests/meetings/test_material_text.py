"""Every material keeps its words: the narrative (safe Markdown subset) is seeded from the materials,
edited by staff until frozen, and shown on the material page, in 会議モード, the print view and the
meeting workbook. Opinions are recorded live from 会議モード."""

import io

import openpyxl
import pytest
from django.urls import reverse

from council.meetings import services as meetings
from council.meetings.narrative import narrative_rows, render_narrative
from council.models import ActionItem, AgendaItem, Material, Meeting, Municipality, Opinion
from tests.hardening.test_bad_input import fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeded):
    return Meeting.objects.get(organiser=seeded, fiscal_year=2023, number=1)


def unfrozen(meeting, number):
    Material.objects.filter(meeting=meeting, number=number).update(frozen_at=None)
    return Material.objects.get(meeting=meeting, number=number)


# --- the renderer ---------------------------------------------------------------------------


def test_the_allowed_markdown_renders():
    html = render_narrative(
        "# 見出し\n\n- 項目\n  - 下位の項目\n- **強調**\n\n| 項目 | 内容 |\n|---|---|\n| 補助率 | 10/10 |\n\n段落\n続き"
    )
    assert "<h3>見出し</h3>" in html
    assert "<ul><li>項目<ul><li>下位の項目</li></ul></li><li><strong>強調</strong></li></ul>" in html
    assert '<th scope="col">項目</th>' in html and "<td>補助率</td><td>10/10</td>" in html
    assert "<p>段落<br>続き</p>" in html


@pytest.mark.parametrize(
    "text, shown",
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
        ("[リンク](javascript:alert(1))", "[リンク](javascript:alert(1))"),
        ("**<b>太字</b>**", "<strong>&lt;b&gt;太字&lt;/b&gt;</strong>"),
        ("| <i>x</i> |", '<th scope="col">&lt;i&gt;x&lt;/i&gt;</th>'),
    ],
)
def test_markup_and_script_in_a_narrative_are_shown_as_text(text, shown):
    html = render_narrative(text)
    assert shown in html
    assert "<script" not in html and "<img" not in html and "<a " not in html


def test_the_workbook_rows_of_a_narrative():
    assert narrative_rows("# 見出し\n- 項目\n  - 下位\n\n| a | b |\n|---|---|\n| 1 | 2 |") == [
        ["見出し"],
        [],
        ["・項目"],
        ["　・下位"],
        [],
        ["a", "b"],
        ["1", "2"],
    ]


# --- seeded from the materials, shown everywhere --------------------------------------------

TEXTS = {
    1: [
        "ガバメントクラウド早期移行団体検証事業第2回公募開始【R5.4～】",
        "令和5年度第1回WGの開催予定 5月下旬 (Web会議)",
    ],
    2: ["所管課における人的資源の不足等の諸課題により", "情報システムの標準化・共通化WGと同時開催"],
    4: ["「デジタル規制改革推進の一括法案」を国会へ提出（令和5年3月7日）", "特定の場所での書面掲示について"],
    5: ["申請・交付窓口・事務の強化", "県とも連携した各種市民サービス創出に向けた検討"],
    6: ["(3) 得られた情報は、県内部での検討のみに利用し", "令和5年4月28日キックオフ会議実施"],
    8: ["令和5年5月後半から運用を開始予定", "（令和4年度事業としてデジ田交付金を活用）"],
}


@pytest.mark.parametrize("number", sorted(TEXTS))
def test_the_seeded_texts_show_on_the_material_page(client, member, meeting, number):
    client.force_login(member)
    page = client.get(reverse("council:material", args=[meeting.pk, number])).content.decode()
    for text in TEXTS[number]:
        assert text in page


def test_the_texts_show_in_the_presenter_and_print_views(client, member, meeting):
    client.force_login(member)
    for name in ("council:present", "council:print"):
        page = client.get(reverse(name, args=[meeting.pk])).content.decode()
        for texts in TEXTS.values():
            assert texts[0] in page, (name, texts[0])


def test_the_workbook_keeps_every_materials_text(client, staff, meeting):
    client.force_login(staff)
    response = client.get(reverse("council:workbook", args=[meeting.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    for number, texts in TEXTS.items():
        own = [ws for ws in wb.worksheets if ws.title in (f"資料{number}", f"資料{number} 本文")]
        cells = "\n".join(str(v) for ws in own for row in ws.iter_rows(values_only=True) for v in row if v)
        for text in texts:
            assert text in cells, (number, text)
    sheet6 = [row for row in wb["資料6"].iter_rows(values_only=True)]
    assert ("やまぐちDX加速化事業", "デジタル政策課", "新", 376188, None, None, None) in sheet6


def test_material_4_keeps_its_words_without_approved_data(client, staff, meeting):
    """#14: the 資料4 sheet dropped the material's text when there was no approved data."""
    material = Material.objects.get(meeting=meeting, number=4)
    sheet = meetings.material_sheet(
        material, {"unavailable": "出力できるデータ（承認済みの報告）がまだありません。"}
    )
    cells = [row[0] for row in sheet.rows if row]
    assert material.description in cells
    assert "出力できるデータ（承認済みの報告）がまだありません。" in cells
    assert "条例や規則、要綱・要領等" in cells


# --- staff edit until frozen ----------------------------------------------------------------


def test_staff_edit_an_unfrozen_materials_text(client, staff, meeting):
    material = unfrozen(meeting, 8)
    client.force_login(staff)
    url = reverse("council:material_text", args=[meeting.pk, 8])
    response = client.post(url, {"narrative": "# 追記\n- <script>alert(1)</script>"}, follow=True)
    page = response.content.decode()
    assert "資料8の本文を保存しました。" in page
    assert "<h3>追記</h3>" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    material.refresh_from_db()
    assert material.narrative == "# 追記\n- <script>alert(1)</script>"


def test_a_frozen_materials_text_cannot_change(client, staff, meeting):
    client.force_login(staff)
    url = reverse("council:material_text", args=[meeting.pk, 1])
    before = fingerprint()
    response = client.post(url, {"narrative": "書き換え"}, follow=True)
    assert "確定済みの資料の本文は変更できません。変更していません。" in response.content.decode()
    assert fingerprint() == before
    page = client.get(reverse("council:material", args=[meeting.pk, 1])).content.decode()
    assert "この資料は確定済みのため、本文は変更できません。" in page


def test_only_staff_edit_texts(client, member, liaison, meeting):
    unfrozen(meeting, 8)
    url = reverse("council:material_text", args=[meeting.pk, 8])
    for user in (member, liaison):
        client.force_login(user)
        assert client.post(url, {"narrative": "x"}).status_code == 404
    assert Material.objects.get(meeting=meeting, number=8).narrative != "x"


def test_a_copied_meeting_keeps_the_texts_unfrozen(meeting, staff):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    new = meetings.meeting_copy(
        meeting=meeting, held_at=datetime(2023, 8, 1, 10, tzinfo=ZoneInfo("Asia/Tokyo")), user=staff
    )
    material = new.materials.get(number=1)
    assert not material.is_frozen
    assert "ガバメントクラウド早期移行団体検証事業第2回公募開始【R5.4～】" in material.narrative


# --- opinions recorded live -----------------------------------------------------------------


def test_staff_record_an_opinion_from_the_presenter_view(client, staff, meeting):
    client.force_login(staff)
    page = client.get(reverse("council:present", args=[meeting.pk])).content.decode()
    assert 'id="live-opinion-dialog"' in page and "live-opinion-slides" in page
    item = AgendaItem.objects.get(meeting=meeting, title="マイナンバーカードの申請・交付状況について")
    ube = Municipality.objects.get(slug="ube")
    response = client.post(
        reverse("council:record_opinion", args=[meeting.pk]),
        {
            "agenda_item": item.pk,
            "organisation": ube.pk,
            "speaker": "宇部市 CIO",
            "content": "交付窓口の体制強化について県の支援を求めたい",
            "make_action": "1",
            "action_title": "交付窓口の体制強化の支援を検討",
            "slide": "7",
        },
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json() == {"ok": True, "message": "意見を記録しました（対応事項にも登録）: 宇部市 CIO"}
    opinion = Opinion.objects.get(meeting=meeting, content="交付窓口の体制強化について県の支援を求めたい")
    assert (opinion.agenda_item, opinion.organisation, opinion.speaker) == (item, ube, "宇部市 CIO")
    action = ActionItem.objects.get(opinion=opinion)
    assert (action.title, action.owner, action.meeting) == ("交付窓口の体制強化の支援を検討", ube, meeting)
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "交付窓口の体制強化について県の支援を求めたい" in detail


def test_without_script_the_opinion_form_returns_to_the_same_slide(client, staff, meeting):
    client.force_login(staff)
    response = client.post(
        reverse("council:record_opinion", args=[meeting.pk]), {"content": "意見", "slide": "4"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("council:present", args=[meeting.pk]) + "#4"
    assert Opinion.objects.filter(meeting=meeting, content="意見").exists()


def test_bad_opinions_write_nothing(client, staff, meeting, other_council):
    client.force_login(staff)
    url = reverse("council:record_opinion", args=[meeting.pk])
    before = fingerprint()
    for data, message in (
        ({"content": "  "}, "意見の内容を入力してください。記録していません。"),
        (
            {"content": "x", "agenda_item": other_council.agenda_item.pk},
            "この会議の議題を選んでください。記録していません。",
        ),
        (
            {"content": "x", "organisation": other_council.towns[0].pk},
            "この会議の団体を選んでください。記録していません。",
        ),
        ({"content": "x", "agenda_item": "abc"}, "この会議の議題を選んでください。記録していません。"),
    ):
        response = client.post(url, data, headers={"X-Requested-With": "fetch"})
        assert response.status_code == 400
        assert response.json()["message"] == message
    assert fingerprint() == before


def test_only_staff_record_opinions(client, member, liaison, meeting):
    url = reverse("council:record_opinion", args=[meeting.pk])
    for user in (member, liaison):
        client.force_login(user)
        assert client.post(url, {"content": "x"}).status_code == 404
        assert (
            'id="live-opinion-dialog"'
            not in client.get(reverse("council:present", args=[meeting.pk])).content.decode()
        )
    assert not Opinion.objects.filter(content="x").exists()
