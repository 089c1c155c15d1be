"""Strict queries: an unknown parameter is a 400 naming it and listing what the endpoint
accepts, on every list (and detail); the parameters every list takes are accepted."""

import pytest

from .resources import ROUTES, SLUG_ROUTES

pytestmark = pytest.mark.django_db

EVERY_LIST = [*ROUTES, "stats", "changes", "releases"]


@pytest.mark.parametrize("route", EVERY_LIST)
def test_an_unknown_parameter_is_a_400_naming_it(anon, registry, route):
    response = anon.get(f"/api/v1/{route}/", {"regoin": "astana"})
    assert response.status_code == 400, response.content
    message = response.json()["regoin"][0]
    assert "format" in message and "lang" in message


@pytest.mark.parametrize("route", ROUTES)
def test_the_message_lists_the_filters(anon, registry, route):
    response = anon.get(f"/api/v1/{route}/", {"pagesize": "5"})
    message = response.json()["pagesize"][0]
    assert "ordering" in message and "page_size" in message


def test_known_parameters_still_filter(anon, registry):
    response = anon.get(
        "/api/v1/organizations/",
        {"region": "astana", "ordering": "name", "page": 1, "page_size": 5, "lang": "ru"},
    )
    assert response.status_code == 200, response.content
    assert "region" in response.json().get("results", [{}])[0]
    csv = anon.get("/api/v1/organizations/", {"region": "astana", "format": "csv"})
    assert csv.status_code == 200


@pytest.mark.parametrize("route", SLUG_ROUTES)
def test_a_detail_refuses_a_list_filter(anon, registry, route):
    first = anon.get(f"/api/v1/{route}/").json()["results"][0]
    response = anon.get(first["url"], {"region": "astana"})
    assert response.status_code == 400
    assert "region" in response.json()
