"""Search finds a record by its name in English, Russian or Kazakh, in either script."""

import pytest

from oncoregistry.core.search import search_key
from tests import factories as f

pytestmark = pytest.mark.django_db

NSOC = "national-research-oncology-center"
SEMEY = "regional-radiopharmaceutical-center-semey"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Astana", "Астана"),
        ("Nazarbayev", "Назарбаев"),
        ("Zhezkazgan", "Жезқазған"),
        ("Jetisu", "Жетісу"),
        ("Oskemen", "Өскемен"),
        ("Kyzylorda", "Қызылорда"),
        ("Yesil", "Есиль"),
    ],
)
def test_latin_and_cyrillic_spellings_share_one_key(latin, cyrillic):
    assert search_key(latin) == search_key(cyrillic)


@pytest.fixture(scope="module")
def registry(seeded_module):
    return seeded_module


def slugs(response, key="results"):
    assert response.status_code == 200, response.content[:300]
    return {row["slug"] for row in response.json()[key]}


@pytest.mark.parametrize("query", ["Астана", "astana", "АСТАНА"])
def test_the_api_finds_centers_by_their_city_in_either_script(registry, db, client, query):
    for parameter in ("q", "search"):
        found = slugs(client.get("/api/v1/organizations/", {parameter: query}))
        assert NSOC in found, (parameter, query)


@pytest.mark.parametrize("query", ["Назарбаев", "Nazarbayev", "НАЗАРБАЕВ"])
def test_an_english_name_is_found_by_its_cyrillic_spelling(registry, db, client, query):
    assert "nazarbayev-university" in slugs(client.get("/api/v1/organizations/", {"q": query}))


def test_a_name_entered_in_russian_or_kazakh_is_found_in_any_case_and_script(db, client):
    center = f.OrganizationFactory(name="Regional Oncology Dispensary", region=None)
    center.name_ru = "Областной онкологический диспансер"
    center.name_kk = "Облыстық онкологиялық диспансер"
    center.save()  # the search key follows the save
    for query in ("онкологический", "ОНКОЛОГИЧЕСКИЙ", "onkologicheskiy", "облыстық"):
        assert center.slug in slugs(client.get("/api/v1/organizations/", {"q": query})), query
    assert center.slug not in slugs(client.get("/api/v1/organizations/", {"q": "Астана"}))


def test_region_and_therapy_names_are_found_in_russian_and_kazakh(registry, db, client):
    assert "abai-region" in slugs(client.get("/api/v1/regions/", {"search": "Семей"}))
    assert "abai-region" in slugs(client.get("/api/v1/regions/", {"q": "абай облысы"}))
    assert "proton-therapy" in slugs(client.get("/api/v1/therapies/", {"q": "протонная"}))


def test_site_search_by_astana_in_russian(registry, db, client, django_assert_num_queries):
    with django_assert_num_queries(4):  # organisations, therapies, agreements, sources
        page = client.get("/ru/search/", {"q": "Астана"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/ru/centers/{NSOC}/"' in html
    assert f'href="/ru/centers/{SEMEY}/"' not in html


@pytest.mark.parametrize("size", [1, 100])
def test_searching_costs_the_same_queries_at_any_page_size(
    registry, db, client, django_assert_num_queries, size
):
    with django_assert_num_queries(1):  # the page with its count
        response = client.get("/api/v1/organizations/", {"q": "Астана", "page_size": size})
    assert response.status_code == 200
