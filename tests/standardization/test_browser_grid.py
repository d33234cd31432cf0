"""The operations × steps grid by keyboard alone: Tab into the grid, arrow keys between cells, 1–4
for a status, Tab out to a bulk action and to 保存する; axe-clean; the dashboard shows the result."""

import pytest
from playwright.sync_api import expect

from council.models import StatusReport
from standardization.models import Status, StepStatus
from tests.accessibility.test_every_page import press_and_wait, tab_to
from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_label(page) -> str:
    return page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")


def cells(report):
    return sorted(
        (r.operation.name, r.step.number, r.status)
        for r in StepStatus.objects.filter(progress__report=report).select_related("operation", "step")
    )


@pytest.mark.parametrize("viewport", [(1366, 768), (1920, 1080)])
def test_the_grid_by_keyboard_alone(live_server, browser, people, viewport):
    base = live_server.url
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, locale="ja-JP")
    login(page, base, "liaison-hagi")
    page.get_by_role("button", name="報告を作成する").click()
    report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2023)
    page.goto(f"{base}/standardization/reports/{report.pk}/grid/")
    assert_accessible(page, f"std-grid-{viewport[0]}")

    tab_to(page, "児童手当・ステップ1 推進体制の立ち上げ")  # the grid is one stop in the tab order
    page.keyboard.press("1")  # 完了済み
    page.keyboard.press("ArrowRight")
    assert focused_label(page) == "児童手当・ステップ2 現行システムの概要調査"
    page.keyboard.press("2")  # 作業中
    page.keyboard.press("ArrowDown")
    assert focused_label(page) == "子ども・子育て支援・ステップ2 現行システムの概要調査"
    page.keyboard.press("4")  # 対象外
    expect(page.locator("td.st-not_applicable")).to_have_count(1)
    page.keyboard.press("Tab")  # leaves the grid at once
    assert focused_label(page) == ""
    tab_to(page, "保存する")
    press_and_wait(page, "Enter")
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    assert cells(report) == [
        ("児童手当", 1, Status.DONE),
        ("児童手当", 2, Status.IN_PROGRESS),
        ("子ども・子育て支援", 2, Status.NOT_APPLICABLE),
    ]

    # a bulk action by keyboard: step 1 完了済み for every operation
    tab_to(page, "ステータス")  # the bulk status select, 完了済み first
    tab_to(page, "このステップを全業務に設定")
    press_and_wait(page, "Enter")
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    assert sum(1 for name, number, status in cells(report) if number == 1 and status == Status.DONE) == 20
    expect(page.locator("td.st-done")).to_have_count(20)
    assert_accessible(page, f"std-grid-saved-{viewport[0]}")

    page.goto(f"{base}/reports/{report.pk}/")
    expect(
        page.get_by_text("全業務について推進体制の立ち上げ").or_(page.get_by_text("20業務")).first
    ).to_be_visible()
    page.close()


def test_dashboard_and_karte_with_official_figures_are_accessible(live_server, browser, people):
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    login(page, live_server.url, "council")
    page.goto(f"{live_server.url}/standardization/")
    expect(page.locator("#official-formula")).to_contain_text("完了率 =（完了済み＋対象外）÷ 40")
    expect(page.locator("#targets-table")).to_contain_text("全業務の標準準拠システムへの移行")
    assert_accessible(page, "std-dashboard-official")
    page.goto(f"{live_server.url}/standardization/hagi/")
    expect(page.locator("#karte-targets")).to_be_visible()
    assert_accessible(page, "std-karte-official")
    page.close()
