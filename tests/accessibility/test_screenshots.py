"""Screenshots of the portal's main pages at a phone's, a laptop's and the meeting screen's width, for
a reviewer to look at (CI keeps them under test-artifacts/screens/<width>/), and what a person checks
first on each: the page answers (200) and its title is in the first screen — at phone width the menu
must not push it below the fold."""

import pytest

from tests.accessibility.test_every_page import pages_with_content
from tests.browser import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [(390, 844), (1366, 768), (1920, 1080)]
LEFT_OUT = ("/accounts/", "/import/", "/present/")  # forms of one field; 会議モード has its own tests


def main_pages() -> dict[str, list[str]]:
    return {
        user: [url for url in urls if not any(part in url for part in LEFT_OUT)]
        for user, urls in pages_with_content().items()
    }


@pytest.mark.parametrize("width, height", SCREENS, ids=[str(w) for w, _ in SCREENS])
def test_main_pages_at_three_widths(width, height, live_server, browser, people):
    """One test a width, so the workers share them."""
    pages = main_pages()
    misplaced = []
    folder = ARTIFACTS / "screens" / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    for username, urls in pages.items():
        # a browser context of its own per person (at phone width the logout button is in the
        # folded menu)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
        page = context.new_page()
        login(page, live_server.url, username)
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, (width, username, url, response.status)
            name = f"{username}-{url.strip('/').replace('/', '_') or 'top'}"
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            title = page.locator("main h1").first.bounding_box()
            if title is None or title["y"] + title["height"] > height:
                misplaced.append((width, username, url, title and round(title["y"])))
        context.close()
    assert misplaced == [], "page titles below the first screen (width, user, url, top):\n" + "\n".join(
        map(str, misplaced)
    )
