"""A list's first page and its count are read in one statement (``CountedRows``): the count
is the number of records the filters select, whatever joins they make; an empty first page
and the later pages are paginated as Django paginates them (the count first)."""

import pytest

from tests import factories
from tests.api.test_filters import CASES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def computed(settings):
    """Every answer computed (no response cache), as the statements are what is tested."""
    settings.RESPONSE_CACHE_SECONDS = 0


def slugs(answer):
    return {row["slug"] for row in answer["results"]}


@pytest.mark.parametrize(("route", "query", "expected"), CASES)
def test_the_count_is_the_number_of_records_the_filters_select(
    anon, registry, route, query, expected
):
    answer = anon.get(f"/api/v1/{route}/?{query}").json()
    assert slugs(answer) == expected
    assert answer["count"] == len(answer["results"]) == len(expected)


def test_the_first_page_and_its_count_are_one_statement(
    anon, registry, django_assert_num_queries
):
    path = "/api/v1/organizations/?region=astana&page_size=2"
    anon.get(path)  # the region's slug is looked up once per version of the registry
    with django_assert_num_queries(1) as captured:
        answer = anon.get(path).json()
    assert "COUNT(*)" in captured.captured_queries[0]["sql"]
    assert answer["count"] == 3 and len(answer["results"]) == 2
    assert "page=2" in answer["next"]


def test_an_empty_first_page_is_counted_on_its_own(anon, registry, django_assert_num_queries):
    path = "/api/v1/organizations/?country=zz"
    with django_assert_num_queries(2):  # the page (no row to carry the count), the count
        answer = anon.get(path).json()
    assert answer["count"] == 0 and answer["results"] == [] and answer["next"] is None


def test_later_pages_are_counted_first_and_bounded(anon, registry, django_assert_num_queries):
    total = anon.get("/api/v1/organizations/").json()["count"]
    with django_assert_num_queries(2):  # the count, then the page
        second = anon.get("/api/v1/organizations/?page_size=2&page=2").json()
    assert second["count"] == total and len(second["results"]) == 2
    # Past the last page: counted, then 404; the offset never reaches the database (an
    # offset of 10**30 rows is no integer PostgreSQL or SQLite takes).
    for page in ("999", str(10**30)):
        beyond = anon.get(f"/api/v1/organizations/?page_size=2&page={page}")
        assert beyond.status_code == 404, page


def test_editors_and_the_public_each_count_their_own_records(anon, editor_client, registry):
    factories.OrganizationFactory(slug="a-draft", publication_state="draft")
    for _ in range(2):  # the lists' rows are built once per viewset: either order, any time
        public = anon.get("/api/v1/organizations/?page_size=500").json()
        editors = editor_client.get("/api/v1/organizations/?page_size=500").json()
        assert "a-draft" not in slugs(public) and public["count"] == len(public["results"])
        assert "a-draft" in slugs(editors) and editors["count"] == public["count"] + 1
