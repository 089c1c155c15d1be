"""The versioned response cache (oncoregistry/core/response_cache.py): anonymous answers
are served whole from the cache under the registry's version; any committed registry write
gives every answer a new key and a new ETag."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from centers.models import Organization
from oncoregistry.core.response_cache import bump_registry_version, registry_version
from oncoregistry.stats.services import statistics_refresh
from oncoregistry.stats.tasks import refresh_statistics
from tests import factories

pytestmark = pytest.mark.django_db

NSOC = "national-research-oncology-center"
#: Every list whose rows show the National Research Oncology Center's name.
LISTS_SHOWING_THE_NAME = [
    "/api/v1/capacity-figures/",
    "/api/v1/equipment/",
    "/api/v1/designations/",
    "/api/v1/organizations/",
    "/api/v1/organizations/?format=csv",
    "/api/v1/agreements/?organization=national-research-oncology-center",
]


def rename(slug, name):
    organization = Organization.objects.get(slug=slug)
    organization.name = name
    organization.save()


def test_a_rename_changes_the_etag_of_every_list_that_shows_the_name(anon, registry):
    etags = {}
    for url in LISTS_SHOWING_THE_NAME:
        response = anon.get(url)
        assert response.status_code == 200, url
        assert "National Research Oncology Center" in text(response), url
        etags[url] = response["ETag"]
        assert anon.get(url, HTTP_IF_NONE_MATCH=etags[url]).status_code == 304, url

    rename(NSOC, "Renamed Oncology Center")

    for url, etag in etags.items():
        response = anon.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200, url
        assert response["ETag"] != etag, url
    assert "Renamed Oncology Center" in anon.get("/api/v1/capacity-figures/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_visible_to_the_next_anonymous_request(registry):
    """API list, detail and CSV, a public page and the dashboard, each read (and cached)
    before an editor's change commits and read again after it."""
    statistics_refresh()
    bump_registry_version()
    client = Client()
    urls = [
        "/api/v1/organizations/",
        f"/api/v1/organizations/{NSOC}/",
        "/api/v1/capacity-figures/?format=csv",
        "/centers/",
        f"/centers/{NSOC}/",
        "/",
    ]
    before = {url: client.get(url) for url in urls}
    for url, response in before.items():
        assert response.status_code == 200, url
        assert "National Research Oncology Center" in text(response), url

    with transaction.atomic():
        rename(NSOC, "Renamed Oncology Center")
    # The dashboard shows the statistics snapshot: without Redis it was refreshed at the
    # commit; with Redis the refresh was queued, and a worker runs it (here, in-process).
    refresh_statistics.apply()

    for url in urls:
        after = text(client.get(url))
        assert "Renamed Oncology Center" in after, url
        assert "National Research Oncology Center" not in after, url


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations/?region=astana",
        f"/api/v1/organizations/{NSOC}/",
        "/api/v1/capacity-figures/?format=csv",
        "/api/v1/stats/",
        "/centers/",
        f"/centers/{NSOC}/",
        "/ru/centers/",
        "/regions/astana/",
        "/",
        "/kk/",
    ],
)
def test_a_warm_answer_costs_no_query(registry, url, django_assert_num_queries):
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200
    assert text(again) == text(first) or "csrfmiddlewaretoken" in text(first)
    assert again["ETag"] == first["ETag"]
    # A 304 for the ETag, still without a query.
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_with_the_cache_off_every_answer_is_computed_and_keeps_its_etag(registry, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    client, url = Client(), "/api/v1/organizations/?region=astana"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert len(queries) > 0  # computed again: nothing was stored
    assert again.json() == first.json() and again["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_signed_in_users_bypass_the_cache(registry, editor_client):
    url = "/api/v1/organizations/?region=astana"
    editor_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)
    assert response.status_code == 200 and "ETag" not in response
    # Derived again: the token, the editor's permissions, the slug, the page with its count.
    assert len(queries) >= 4

    user = factories.UserFactory(username="signed-in")
    session = Client()
    session.force_login(user)
    session.get("/centers/")
    response = session.get("/centers/")
    assert response.status_code == 200 and "ETag" not in response


def test_representations_are_cached_apart(registry):
    client = APIClient()
    url = "/api/v1/organizations/?region=astana"
    json = client.get(url, HTTP_ACCEPT="application/json")
    csv = client.get(url, HTTP_ACCEPT="text/csv")
    russian = client.get(url, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert json["Content-Type"].startswith("application/json")
    assert csv["Content-Type"].startswith("text/csv")
    assert len({json["ETag"], csv["ETag"], russian["ETag"]}) == 3
    assert "Accept" in json["Vary"] and "Accept-Language" in json["Vary"]
    # Repeated, each is answered from the cache as it was.
    assert client.get(url, HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")
    again = client.get(url, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert again.content == russian.content


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(registry):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/centers/")
    page = second.get("/centers/")  # served from the cache
    token = page.context is None and extract_token(text(page))
    assert token and token != extract_token(text(first.get("/centers/")))
    response = second.post("/i18n/setlang/", {"language": "ru", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def extract_token(html):
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_csv_too_large_to_keep_streams_every_time(registry, settings, django_assert_num_queries):
    settings.RESPONSE_CACHE_MAX_BYTES = 200
    client = Client()
    url = "/api/v1/organizations/?format=csv"
    first = client.get(url)
    assert first.streaming and len(text(first)) > 200
    again = client.get(url)
    assert again.streaming
    assert text(again) == text(client.get(url))


def test_the_version_moves_on_at_every_write_and_never_back(registry):
    before = registry_version()
    factories.RegionFactory(slug="new-region")
    assert registry_version() > before
