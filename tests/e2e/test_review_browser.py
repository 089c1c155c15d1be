"""The reviewer's screen in headless Chromium: an editor's proposed change to a published
capacity figure, field by field with the record's citations, approved by a reviewer.

Set ONCOREGISTRY_SCREENSHOTS=1 to refresh docs/screenshots/review-diff.png (in the README).
"""

import pytest
from playwright.sync_api import sync_playwright

from centers.models import CapacityFigure
from oncoregistry.review import services
from oncoregistry.review.models import ChangeRequest
from oncoregistry.tooling.fixtures import load_fixture_files
from tests import factories
from tests.e2e.test_admin_browser import log_in
from tests.e2e.test_site_browser import CHROMIUM, CHROMIUM_ARGS, chromium_present, screenshots

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["chromium_present", "screenshots"]


def test_a_reviewer_reads_the_change_in_words_and_approves_it(live_server, screenshots):
    load_fixture_files()
    editor = factories.EditorFactory(username="editor")
    reviewer = factories.ReviewerFactory(username="reviewer")
    figure = (
        CapacityFigure.objects.filter(citations__isnull=False, qualifier="about")
        .select_related("organization", "metric")
        .order_by("pk")
        .first()
    )
    change = services.record_write(
        figure,
        {"value": figure.value + 500, "qualifier": "over"},
        user=editor,
        reason="The ministry's 2025 report gives a higher figure",
    )
    assert isinstance(change, ChangeRequest)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            log_in(page, live_server.url, reviewer.username)
            page.goto(f"{live_server.url}/admin/review/changerequest/{change.pk}/change/")
            rows = page.locator(".review-diff tbody tr").all_inner_texts()
            assert any(
                row.startswith("Qualifier") and "about" in row and "over" in row for row in rows
            ), rows
            assert page.locator(".review-citations li").count() >= 1
            page.screenshot(path=str(screenshots / "review-diff.png"), full_page=True)
            page.fill("#id_comment", "Checked against the report")
            page.click("input[name=_approve]")
            page.wait_for_url(f"{live_server.url}/admin/review/changerequest/queue/")
            assert "Approved" in page.locator(".messagelist").inner_text()
            context.close()
        finally:
            browser.close()
    figure.refresh_from_db()
    assert figure.qualifier == "over"
