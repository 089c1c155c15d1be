"""The admin in headless Chromium as its two roles use it (issue 19): an editor finds their
queues on the home page and adds a capacity figure whose quote is chosen by selecting the
passage in the source's text; a reviewer finds it waiting for review, oldest first; and no
page is wider than the window at 1280 px or scrolls sideways on a 390 px phone.

Set ONCOREGISTRY_SCREENSHOTS=1 to refresh docs/screenshots/admin-*.png (in the README).
"""

import pytest
from playwright.sync_api import sync_playwright

from centers.models import CapacityFigure, Organization
from oncoregistry.review import services
from oncoregistry.sources.models import Source
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


CITATION = "sources-citation-content_type-object_id"
#: The article's words for the figure the editor adds again (fixtures/20_center_facts.json).
PASSAGE = "up to 330 organ and bone marrow transplants"


def choose(page, select_id, search, option):
    """Picks ``option`` in the admin's autocomplete (Select2) of the select ``select_id``."""
    page.click(f'[id="{select_id}"] + .select2 .select2-selection')
    page.fill(".select2-container--open .select2-search__field", search)
    page.locator(".select2-results__option", has_text=option).first.click()


def select_in_source_text(page, passage):
    """Selects ``passage`` in the source text shown under the citations as a person does:
    pressing the mouse before its first letter and releasing it after its last."""
    box = page.evaluate(
        """(passage) => {
            const body = document.querySelector(".source-text");
            const node = body.firstChild;
            const start = node.data.indexOf(passage);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + 1);
            const above = range.getBoundingClientRect().top - body.getBoundingClientRect().top;
            body.scrollTop += above - 20;
            body.scrollIntoView({block: "center"});
            const first = range.getBoundingClientRect();
            range.setStart(node, start + passage.length - 1);
            range.setEnd(node, start + passage.length);
            const last = range.getBoundingClientRect();
            return {x0: first.left + 1, y0: first.top + first.height / 2,
                    x1: last.right - 1, y1: last.top + last.height / 2};
        }""",
        passage,
    )
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=8)
    page.mouse.up()


def queue(page, key):
    """``(total, [line texts])`` of a queue on the admin's home page."""
    section = page.locator(f"#queue-{key}")
    total = int(section.locator("h3 .queue-count").inner_text())
    return total, [" ".join(text.split()) for text in section.locator("li").all_inner_texts()]


