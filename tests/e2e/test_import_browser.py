"""An editor's spreadsheet import in headless Chromium: the preview of a file with new, changed
and refused rows (row, column and reason in words), nothing written; then a good file confirmed.
Both run as jobs where production runs them: in a thread of the server under the embedded
default, and with Redis (CI) in a real Celery worker against the test database; the job's page
follows them with its progress bar and shows the report when they are done.

Set ONCOREGISTRY_SCREENSHOTS=1 to refresh docs/screenshots/import-preview.png (in the README).
"""

import datetime
import os

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from centers.models import CapacityFigure
from oncoregistry.tooling.fixtures import load_fixture_files
from tests import factories
from tests.e2e.test_admin_browser import log_in
from tests.e2e.test_site_browser import CHROMIUM, CHROMIUM_ARGS, chromium_present, screenshots
from tests.imports.conftest import csv_file, figure
from tests.imports.test_import_rules import existing_row
from tests.stats.test_worker import start_worker, stop, wait_for, worker_database_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["chromium_present", "screenshots"]

IMPORT = "/admin/centers/capacityfigure/import/"


@pytest.fixture
def job_runner(tmp_path):
    """What runs the jobs: nothing to start under the embedded default (a thread of the
    server); with Redis, a Celery worker on the test database, as in production."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from oncoregistry.celery import app

    env = {**os.environ, "DATABASE_URL": worker_database_url(), "ONCOREGISTRY_ENV": "test"}
    log = (tmp_path / "worker.log").open("w")
    worker = start_worker(env, log, "imports")
    try:
        wait_for(lambda: bool(app.control.ping(timeout=0.5)), 60, "the worker to start")
        yield worker
    finally:
        stop(worker)
        log.close()
    output = (tmp_path / "worker.log").read_text()
    assert "Traceback" not in output, output


def test_an_editor_previews_a_file_then_confirms_a_good_one(
    live_server, screenshots, tmp_path, job_runner
):
    load_fixture_files()
    editor = factories.EditorFactory(username="editor")
    future = str(datetime.date.today().year + 1)
    mixed = tmp_path / "nsoc-figures.csv"
    mixed.write_bytes(
        csv_file(
            [
                figure(),  # row 2: new
                existing_row(value="12500"),  # row 3: the published figure, changed
                figure(organization="no-such-center"),  # row 4: unknown organisation
                figure(date_year="2019", quote="Not in the article."),  # row 5: quote
                figure(kind="delivered", date_year=future),  # row 6: delivered in the future
            ]
        )
    )
    good = tmp_path / "nsoc-figure.csv"
    good.write_bytes(csv_file([figure()]))
    before = CapacityFigure.objects.count()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            log_in(page, live_server.url, editor.username)
            page.goto(f"{live_server.url}{IMPORT}")
            page.set_input_files("#id_import_file", str(mixed))
            page.click("input[type=submit][value=Preview]")
            page.wait_for_selector(".import-report")
            summary = page.locator(".import-summary").inner_text()
            assert summary == "1 new, 1 changed, 0 unchanged, 3 refused"
            rows = page.locator(".import-report tbody tr").all_inner_texts()
            assert rows[0].startswith("2\tnew")
            assert rows[1].startswith("3\tchanged") and "12000 → 12500" in rows[1]
            assert "organization: No organization has the slug “no-such-center”" in rows[2]
            assert rows[3].startswith("5\trefused") and "quote: This quote is not in" in rows[3]
            assert "date_year: A volume delivered cannot be dated in the future" in rows[4]
            assert page.locator("input[name=confirm]").count() == 0
            page.screenshot(path=str(screenshots / "import-preview.png"), full_page=True)

            page.set_input_files("#id_import_file", str(good))
            page.click("input[type=submit][value=Preview]")
            page.wait_for_selector("input[name=confirm]")
            page.click("input[name=confirm]")
            page.wait_for_selector(".import-done")
            message = page.locator(".import-done").inner_text()
            # Row 2 of the previewed file is this figure: had the preview written it, it would
            # not be new now.
            assert "Imported nsoc-figure.csv: 1 new, 0 changed, 0 unchanged." in message
            page.click("text=Back to the list")
            page.wait_for_url(f"{live_server.url}/admin/centers/capacityfigure/")
            context.close()
        finally:
            browser.close()
    assert CapacityFigure.objects.count() == before + 1
    new = CapacityFigure.objects.get(kind="capacity", metric__slug="diagnostic-surgical-procedures")
    assert new.publication_state == "draft"
