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
            bars = page.locator("figure.chart .bars-html .bar")
            assert bars.count() >= 8
            widths = bars.evaluate_all("bars => bars.map(b => b.getBoundingClientRect().width)")
            assert max(widths) > 200 and min(widths) > 0  # drawn, at their lengths
            assert page.locator(".region-map svg path.region").count() == 20
            assert page.locator(".region-map svg path.region.shade-5").count() >= 1
            box = page.locator(".region-map svg").bounding_box()
            assert box["width"] > 400 and box["height"] > 200  # the map really laid out
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
            # Shown under its unit (its model name is marked lang="en": a second element).
            assert page.get_by_text("ProBeam 360 proton therapy system").count() == 1
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


def test_map_by_machines_per_million_and_commitments_in_three_languages(
    live_server, screenshots
):
    """The choropleth coloured by radiotherapy machines per million and the commitments
    page, in English, Russian and Kazakh (the screenshots in docs/screenshots/)."""
    load_fixture_files()
    statistics_refresh()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for language, prefix in (("en", ""), ("ru", "/ru"), ("kk", "/kk")):
                page.goto(f"{live_server.url}{prefix}/?measure=radiotherapy_per_million")
                page.wait_for_selector(f"html[lang={language}]")
                assert page.locator(".region-map svg path.region").count() == 20
                # Only Astana's machines are recorded: it alone is shaded, the rest say so.
                assert page.locator("a[data-region=astana] path.shade-5").count() == 1
                assert page.locator("path.region.shade-0").count() == 19
                assert page.locator(".region-map circle.center-point").count() >= 5
                assert page.locator("tr[data-region=astana] td").inner_text().startswith(
                    {"en": "at least 5.43", "ru": "не менее 5,43", "kk": "кемінде 5,43"}[language]
                )
                page.locator("#map-title").scroll_into_view_if_needed()
                page.locator(".map-section").screenshot(
                    path=str(screenshots / f"map-machines-per-million-{language}.png")
                )
                page.goto(f"{live_server.url}{prefix}/commitments/")
                assert page.locator("table.commitments tbody tr").count() == 27
                assert page.locator("tr.status-due_this_year").count() == 1
                page.screenshot(
                    path=str(screenshots / f"commitments-{language}.png"), full_page=True
                )
            page.goto(f"{live_server.url}/regions/astana/")
            assert "5.43" in page.locator("[data-indicator=radiotherapy] .figure").inner_text()
        finally:
            browser.close()