def test_editor_and_reviewer_queues_a_quoted_figure_and_pages_that_fit(live_server, screenshots):
    load_fixture_files()
    editor = factories.EditorFactory(username="editor")
    second_editor = factories.EditorFactory(username="second-editor")
    reviewer = factories.ReviewerFactory(username="reviewer")
    nsoc = Organization.objects.get(slug="national-research-oncology-center")
    article = Source.objects.get(slug="primeminister-kz-bektenov-nsoc-nu-visit")
    # The editor adds the transplants figure again, from the article.
    CapacityFigure.objects.get(slug="nsoc-organ-bone-marrow-transplants-per-year").delete()
    # Sent back to the editor: a change a reviewer rejected.
    procedures = CapacityFigure.objects.get(
        organization=nsoc, metric__slug="diagnostic-surgical-procedures"
    )
    rejected = services.record_write(
        procedures, {"qualifier": "exact"}, user=editor, reason="12,000 as the article gives it"
    )
    services.reject(rejected, reviewer=reviewer, comment="The article says about 12,000")
    # Waiting for the reviewer: another editor's change, proposed before the editor's figure.
    courses = CapacityFigure.objects.get(
        organization=nsoc, metric__slug="radiation-proton-therapy-courses"
    )
    services.record_write(
        courses,
        {"notes": "Radiation and proton therapy courses together."},
        user=second_editor,
        reason="The article counts both kinds of course in one number",
    )
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            log_in(page, base, editor.username)
            assert queue(page, "drafts") == (0, [])
            assert queue(page, "sent_back") == (1, ["Your changes a reviewer rejected 1"])
            assert page.locator("#queue-waiting").count() == 0  # an editor reviews nothing

            # A capacity figure, its quote chosen by selecting the passage in the article.
            page.goto(f"{base}/admin/centers/capacityfigure/add/")
            choose(page, "id_organization", "National Research", "National Research Oncology")
            choose(page, "id_metric", "transplants", "Organ and bone marrow transplants")
            page.fill("#id_value", "330")
            page.select_option("#id_qualifier", "up_to")
            page.select_option("#id_kind", "delivered")
            page.select_option("#id_period", "per_year")
            page.locator(f"#{CITATION}-group .add-row a").click()
            choose(page, f"id_{CITATION}-0-source", "Bektenov", "Prime Minister Olzhas Bektenov")
            panel = page.locator(".source-text-panel")
            panel.locator(".source-text").wait_for(state="visible")  # read, not loading
            assert article.title in panel.locator("h3").inner_text()
            select_in_source_text(page, PASSAGE)
            quote = page.locator(f"#id_{CITATION}-0-quote")
            assert quote.input_value() == PASSAGE
            assert (
                "citation 1 is the selected passage" in panel.locator("[role=status]").inner_text()
            )
            page.select_option(f"#id_{CITATION}-0-field_name", "value")
            page.screenshot(path=str(screenshots / "admin-figure-en.png"), full_page=True)
            page.locator("input[name=_save]").last.click()
            page.wait_for_url(f"{base}/admin/centers/capacityfigure/")
            page.goto(f"{base}/admin/")
            assert queue(page, "drafts") == (1, ["Capacity figures 1"])
            page.screenshot(path=str(screenshots / "admin-index-en.png"), full_page=True)
            page.locator("#queue-drafts a").click()
            page.wait_for_url(f"{base}/admin/centers/capacityfigure/?queue=drafts")
            assert page.locator("#result_list tbody tr").count() == 1
            link = page.locator("#result_list tbody tr a").first.get_attribute("href")
            figure_form = link.split("?")[0]
            assert errors == []

            # The same home and form in Russian.
            russian = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru")
            ru = russian.new_page()
            log_in(ru, base, editor.username)
            assert ru.locator("html").get_attribute("lang") == "ru"
            assert "Мои черновики" in ru.locator("#queue-drafts h3").inner_text()
            ru.screenshot(path=str(screenshots / "admin-index-ru.png"), full_page=True)
            ru.goto(base + figure_form)
            ru.locator(f"#id_{CITATION}-0-quote").focus()
            ru.locator(".source-text-panel").wait_for(state="visible")
            assert "Текст источника" in ru.locator(".source-text-panel h3").inner_text()
            ru.screenshot(path=str(screenshots / "admin-figure-ru.png"), full_page=True)
            russian.close()

            # Sent for review: the reviewer finds it waiting, after the older change.
            page.goto(base + figure_form)
            page.click("button[name=action][value=submit]")
            page.wait_for_url(base + figure_form)
            assert "In review" in page.locator(".review-status").inner_text()
            pages = {
                "editor's home": "/admin/",
                "figure list": "/admin/centers/capacityfigure/",
                "organisation form": f"/admin/centers/organization/{nsoc.pk}/change/",
                "figure form": figure_form,
                "figure add form": "/admin/centers/capacityfigure/add/",
            }
            too_wide = {}
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for name, path in pages.items():
                    page.goto(base + path)
                    if overflow(page) > 0:
                        too_wide[f"{name} at {width} px"] = overflow(page)
                # The form with the source's text open under the citations.
                page.goto(base + pages["figure form"])
                page.locator(f"#id_{CITATION}-0-quote").focus()
                page.locator(".source-text-panel").wait_for(state="visible")
                if overflow(page) > 0:
                    too_wide[f"source text at {width} px"] = overflow(page)
            context.close()

            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
            page = context.new_page()
            log_in(page, base, reviewer.username)
            total, lines = queue(page, "waiting")
            # Oldest first: the change was proposed before the figure was sent for review.
            assert total == 2
            assert lines[0].startswith("Changes to published records 1 oldest since")
            assert lines[1].startswith("Capacity figures 1 oldest since")
            page.locator("#queue-waiting a", has_text="Capacity figures").click()
            page.wait_for_url(f"{base}/admin/centers/capacityfigure/?queue=waiting")
            rows = page.locator("#result_list tbody tr").all_inner_texts()
            assert len(rows) == 1 and "330" in rows[0]
            page.goto(f"{base}/admin/")
            page.locator("#queue-waiting a", has_text="Changes to published records").click()
            page.wait_for_url(f"{base}/admin/review/changerequest/?queue=waiting")
            assert page.locator("#result_list tbody tr").count() == 1
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for name, path in {
                    "reviewer's home": "/admin/",
                    "waiting figures": "/admin/centers/capacityfigure/?queue=waiting",
                    "waiting changes": "/admin/review/changerequest/?queue=waiting",
                }.items():
                    page.goto(base + path)
                    if overflow(page) > 0:
                        too_wide[f"{name} at {width} px"] = overflow(page)
            assert too_wide == {}
            assert errors == []
            context.close()
        finally:
            browser.close()
    figure = CapacityFigure.objects.get(
        organization=nsoc, metric__slug="organ-bone-marrow-transplants"
    )
    assert (figure.value, figure.qualifier, figure.kind) == (330, "up_to", "delivered")
    assert figure.publication_state == "in_review"
    citation = figure.citations.get()
    assert (citation.source, citation.quote, citation.field_name) == (article, PASSAGE, "value")
