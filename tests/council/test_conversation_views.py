"""The review conversation's pages: the thread, withdrawing, the confirmation before submitting, the
reviewer's comparison with the last approved report, 代理入力 on the report page."""

import pytest
from django.urls import reverse

from council import services
from council.models import ReportEvent, ReportingPeriod, ReportStatus, StatusReport

DX_FORM = {
    "department": "デジタル推進課",
    "policy": "established",
    "policy_planned_fiscal_year": "",
    "has_promotion_body": "on",  # the checkbox as the form shows it, carried forward
    "promotion_body": "萩市DX推進本部",
    "has_external_talent": "on",
    "external_talent_count": "2",
    "has_it_hires": "on",
    "it_hires_count": "1",
}


@pytest.fixture
def draft(hagi, liaison):
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=hagi, period=period, user=liaison)


@pytest.fixture
def submitted(draft, liaison):
    return services.report_submit(report=draft, user=liaison)


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def save_dx(client, user, report, **changes):
    client.force_login(user)
    version = report.council_dxstructure.__class__.objects.get(report=report).version
    response = client.post(
        reverse("reports:section", args=[report.pk, "dx"]),
        DX_FORM | {"expected_version": version} | changes,
    )
    assert response.status_code == 302


# --- the thread ------------------------------------------------------------------------------------


def test_staff_ask_and_the_liaison_answers_in_the_thread(client, staff, liaison, submitted):
    url = reverse("reports:comment", args=[submitted.pk])
    client.force_login(staff)
    response = client.post(url, {"comment": "外部人材の人数の根拠を教えてください。"})
    assert response.status_code == 302 and response.url.endswith("#thread")
    client.force_login(liaison)
    response = client.post(url, {"comment": "辞令で確認しました。\n2名です。"}, follow=True)
    html = response.content.decode()
    assert "コメントを送りました" in html
    thread = html[html.index('id="thread"') : html.index('id="events-h"')]
    assert thread.index("外部人材の人数の根拠") < thread.index("辞令で確認しました。<br>2名です。")
    assert "staff（山口県）" in thread and "liaison-hagi（萩市）" in thread
    assert "コメント（報告が「提出済」のとき）" in thread
    assert submitted.events.filter(action="comment").count() == 2
    assert StatusReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_the_return_comment_opens_the_thread_and_the_liaison_replies(client, staff, liaison, submitted):
    client.force_login(staff)
    client.post(reverse("reports:return", args=[submitted.pk]), {"comment": "人数を確認してください。"})
    html = page(client, liaison, submitted.get_absolute_url())
    thread = html[html.index('id="thread"') : html.index('id="events-h"')]
    assert "人数を確認してください。" in thread and "差戻しの理由" in thread
    assert 'href="#thread"' in html  # the returned notice points to where to answer
    client.post(reverse("reports:comment", args=[submitted.pk]), {"comment": "確認して直しました。"})
    assert [e.comment for e in submitted.events.all() if e.is_comment] == [
        "人数を確認してください。",
        "確認して直しました。",
    ]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("", "コメントを入力してください。"),
        ("  \n ", "コメントを入力してください。"),
        ("長" * 2001, "2000文字以内"),
    ],
)
def test_a_refused_comment_keeps_what_was_typed_and_writes_nothing(client, liaison, draft, comment, message):
    client.force_login(liaison)
    events = draft.events.count()
    response = client.post(reverse("reports:comment", args=[draft.pk]), {"comment": comment})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "何も保存していません" in html
    if comment.strip():
        assert comment in html  # the typed text is still in the form
    assert draft.events.count() == events


def test_members_see_no_thread_and_cannot_comment(client, member, draft):
    page(client, member, draft.get_absolute_url(), status=404)
    response = client.post(reverse("reports:comment", args=[draft.pk]), {"comment": "構成員です"})
    assert response.status_code == 404
    assert not draft.events.filter(action="comment").exists()


def test_a_liaison_cannot_comment_on_another_municipalitys_report(client, other_liaison, draft):
    client.force_login(other_liaison)
    response = client.post(reverse("reports:comment", args=[draft.pk]), {"comment": "宇部です"})
    assert response.status_code == 404
    assert not draft.events.filter(action="comment").exists()


