"""One quarter run on the portal alone, in real Chromium, with mail over a real SMTP server (issue 13's
"Done when"): staff onboard two liaisons from an Excel sheet → the invitations arrive → a liaison sets
a password through the link, fills in and submits (through the confirmation page) → staff are told
(mail and home page) → staff return it with a comment → the liaison is mailed, answers in the
thread, fixes and resubmits → staff see the changes against the last approved report and approve →
`send_reminders` mails the other liaison once, and nothing on a second run. axe-core on every page
the journey adds."""

import io
import re
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from council.models import ReportStatus, StatusReport
from tests.accounts.helpers import browser_sheet
from tests.browser import assert_accessible, login, logout
from tests.conftest import point_mail_at
from tests.mail_server import MailServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARO = "taro@example.jp"  # 萩市's new liaison: the one who reports
HANAKO = "hanako@example.jp"  # 宇部市's new liaison: the one who is reminded
STAFF = "prefecture@example.jp"


@pytest.fixture
def smtp(settings, live_server):
    """A real SMTP server on 127.0.0.1 (aiosmtpd, a free port), the portal's mail pointed at it as
    EMAIL_URL would point it, and the links in mails pointed at the live server."""
    server = MailServer().start()
    point_mail_at(settings, server.url)
    settings.PORTAL_BASE_URL = live_server.url
    yield server
    server.stop()


def mails(server, to: str, subject: str = "") -> list:
    return [m for m in server.received if m.recipients == [to] and subject in m.subject]


def wait_for_mail(server, to: str, subject: str = "", count: int = 1, timeout: float = 10):
    """The `count`-th mail to `to` whose subject contains `subject`, once it has arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = mails(server, to, subject)
        if len(found) >= count:
            return found[count - 1]
        time.sleep(0.05)
    seen = [(m.recipients, m.subject) for m in server.received]
    raise AssertionError(f"no mail #{count} to {to} about {subject!r}; received: {seen}")


def path_in(text: str, pattern: str) -> str:
    """The path of the one link in a mail's text matching `pattern` (links are absolute)."""
    links = re.findall(r"https?://[^\s/]+(" + pattern + r")", text)
    assert len(links) == 1, text
    return links[0]


