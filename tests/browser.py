"""Real Chromium through Playwright, and axe-core, for the browser tests of every app."""

import functools
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_browser(playwright):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"CI must run the browser tests, but {CHROMIUM} is missing (apt-get install chromium)"
            )
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def assert_accessible(page, name: str):
    """axe-core over the page as it is now: no WCAG 2.1 A/AA violation. Saves a screenshot too."""
    save_screenshot(page, name)
    # injected once per document (a page checked in several states keeps it); axe reports every
    # violating node in full and, with resultTypes, skips building selectors for the nodes that pass
    # (the slowest part of a run, and nothing this check reads)
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(_axe_script())
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)
    summary = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )
    assert not violations, f"axe-core on {name} ({page.url}):\n{summary}"


def save_screenshot(page, name: str) -> None:
    """The whole page as a PNG under test-artifacts/ for the reviewer (not an assertion). Chromium now
    and then refuses a full-page capture on this loaded 2-core machine ("Unable to capture
    screenshot", a known compositor hiccup: puppeteer#5341); it is asked once more, then for the
    visible part, rather than failing the check the picture only accompanies."""
    from playwright.sync_api import Error

    ARTIFACTS.mkdir(exist_ok=True)
    path = str(ARTIFACTS / f"{name}.png")
    for full_page in (True, True, False):
        try:
            page.screenshot(path=path, full_page=full_page)
            return
        except Error as error:
            if "Unable to capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(500)
    print(f"screenshot {name}: Chromium could not capture it")


@functools.cache
def _axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def login(page, base_url: str, username: str, password: str = "pw"):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base_url}/")


def logout(page):
    page.get_by_role("button", name="ログアウト").click()


def submit_report(page):
    """From a report's page, the liaison checks what they send and submits it."""
    page.get_by_role("link", name="提出内容を確認する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    expect(page.locator(".message-success")).to_contain_text("提出しました")


def approve_as_staff(page, base_url: str, municipality: str):
    """The prefecture's staff log in and approve the municipality's report from the review queue."""
    login(page, base_url, "prefecture")
    page.goto(f"{base_url}/reports/review/")
    page.get_by_role("link", name=municipality).click()
    page.get_by_role("button", name="承認する").click()
    expect(page.locator(".message-success")).to_contain_text("承認しました")
