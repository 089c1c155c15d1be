"""``/api/v1/stats/``: every aggregate with computed_at and freshness."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from oncoregistry.core.response_cache import bump_registry_version
from oncoregistry.stats import services
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.statistics import keys
from tests import factories as f
from tests.stats.freshness import backdate_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def anon():
    return APIClient()


def test_list_gives_every_key_with_its_freshness(anon, django_assert_max_num_queries):
    f.OrganizationFactory()
    result = services.statistics_refresh()
    with django_assert_max_num_queries(3):  # the page, its count, the newest change
        response = anon.get("/api/v1/stats/")
    assert response.status_code == 200
    entries = {entry["key"]: entry for entry in response.json()["results"]}
    assert set(entries) == set(keys())
    organizations = entries["organizations"]
    assert organizations["payload"]["total"] == 1
    computed_at = datetime.datetime.fromisoformat(organizations["computed_at"])
    assert computed_at == result["computed_at"]
    assert organizations["data_updated_at"] is not None
    assert organizations["freshness"]["stale"] is False
    assert 0 <= organizations["freshness"]["age_seconds"] < 60
    assert organizations["url"].endswith("/api/v1/stats/organizations/")


def test_detail_by_key_and_staleness(anon, settings):
    settings.STATS_REFRESH_MINUTES = 15
    old = timezone.now() - datetime.timedelta(minutes=31)
    f.StatisticSnapshotFactory(key="headline", payload={"partnerships": 5}, computed_at=old)
    response = anon.get("/api/v1/stats/headline/")
    assert response.status_code == 200
    body = response.json()
    assert body["payload"] == {"partnerships": 5}
    assert body["freshness"]["stale"] is True
    assert body["freshness"]["age_seconds"] >= 31 * 60
    assert anon.get("/api/v1/stats/no-such-key/").status_code == 404


def test_stats_are_read_only_and_listed_at_the_root_and_in_the_schema(anon):
    assert anon.post("/api/v1/stats/", {"key": "x"}, format="json").status_code == 401
    assert "stats" in anon.get("/api/v1/").json()
    paths = anon.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/stats/" in paths and "/api/v1/stats/{key}/" in paths
    assert set(paths["/api/v1/stats/"]) == {"get"}


def test_the_api_answers_after_a_refresh_changes_the_snapshot(anon):
    services.statistics_refresh()
    before = anon.get("/api/v1/stats/organizations/").json()
    f.OrganizationFactory()
    services.statistics_refresh()
    after = anon.get("/api/v1/stats/organizations/").json()
    assert (before["payload"]["total"], after["payload"]["total"]) == (0, 1)
    parse = datetime.datetime.fromisoformat
    assert parse(after["computed_at"]) > parse(before["computed_at"])
    assert StatisticSnapshot.objects.count() == len(keys())


def test_stale_when_the_snapshot_misses_a_change_older_than_debounce_plus_refresh(anon, settings):
    settings.STATS_REFRESH_DEBOUNCE_SECONDS = 10
    settings.STATS_REFRESH_EXPECTED_SECONDS = 60
    f.OrganizationFactory()
    services.statistics_refresh()
    fresh = anon.get("/api/v1/stats/organizations/").json()["freshness"]
    assert fresh == {
        "age_seconds": fresh["age_seconds"],
        "stale": False,
        "missing_changes_since": None,
    }

    backdate_registry(0)  # a change the snapshot has not seen, its refresh still due
    body = anon.get("/api/v1/stats/organizations/").json()["freshness"]
    assert body["stale"] is False and body["missing_changes_since"] is not None
    # the snapshot's data is older than a change made 71 s ago (> 10 s + 60 s): stale
    missed = backdate_registry(71)
    StatisticSnapshot.objects.update(data_updated_at=missed - datetime.timedelta(seconds=1))
    bump_registry_version()  # the snapshot was rewritten behind the refresh
    body = anon.get("/api/v1/stats/organizations/").json()["freshness"]
    assert body["stale"] is True
