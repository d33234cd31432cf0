"""資料6: the seed holds the materials' figures literally; the dashboard and the Excel book reproduce
them; municipalities register for what their council offers (their own organisation only); staff
open offers and see the uptake; bad input is refused with a Japanese message and writes nothing."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import BudgetLine, Milestone, Offer, Programme, Registration, SupportCase
from tests.hardening.test_bad_input import fingerprint

pytestmark = pytest.mark.django_db


def offer(title, **kwargs):
    return Offer.objects.get(title=title, **kwargs)


def book(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def open_offer(o, days=10):
    return services.offer_open(
        offer=o, opens=None, closes=timezone.localdate() + timedelta(days=days), user=None
    )


# --- the materials, literally ---------------------------------------------------------------


def test_seed_holds_the_budgets_and_breakdowns_of_material_6(seeded):
    programmes = {p.name: p for p in Programme.objects.filter(fiscal_year=2023)}
    assert {name: (p.budget, p.department, p.is_new) for name, p in programmes.items()} == {
        "やまぐちDX加速化事業": (376188, "デジタル政策課", True),
        "やまぐちデジタル実装推進事業": (126000, "デジタル政策課", True),
        "デジタルデバイド対策事業": (8447, "デジタル政策課", False),
    }
    lines = BudgetLine.objects.filter(programme=programmes["やまぐちデジタル実装推進事業"])
    assert [(line.label, line.amount) for line in lines] == [
        ("デジタル実装のモデル創出に向けた実証・実装", 90000),
        ("企画提案に係る技術評価業務委託", 33000),
        ("企画運営費", 3000),
    ]
    assert "上限額：30,000千円/件・年 (3～5件程度を採択見込)" in lines[0].detail
    assert all(services.breakdown_warnings(p) == [] for p in programmes.values())
    subs = programmes["やまぐちDX加速化事業"].sub_programmes.all()
    assert len(subs) == 13
    civic = subs.get(name="シビックテックチャレンジYAMAGUCHI推進事業")
    assert "新 広域実証支援金（25万円/市町）" in civic.summary
    assert civic.field == "地域の社会課題の解決"
    assert [s.name for s in subs if s.is_new] == [
        "Y-BASEサテライトプロジェクト推進事業",
        "やまぐちリビングラボ推進事業",
        "やまぐちDXエバンジェリスト創出事業",
        "デジタルツイン推進事業",
    ]
    assert subs.get(name="やまぐちデザインシンキングカレッジ開催事業").timing == "[対象] 行政・民間等 8月頃"


def test_seed_holds_the_schemes_and_the_national_calls(seeded):
    divide = offer("デジタルデバイド対策事業（市町提案型）")
    assert (divide.cap, divide.cap_unit, divide.cap_detail, divide.rate) == (
        400,
        "市町",
        "県:200千円、市長会・町村会:200千円",
        "10/10",
    )
    assert offer("広域実証支援金").cap_detail == "25万円/市町"
    calls = Offer.objects.filter(group="デジタル活用支援推進事業（総務省）").order_by("opens")
    assert [(c.title, c.window) for c in calls] == [
        ("全国展開型", "5/6～5/12"),
        ("地域連携型", "5/16～5/26"),
        ("講師派遣型", "5/20～5/31"),
    ]
    assert calls[0].opens == date(2023, 5, 6) and calls[0].closes == date(2023, 5, 12)
    assert calls[1].steps == [
        ("申請書類提出期間", "5/16～5/26"),
        ("評価会での審査", "6月上旬"),
        ("事業採択の内示", "6月中旬"),
        ("交付決定", "6月下旬"),
    ]
    seminar = offer("書かない窓口 ハンズオンセミナー")
    assert seminar.held_on == date(2023, 5, 23)
    assert seminar.steps == [
        ("第1回", "10:00-12:00(開場・受付09:30)"),
        ("第2回", "14:00-16:00(開場・受付13:30)"),
    ]


def test_seed_holds_the_25_courses(seeded):
    courses = Offer.objects.filter(kind=Offer.Kind.COURSE, fiscal_year=2023).order_by("number")
    assert courses.count() == 25
    assert [(c.number, c.title, c.category, c.timing, c.length, c.target) for c in courses[:1]] == [
        (1, "デジタル化マネジメント", "オンライン", "5月", "2時間程度", "デジタルマネジメント人材")
    ]
    twelve = courses.get(number=12)
    assert (twelve.title, twelve.category, twelve.length) == ("RPA活用（初級・中級）", "座学", "各1日程度")
    assert courses.get(number=25).title == "最新テーマ"
    assert {c.category for c in courses} == {"オンライン", "eラーニング", "座学"}


def test_seed_holds_the_y_base_cases_and_the_infrastructure(seeded):
    cases = {c.organisation.name: c for c in SupportCase.objects.select_related("organisation")}
    assert {name: c.get_topic_display() for name, c in cases.items()} == {
        "宇部市": "マイナンバーカード",
        "山口市": "書かない窓口",
        "周南市": "オープンデータ",
    }
    assert cases["周南市"].request.startswith("小学生が紙での安全マップを作成しているが")
    assert cases["山口市"].proposal == "庁内WGに参画し、事例紹介や助言等を提案。"
    hearing = Milestone.objects.get(title="光ファイバ未整備地域が残る13市町へのヒアリングの実施")
    assert (hearing.timing, hearing.organisations) == ("5月", 13)
    ysn = Milestone.objects.filter(group="やまぐち情報スーパーネットワーク（YSN）")
    assert [(m.timing, m.title) for m in ysn] == [
        ("令和5年度", "更改: 仕様作成・調整 基本設計（運用: 現行YSN）"),
        ("令和6年度", "更改: ネットワーク機器更改（運用: 現行YSN）"),
        ("令和7年度", "運用: 次期YSN"),
    ]


# --- dashboard and Excel --------------------------------------------------------------------


def test_dashboard_reproduces_the_tables(client, member):
    client.force_login(member)
    page = client.get(reverse("programmes:dashboard")).content.decode()
    for text in (
        "新 やまぐちDX加速化事業【デジタル政策課】 376,188千円",
        "やまぐちデジタル実装推進事業【デジタル政策課】 126,000千円",
        "デジタルデバイド対策事業【デジタル政策課】 8,447千円",
        "研修一覧（25研修）",
        "400千円/市町（補助率10/10）",
        "申請書類提出期間 5/6～5/12",
        "光ファイバ未整備地域が残る13市町へのヒアリングの実施",
        "新庁舎における総合窓口かを見据え",
    ):
        assert text in page, text
    assert client.get(reverse("programmes:dashboard") + "?year=1999").status_code == 404


def test_export_writes_numbers_as_numbers(client, staff):
    client.force_login(staff)
    response = client.get(reverse("programmes:export"))
    assert response.status_code == 200
    wb = book(response)
    budgets = list(wb["資料6 事業と予算"].iter_rows(values_only=True))
    header = budgets.index(("事業名", "担当課", "新規", "予算額（千円）", "区分", "内容", "見積額（千円）"))
    rows = budgets[header + 1 :]
    assert rows[0][:4] == ("やまぐちDX加速化事業", "デジタル政策課", "新", 376188)
    assert [r[6] for r in rows if r[6] is not None] == [90000, 33000, 3000]
    assert all(isinstance(r[6], int) for r in rows if r[6] is not None)
    courses = list(wb["研修一覧"].iter_rows(values_only=True))
    assert courses[-1][:5] == (25, "最新テーマ", "eラーニング", "7月", "30～60分程度")
    offers = [r for r in wb["支援制度・国の公募・催し"].iter_rows(values_only=True) if r[2] == "全国展開型"]
    assert offers[0][8].date() == date(2023, 5, 6) and offers[0][9].date() == date(2023, 5, 12)
    scheme = [
        r for r in wb["支援制度・国の公募・催し"].iter_rows(values_only=True) if r[2] == "広域実証支援金"
    ]
    assert scheme[0][4] == 250
    assert [r[0] for r in wb["市町別の参加状況"].iter_rows(values_only=True)][1:3] == ["下関市", "宇部市"]


def test_uptake_query_count_does_not_grow_with_municipalities(client, staff, grow_prefecture, count_queries):
    client.force_login(staff)

    def export():
        b"".join(client.get(reverse("programmes:export")).streaming_content)

    def dashboard():
        client.get(reverse("programmes:dashboard"))

    export(), dashboard()
    before = (count_queries(export), count_queries(dashboard))
    grow_prefecture(15)
    assert (count_queries(export), count_queries(dashboard)) == before


# --- municipalities take part ---------------------------------------------------------------


def test_an_opened_call_shows_on_the_liaisons_home_and_they_register(client, staff, liaison, hagi):
    call = offer("全国展開型")
    client.force_login(liaison)
    assert "全国展開型" not in client.get("/").content.decode()  # the 2023 window is over
    client.force_login(staff)
    closes = timezone.localdate() + timedelta(days=14)
    response = client.post(call.get_absolute_url(), {"action": "open", "closes": closes.isoformat()})
    assert response.status_code == 302
    client.force_login(liaison)
    home = client.get("/").content.decode()
    assert "デジタル活用支援推進事業（総務省） 全国展開型" in home and "未登録" in home
    response = client.post(call.get_absolute_url(), {"kind": "application", "participants": "2", "note": ""})
    assert response.status_code == 302
    registration = Registration.objects.get(offer=call)
    assert (registration.organisation, registration.kind, registration.participants) == (
        hagi,
        "application",
        2,
    )
    assert "申込" in client.get("/").content.decode()
    client.force_login(staff)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "団体別の登録（1団体）" in page and "萩市" in page
    dashboard = client.get(reverse("programmes:dashboard")).content.decode()
    uptake = dashboard.split('id="uptake-table"')[1]
    hagi_row = uptake.split('<th scope="row">萩市</th>')[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in hagi_row


def test_a_liaison_cannot_register_for_another_municipality(client, liaison, ube):
    call = open_offer(offer("地域連携型"))
    client.force_login(liaison)
    before = fingerprint()
    response = client.post(call.get_absolute_url(), {"kind": "application", "organisation": str(ube.pk)})
    assert response.status_code == 404
    assert fingerprint() == before


def test_a_liaison_sees_only_their_own_registrations_and_cases(client, liaison, other_liaison, ube):
    call = open_offer(offer("地域連携型"))
    services.registration_save(offer=call, organisation=ube, kind="application", user=None)
    client.force_login(liaison)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "宇部市" not in page
    assert "マイナンバーカード利活用" not in client.get("/").content.decode()  # 宇部市's case
    client.force_login(other_liaison)
    home = client.get("/").content.decode()
    assert "マイナンバーカード利活用" in home and "申込" in home


def test_another_councils_offer_is_a_404(client, other_council):
    call = open_offer(offer("全国展開型"))
    for user in (other_council.staff, other_council.liaison):
        client.force_login(user)
        assert client.get(call.get_absolute_url()).status_code == 404
        assert client.post(call.get_absolute_url(), {"kind": "application"}).status_code == 404
        assert "全国展開型" not in client.get("/").content.decode()


# --- bad input ------------------------------------------------------------------------------


def test_a_window_ending_before_it_starts_is_refused(client, staff):
    call = offer("講師派遣型")
    client.force_login(staff)
    before = fingerprint()
    response = client.post(
        call.get_absolute_url(),
        {"action": "open", "opens": "2030-06-10", "closes": "2030-06-01"},
        follow=True,
    )
    assert "受付締切日は受付開始日より後にしてください。受付は開始していません。" in response.content.decode()
    assert fingerprint() == before
    call.refresh_from_db()
    assert not call.accepting
    call.opens, call.closes = date(2030, 6, 10), date(2030, 6, 1)
    with pytest.raises(ValidationError, match="受付締切日は受付開始日より後にしてください"):
        call.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        call.save()


def test_negative_amounts_are_refused(seeded):
    programme = Programme.objects.get(name="デジタルデバイド対策事業")
    programme.budget = -1
    with pytest.raises(ValidationError, match="金額・人数は0以上で入力してください"):
        programme.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        programme.save()
    with transaction.atomic(), pytest.raises(IntegrityError):
        BudgetLine.objects.create(programme_id=programme.pk, label="x", amount=-5)


def test_a_breakdown_that_does_not_add_up_is_kept_with_a_warning(client, staff):
    programme = Programme.objects.get(name="やまぐちデジタル実装推進事業")
    BudgetLine.objects.filter(programme=programme, label="企画運営費").update(amount=4000)
    assert services.breakdown_warnings(programme) == [
        "やまぐちデジタル実装推進事業: 内訳の合計（127,000千円）が予算額（126,000千円）と一致しません。"
        "資料の数値のまま保存しています。"
    ]
    client.force_login(staff)
    assert (
        "内訳の合計（127,000千円）が予算額（126,000千円）と一致しません"
        in client.get(reverse("programmes:dashboard")).content.decode()
    )


def test_registering_when_not_accepting_or_with_a_negative_count_writes_nothing(client, liaison):
    closed = offer("全国展開型")
    client.force_login(liaison)
    before = fingerprint()
    response = client.post(closed.get_absolute_url(), {"kind": "application"}, follow=True)
    assert "この募集は受付中ではありません。登録していません。" in response.content.decode()
    call = open_offer(offer("地域連携型"))
    before = fingerprint()
    response = client.post(call.get_absolute_url(), {"kind": "application", "participants": "-3"})
    assert response.status_code == 400
    assert "参加人数は0以上で入力してください。" in response.content.decode()
    assert fingerprint() == before


def test_the_cached_dashboard_follows_a_registration(
    client, settings, staff, hagi, django_capture_on_commit_callbacks
):
    settings.DASHBOARD_CACHE_SECONDS = 300
    call = open_offer(offer("地域連携型"))
    client.force_login(staff)
    url = reverse("programmes:dashboard")

    def hagi_applications():
        uptake = client.get(url).content.decode().split('id="uptake-table"')[1]
        return uptake.split('<th scope="row">萩市</th>')[1].split("</td>")[0]

    assert hagi_applications().endswith(">0")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_save(offer=call, organisation=hagi, kind="application", user=staff)
    assert hagi_applications().endswith(">1")


def test_a_liaisons_dashboard_leaves_out_other_municipalities_uptake_and_cases(client, liaison, ube):
    services.registration_save(
        offer=open_offer(offer("地域連携型")), organisation=ube, kind="interest", user=None
    )
    client.force_login(liaison)
    page = client.get(reverse("programmes:dashboard")).content.decode()
    assert "研修一覧（25研修）" in page and "光ファイバ未整備地域が残る13市町へのヒアリングの実施" in page
    assert 'id="uptake-table"' not in page and 'id="cases-table"' not in page
    assert "マイナンバーカードの普及率を向上させるための交付推進に注力" not in page  # 宇部市's case
    assert "自団体の申込・参加とY-BASEの支援案件は" in page


def test_staff_choose_only_their_own_councils_organisations_and_programmes(client, staff, other_council):
    """The admin's offer form and its registrations inline offer 山口県's rows only; a registration
    of another prefecture's town is refused by the model too."""
    client.force_login(staff)
    yamaguchi_offer = offer("地域連携型")
    page = client.get(reverse("admin:programmes_offer_change", args=[yamaguchi_offer.pk])).content.decode()
    assert "萩市" in page
    assert not any(town.name in page for town in other_council.towns)
    assert "広島県" not in page
    with pytest.raises(ValidationError, match="この事業・催しの県の団体を選んでください"):
        Registration(offer=yamaguchi_offer, organisation=other_council.towns[0], kind="interest").full_clean()


def test_the_dashboards_open_card_counts_what_a_liaison_can_register_for_today(client, staff, liaison):
    """「受付中の募集・支援制度・催し」 on the dashboard (and frozen into a meeting's 資料6) is the home
    page's list: an offer past its deadline and a course are not counted."""
    from programmes import selectors
    from tests.framework.test_headline_cards import cards

    listed = Offer.objects.exclude(kind=Offer.Kind.COURSE)
    first, second = listed[0], listed[1]
    open_offer(first)
    open_offer(second)
    Offer.objects.filter(pk=second.pk).update(closes=timezone.localdate() - timedelta(days=1))
    course = Offer.objects.filter(kind=Offer.Kind.COURSE).first()
    Offer.objects.filter(pk=course.pk).update(accepting=True, closes=None)
    on_home = selectors.open_offers(user=liaison, today=timezone.localdate())
    assert [o.pk for o in on_home if o.kind != Offer.Kind.COURSE] == [first.pk]
    client.force_login(staff)
    assert cards(client.get(reverse("programmes:dashboard")).content.decode())["open"] == "1"
