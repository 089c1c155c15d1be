"""The public site in headless Chromium: dashboard drawn, Russian, search by alias.

Set ONCOREGISTRY_SCREENSHOTS=1 to refresh docs/screenshots/ (shown in the README).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from oncoregistry.stats.services import statistics_refresh
from oncoregistry.tooling.fixtures import load_fixture_files

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def chromium_present():
    # Skipped only on a machine without Debian's chromium and outside CI; in CI
    # (ONCOREGISTRY_REQUIRE_SERVICES=1, .ci/run installs chromium) a missing browser fails.
    if not Path(CHROMIUM).exists():
        if os.environ.get("ONCOREGISTRY_REQUIRE_SERVICES"):
            pytest.fail(f"{CHROMIUM} is missing and the browser tests are required")
        pytest.skip(f"{CHROMIUM} is not installed")


@pytest.fixture
def screenshots(tmp_path):
    if os.environ.get("ONCOREGISTRY_SCREENSHOTS") == "1":
        return Path(settings.BASE_DIR) / "docs" / "screenshots"
    return tmp_path


def test_dashboard_language_switch_and_alias_search(live_server, screenshots):
    load_fixture_files()
    statistics_refresh()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requested, console_errors = [], []
            page.on("request", lambda request: requested.append(request.url))
            page.on(
                "console",
                lambda message: (
                    console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.goto(f"{live_server.url}/")
            assert page.locator("h1").inner_text() == "Oncology capacity of Kazakhstan"
            assert page.locator("figure.chart svg rect.bar").count() >= 8
            assert page.locator(".tile-map .tile").count() == 20
            assert page.locator(".tile-map .tile.shade-5").count() >= 1
            box = page.locator(".tile-map").bounding_box()
            assert box["width"] > 600 and box["height"] > 200  # the grid really laid out
            page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)

            # The language switch submits itself (static JS, no inline script).
            page.select_option("#language", "ru")
            page.wait_for_selector("html[lang=ru]")
            assert page.url == f"{live_server.url}/ru/"  # the language is in the address
            assert page.locator("h1").inner_text() == "Онкологический потенциал Казахстана"

            page.fill("#site-search", "National Scientific Oncology Center")
            page.press("#site-search", "Enter")
            page.wait_for_url("**/search/**")
            page.click("a[href='/ru/centers/national-research-oncology-center/']")
            page.wait_for_url("**/centers/national-research-oncology-center/")
            assert "National Research Oncology Center" in page.locator("h1").inner_text()
            assert page.locator("text=ProBeam 360").count() == 1  # shown under its unit
            assert page.locator(".cites a").count() >= 10

            page.select_option("#language", "en")
            page.wait_for_selector("html[lang=en]")
            # The switch keeps the page.
            assert page.url == f"{live_server.url}/centers/national-research-oncology-center/"
            page.screenshot(path=str(screenshots / "center.png"), full_page=True)
            page.locator(".cites a").first.click()
            page.wait_for_url("**/sources/**#quote-*")
            target = page.locator(":target")
            assert target.count() == 1
            assert page.locator(":target, :target + mark").last.evaluate(
                "element => element.closest('article') !== null"
            )
            page.screenshot(path=str(screenshots / "source.png"), full_page=True)
        finally:
            browser.close()
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert console_errors == []