def test_an_approved_report_can_still_be_discussed(client, staff, liaison, hagi):
    approved = StatusReport.objects.get(municipality=hagi, period__fiscal_year=2022)
    client.force_login(liaison)
    response = client.post(reverse("reports:comment", args=[approved.pk]), {"comment": "次回の資料について"})
    assert response.status_code == 302
    assert "次回の資料について" in page(client, staff, approved.get_absolute_url())


# --- withdrawing -----------------------------------------------------------------------------------


def test_liaison_withdraws_before_staff_decide(client, liaison, submitted):
    html = page(client, liaison, submitted.get_absolute_url())
    assert "提出を取り下げる（作成中に戻す）" in html
    response = client.post(
        reverse("reports:withdraw", args=[submitted.pk]), {"comment": "数字を直します"}, follow=True
    )
    assert "提出を取り下げました" in response.content.decode()
    report = StatusReport.objects.get(pk=submitted.pk)
    assert report.status == ReportStatus.DRAFT
    assert report.events.last().action == "withdraw"
    assert "数字を直します" in response.content.decode()  # the reason is in the thread
    assert "提出内容を確認する" in response.content.decode()  # editable again


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ("approve", "既に承認したため、取り下げできません"),
        ("return", "既に差し戻したため、取り下げできません"),
    ],
)
def test_withdrawing_after_staff_decided_is_refused(client, staff, liaison, submitted, decision, message):
    client.force_login(staff)
    client.post(reverse(f"reports:{decision}", args=[submitted.pk]), {"comment": "確認しました"})
    state = StatusReport.objects.get(pk=submitted.pk).status
    events = submitted.events.count()
    client.force_login(liaison)
    response = client.post(reverse("reports:withdraw", args=[submitted.pk]), follow=True)
    assert message in response.content.decode()
    assert StatusReport.objects.get(pk=submitted.pk).status == state
    assert submitted.events.count() == events


def test_staff_cannot_withdraw_and_are_not_offered_it(client, staff, submitted):
    assert "提出を取り下げる" not in page(client, staff, submitted.get_absolute_url())
    assert client.post(reverse("reports:withdraw", args=[submitted.pk])).status_code == 404
    assert StatusReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


# --- confirming a submission ----------------------------------------------------------------------


def test_submitting_asks_for_confirmation_with_the_sections_and_warnings(client, liaison, draft):
    html = page(client, liaison, draft.get_absolute_url())
    confirm = reverse("reports:submit", args=[draft.pk])
    assert f'href="{confirm}"' in html and "この内容で提出する" not in html  # no one-click submit
    save_dx(client, liaison, draft)
    html = page(client, liaison, confirm)
    assert "提出内容の確認" in html
    table = html[html.index('id="submit-sections"') :]
    for title in ("情報システムの標準化・共通化", "行政手続のオンライン化", "DX推進体制"):
        assert title in table
    assert "3か所を変更" in table  # dx: 担当所属, 外部人材確保 and its count
    warnings = html[html.index('id="submit-warnings"') :]
    assert (
        "「行政手続のオンライン化」は前回（令和4年度 第4四半期）の承認済みの報告から変更がありません"
        in warnings
    )
    assert "「DX推進体制」は前回" not in warnings
    assert "「RPA等共同利用」は未入力です（任意の項目です" in warnings
    assert "提出期限（令和5年7月31日(月)）を過ぎています" in warnings
    assert StatusReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT  # looking submits nothing
    response = client.post(confirm, follow=True)
    assert "報告を提出しました" in response.content.decode()
    assert StatusReport.objects.get(pk=draft.pk).status == ReportStatus.SUBMITTED


def test_the_confirmation_names_what_stops_a_submission(client, liaison, hagi):
    from council.dx.models import DXStructure

    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=period, user=liaison)
    DXStructure.objects.filter(report=report).delete()
    html = page(client, liaison, reverse("reports:submit", args=[report.pk]))
    assert "提出できません" in html and "未入力の項目があります: DX推進体制" in html
    assert "この内容で提出する" not in html