def confirm_and_submit(page, name: str):
    page.get_by_role("link", name="提出内容を確認する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("提出内容の確認")
    expect(page.locator("#submit-sections")).to_contain_text("DX推進体制")
    assert_accessible(page, name)
    page.get_by_role("button", name="この内容で提出する").click()
    expect(page.locator(".message-success")).to_contain_text("提出しました")


def test_a_quarter_from_onboarding_to_reminders(live_server, browser, people, smtp):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.filter(username="prefecture").update(email=STAFF)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")

    # 1. staff onboard two liaisons from a sheet: a dry run, then the import
    login(page, base, "prefecture")
    page.get_by_role("link", name="アカウント", exact=True).click()
    page.get_by_role("link", name="Excel から一括登録").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("アカウントの一括登録")
    assert_accessible(page, "journey-import")
    page.get_by_label("Excel ファイル（.xlsx）").set_input_files(
        browser_sheet(
            [["352047", "萩 太郎", TARO, "連絡担当"], ["352021", "宇部 花子", HANAKO, "連絡担当"]],
            name="liaisons.xlsx",
        )
    )
    page.get_by_role("button", name="内容を確認する（まだ書き込みません）").click()
    expect(page.get_by_text("新規 2件（それぞれに招待メールを送ります）")).to_be_visible()
    assert not User.objects.filter(email__in=[TARO, HANAKO]).exists()  # a dry run writes nothing
    assert_accessible(page, "journey-import-preview")
    page.get_by_role("button", name="取り込む").click()
    expect(page.locator(".messagelist")).to_contain_text("新規 2件を登録し、招待メールを送りました")
    page.goto(f"{base}/")
    logout(page)

    # 2. the invitations arrive at the SMTP server, with a link and no password
    invitation = wait_for_mail(smtp, TARO)
    wait_for_mail(smtp, HANAKO)
    assert "パスワード" in invitation.text and "Hagi-Taro" not in invitation.text
    link = path_in(invitation.text, r"/accounts/invitation/\S+/")

    # 3. 萩 太郎 sets a password through the link and logs in
    page.goto(f"{base}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("パスワードの設定")
    assert_accessible(page, "journey-set-password")
    page.get_by_label("新しいパスワード", exact=True).fill("Hagi-Taro-2024")
    page.get_by_label("新しいパスワード(確認用)").fill("Hagi-Taro-2024")
    page.get_by_role("button", name="パスワードを設定する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("パスワードを設定しました")
    login(page, base, TARO, "Hagi-Taro-2024")
    expect(page.get_by_role("heading", level=1)).to_have_text("萩市の状況報告")

    # 4. fills in a section and submits through the confirmation page
    page.get_by_role("button", name="報告を作成する").click()
    page.get_by_role("link", name="DX推進体制を編集する").click()
    page.get_by_label("外部人材確保（CIO補佐官等）").check()
    page.get_by_label("外部人材の人数").fill("3")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_be_visible()
    confirm_and_submit(page, "journey-submit-confirm")
    logout(page)

    # 5. staff are told: a mail and a notice on the home page
    submitted = wait_for_mail(smtp, STAFF, "【提出】萩市")
    report_path = path_in(submitted.text, r"/reports/\d+/")
    login(page, base, "prefecture")
    notices = page.locator("#notices-h").locator("xpath=..")
    expect(notices).to_contain_text("【提出】萩市")
    page.get_by_role("link", name="すべてのお知らせ").click()
    expect(page.locator(".notice-list")).to_contain_text("萩 太郎")
    assert_accessible(page, "journey-notices-staff")

    # 6. staff see old → new against 令和4年度 第4四半期 and return it with a comment
    page.goto(f"{base}{report_path}")
    page.get_by_role("link", name="前回との違いを確認して承認・差戻しする").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("確認: 萩市")
    dx = page.locator("#cmp-dx").locator("xpath=..")
    expect(dx.locator("ins")).to_contain_text(["はい", "3名"])
    expect(dx.locator("del")).to_contain_text(["いいえ"])
    assert_accessible(page, "journey-review")
    page.get_by_label("差戻しの理由（必須）").fill("外部人材は2名ではありませんか。")
    page.get_by_role("button", name="差し戻す").click()
    expect(page.locator(".message-success")).to_contain_text("差し戻しました")
    logout(page)

    # 7. 萩 太郎 gets the mail, answers in the thread, fixes and resubmits
    returned = wait_for_mail(smtp, TARO, "【差戻し】萩市")
    assert "外部人材は2名ではありませんか。" in returned.text
    login(page, base, TARO, "Hagi-Taro-2024")
    expect(page.locator("#notices-h").locator("xpath=..")).to_contain_text("【差戻し】萩市")
    page.goto(base + path_in(returned.text, r"/reports/\d+/"))
    expect(page.locator("#thread")).to_contain_text("外部人材は2名ではありませんか。")
    page.get_by_label("コメント", exact=True).fill("ご指摘のとおり2名でした。修正します。")
    page.get_by_role("button", name="コメントを送る").click()
    expect(page.locator(".message-success")).to_contain_text("コメントを送りました")
    expect(page.locator("#thread")).to_contain_text("ご指摘のとおり2名でした。")
    assert_accessible(page, "journey-thread")
    page.get_by_role("link", name="DX推進体制を編集する").click()
    page.get_by_label("外部人材の人数").fill("2")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_be_visible()
    confirm_and_submit(page, "journey-submit-confirm-again")
    logout(page)
    assert "ご指摘のとおり2名でした。" in wait_for_mail(smtp, STAFF, "【コメント】萩市").text
    wait_for_mail(smtp, STAFF, "【提出】萩市", count=2)

    # 8. staff read the answer beside the changes against the last approved report, and approve
    login(page, base, "prefecture")
    expect(page.locator("#notices-h").locator("xpath=..")).to_contain_text("【コメント】萩市")
    page.goto(f"{base}/reports/review/")
    page.get_by_role("link", name="萩市").click()
    expect(page.locator("#thread")).to_contain_text("ご指摘のとおり2名でした。")
    expect(page.locator("#cmp-dx").locator("xpath=..").locator("ins")).to_contain_text(["はい", "2名"])
    assert_accessible(page, "journey-review-again")
    page.get_by_role("button", name="承認する").click()
    expect(page.locator(".message-success")).to_contain_text("承認しました")
    logout(page)
    wait_for_mail(smtp, TARO, "【承認】萩市")
    page.close()

    report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2023, period__quarter=1)
    assert report.status == ReportStatus.APPROVED
    assert [e.action for e in report.events.all()] == [
        "create",
        "submit",
        "return",
        "comment",
        "submit",
        "approve",
    ]

    # 9. reminders: the other liaison (宇部市, not submitted) is mailed once; a second run sends nothing
    before = len(smtp.received)
    call_command("send_reminders", stdout=io.StringIO())
    new = smtp.received[before:]
    reminded = sorted(m.recipients[0] for m in new if m.recipients != [STAFF])
    assert reminded == [HANAKO], [(m.recipients, m.subject) for m in new]
    [reminder] = [m for m in new if m.recipients == [HANAKO]]
    assert reminder.subject.startswith("【期限超過】令和5年度 第1四半期")  # 2023-07-31 has passed
    assert "宇部市" in reminder.text
    after_first = len(smtp.received)
    call_command("send_reminders", stdout=io.StringIO())
    assert len(smtp.received) == after_first, [(m.recipients, m.subject) for m in smtp.received[after_first:]]
