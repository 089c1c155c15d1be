"""The admin in headless Chromium as an editor sees it: the home page groups the registry
by subject with counts, and no page is wider than the window at 1280 px or scrolls
sideways on a 390 px phone.

Set ONCOREGISTRY_SCREENSHOTS=1 to refresh docs/screenshots/admin-*.png.
"""

import pytest
from playwright.sync_api import sync_playwright

from centers.models import CapacityFigure, Organization
from oncoregistry.tooling.fixtures import load_fixture_files
from tests import factories
from tests.e2e.test_site_browser import CHROMIUM, CHROMIUM_ARGS, chromium_present, screenshots

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["chromium_present", "screenshots"]  # fixtures shared with the site's browser test

PASSWORD = "correct horse battery staple"
WIDTHS = (1280, 390)


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def overflow(page):
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def test_editor_home_and_pages_that_fit(live_server, screenshots):
    load_fixture_files()
    editor = factories.EditorFactory(username="editor")
    figure = CapacityFigure.objects.select_related("organization").order_by("pk").first()
    nsoc = Organization.objects.get(slug="national-research-oncology-center")
    pages = {
        "index": "/admin/",
        "figure list": "/admin/centers/capacityfigure/",
        "organisation form": f"/admin/centers/organization/{nsoc.pk}/change/",
        "figure form": f"/admin/centers/capacityfigure/{figure.pk}/change/",
        "figure add form": "/admin/centers/capacityfigure/add/",
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for language in ("en", "ru"):
                context = browser.new_context(
                    viewport={"width": 1280, "height": 900}, locale=language
                )
                page = context.new_page()
                log_in(page, live_server.url, editor.username)
                assert page.locator("html").get_attribute("lang") == language
                captions = page.locator(".registry-group caption").all_inner_texts()
                assert len(captions) == 6  # five subjects and the review
                counts = page.locator(".registry-group .record-count").all_inner_texts()
                assert all(count.strip().isdigit() for count in counts)
                shot = screenshots / f"admin-index-{language}.png"
                page.screenshot(path=str(shot), full_page=True)
                page.goto(live_server.url + pages["figure form"])
                shot = screenshots / f"admin-figure-{language}.png"
                page.screenshot(path=str(shot), full_page=True)
                context.close()

            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            log_in(page, live_server.url, editor.username)
            too_wide = {}
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for name, path in pages.items():
                    page.goto(live_server.url + path)
                    if overflow(page) > 0:
                        too_wide[f"{name} at {width} px"] = overflow(page)
            assert too_wide == {}
        finally:
            browser.close()