def test_a_report_that_cannot_be_submitted_has_no_confirmation_page(client, liaison, submitted):
    client.force_login(liaison)
    response = client.get(reverse("reports:submit", args=[submitted.pk]), follow=True)
    assert "「提出済」のため提出できません" in response.content.decode()


# --- the reviewer's comparison --------------------------------------------------------------------


def test_staff_see_old_to_new_before_approving(client, staff, liaison, draft):
    save_dx(client, liaison, draft)
    services.report_submit(report=draft, user=liaison)
    queue = page(client, staff, reverse("reports:review"))
    review = reverse("reports:review_report", args=[draft.pk])
    assert f'href="{review}"' in queue  # the queue leads to the comparison
    detail = page(client, staff, draft.get_absolute_url())
    assert f'href="{review}"' in detail and "承認する" not in detail  # no approving unseen
    html = page(client, staff, review)
    assert "前回: " in html and "令和4年度 第4四半期（承認済）" in html
    dx = html[html.index('id="cmp-dx"') :]
    assert '<del><span class="visually-hidden">変更前: </span>DX推進室</del>' in dx
    assert '<ins><span class="visually-hidden">変更後: </span>デジタル推進課</ins>' in dx
    assert '<ins><span class="visually-hidden">変更後: </span>2名</ins>' in dx
    assert "変更のない値" in dx
    assert "変更なし" in html[html.index('id="cmp-online_procedures"') :]
    assert "承認する" in html and "差戻しの理由（必須）" in html
    response = client.post(reverse("reports:approve", args=[draft.pk]), follow=True)
    assert "報告を承認しました" in response.content.decode()


def test_a_refused_decision_goes_back_to_the_review_page(client, staff, submitted):
    client.force_login(staff)
    response = client.post(reverse("reports:return", args=[submitted.pk]), {"comment": ""})
    assert response.url == reverse("reports:review_report", args=[submitted.pk])


def test_the_review_page_of_a_decided_report_offers_no_decision(client, staff, hagi):
    approved = StatusReport.objects.get(municipality=hagi, period__fiscal_year=2022)
    html = page(client, staff, reverse("reports:review_report", args=[approved.pk]))
    assert "令和3年度 第4四半期（承認済）" in html
    assert "承認・差戻しはできません" in html and "承認する</button>" not in html


# --- 代理入力 ------------------------------------------------------------------------------------


def test_staff_edits_are_shown_as_proxy_input(client, staff, liaison, draft):
    form = page(client, staff, reverse("reports:section", args=[draft.pk, "dx"]))
    assert "保存すると「代理入力」として履歴に記録され" in form
    assert "代理入力" not in page(client, liaison, reverse("reports:section", args=[draft.pk, "dx"]))
    save_dx(client, staff, draft, department="県が入力")
    html = page(client, liaison, draft.get_absolute_url())
    section = html[html.index('id="sec-dx"') : html.index('id="actions-h"')]
    assert "代理入力" in section and "staff（山口県）が萩市に代わって入力しました" in section
    events = html[html.index('id="events-table"') :]
    assert "代理入力: DX推進体制" in events and "萩市に代わって" in events
    # once the liaison saves the section again, it is theirs
    save_dx(client, liaison, StatusReport.objects.get(pk=draft.pk), department="市が入力")
    html = page(client, liaison, draft.get_absolute_url())
    section = html[html.index('id="sec-dx"') : html.index('id="actions-h"')]
    assert "代理入力" not in section
    assert "代理入力: DX推進体制" in html[html.index('id="events-table"') :]  # the history keeps it


def test_staff_submitting_for_a_municipality_is_shown_as_proxy(client, staff, draft):
    client.force_login(staff)
    client.post(reverse("reports:submit", args=[draft.pk]))
    html = page(client, staff, draft.get_absolute_url())
    assert "提出（代理入力）" in html[html.index('id="events-table"') :]
    assert draft.events.get(action=ReportEvent.Action.SUBMIT).proxy
