"""The change feed: creations, changes and deletions in order, by cursor, so an incremental
copy (replaying the feed over a copy) ends equal to the registry."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from centers.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


def feed(client, status=200, **params):
    response = client.get("/api/v1/changes/", params)
    assert response.status_code == status, response.content
    return response.json()


def walk(client, **params):
    """Every change, page by page, following ``next``."""
    page = feed(client, **params)
    found = list(page["results"])
    while page["next"]:
        page = client.get(page["next"]).json()
        found += page["results"]
    return found, page["resume"]


def test_creation_change_and_deletion_in_order(client):
    since = timezone.now().isoformat()
    region = factories.RegionFactory(slug="north", name="North", kind="region")
    clinic = factories.OrganizationFactory(slug="clinic", name="Clinic", region=region)
    clinic.name, clinic.city = "Clinic Renamed", "Petropavl"
    clinic.save()
    clinic.delete()

    changes, _resume = walk(client, since=since, resource="organizations", page_size=1)
    mine = [c for c in changes if c["slug"] == "clinic"]
    assert mine[0]["kind"] == "created"
    assert mine[-1]["kind"] == "deleted"
    assert mine[-1]["url"] is None
    renamed = [c for c in mine if c["kind"] == "changed" and "name" in c["fields"]]
    assert len(renamed) == 1
    assert set(renamed[0]["fields"]) == {"name", "city"}
    assert renamed[0]["url"].endswith("/api/v1/organizations/clinic/")
    times = [c["time"] for c in changes]
    assert times == sorted(times)


def test_an_incremental_copy_stays_exact(client):
    """Replaying the feed over a copy yields the registry's slugs, deletions included."""
    start = timezone.now().isoformat()
    kept = factories.OrganizationFactory(slug="kept", name="Kept")
    gone = factories.OrganizationFactory(slug="gone", name="Gone")
    changes, resume = walk(client, since=start, resource="organizations", page_size=2)
    copy = {c["slug"] for c in changes if c["kind"] == "created"}
    assert copy == {"kept", "gone"}

    gone.delete()
    kept.name = "Kept, renamed"
    kept.save()
    later = client.get(resume).json()
    assert [(c["kind"], c["slug"]) for c in later["results"]] == [
        ("deleted", "gone"),
        ("changed", "kept"),
    ]
    for change in later["results"]:
        if change["kind"] == "deleted":
            copy.discard(change["slug"])
    assert copy == set(
        Organization.objects.filter(slug__in=["kept", "gone"]).values_list("slug", flat=True)
    )
    assert client.get(later["resume"]).json()["results"] == []


def test_a_nested_record_changes_its_parent(client):
    since = timezone.now().isoformat()
    agreement = factories.AgreementFactory(slug="memo")
    factories.AgreementPartyFactory(agreement=agreement)
    changes, _resume = walk(client, since=since, resource="agreements")
    assert ("changed", "memo", ["parties"]) in [
        (c["kind"], c["slug"], c["fields"]) for c in changes
    ]


def test_citations_are_addressed_by_id(client):
    since = timezone.now().isoformat()
    figure = factories.CapacityFigureFactory()
    changes, _resume = walk(client, since=since, resource="citations")
    citation = figure.citations.get()
    mine = next(change for change in changes if change["id"] == citation.pk)
    assert mine["slug"] == str(citation.pk)
    assert mine["url"].endswith(f"/api/v1/citations/{citation.pk}/")


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"regoin": "astana"}, "regoin"),
        ({"since": "yesterday"}, "since"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"resource": "patients"}, "resource"),
    ],
)
def test_bad_parameters_are_400s_naming_them(client, params, named):
    body = feed(client, status=400, **params)
    assert named in body
    if named == "regoin":
        assert "since" in body[named][0] and "cursor" in body[named][0]


def test_query_count(client, django_assert_num_queries):
    since = timezone.now().isoformat()
    for index in range(5):
        organization = factories.OrganizationFactory(slug=f"org-{index}")
        organization.name = f"Renamed {index}"
        organization.save()
    # the page across every history table; the versions before the changed organisations
    for size in (2, 100):
        with django_assert_num_queries(2):
            feed(client, since=since, resource="organizations", page_size=size)
