"""Swagger UI really renders in a browser under the site's Content-Security-Policy, with
every asset served by the app itself (no CDN)."""

import pytest
from playwright.sync_api import sync_playwright

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_swagger_ui_renders_every_operation_from_local_assets(live_server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            requested, console_errors = [], []
            page.on("request", lambda request: requested.append(request.url))
            page.on(
                "console",
                lambda message: (
                    console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_selector(".opblock", timeout=30_000)
            assert page.locator(".opblock").count() >= 26
            assert page.locator("text=/api/v1/organizations/").count() >= 1
        finally:
            browser.close()
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert console_errors == []
