"""The API over the registry as `make run` loads it (the fixtures in fixtures/)."""

import csv
import io

import pytest

from centers.models import Region
from oncoregistry.sources.models import Source
from tests.api.test_queries import BUDGET

pytestmark = pytest.mark.django_db


def check_regions_and_sources(anon):
    regions = anon.get("/api/v1/regions/?page_size=500").json()
    assert regions["count"] == Region.objects.count() == 20
    cities = anon.get("/api/v1/regions/?kind=city").json()["results"]
    assert {r["slug"] for r in cities} == {"astana", "almaty", "shymkent"}
    response = anon.get("/api/v1/sources/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["slug"] for row in rows} == set(Source.objects.values_list("slug", flat=True))
    assert len(rows) >= 4


NSOC = "national-research-oncology-center"


def check_alias_search(anon):
    for param in ("search", "q"):
        response = anon.get(f"/api/v1/organizations/?{param}=National Scientific Oncology Center")
        assert response.status_code == 200
        assert NSOC in {row["slug"] for row in response.json()["results"]}, param


def check_centers_of_astana_as_csv(anon):
    response = anon.get("/api/v1/organizations/?region=astana&format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    slugs = {row["slug"] for row in rows}
    assert {NSOC, "proton-therapy-center", "center-for-radiation-technologies"} <= slugs
    assert {row["region"] for row in rows} == {"astana"}
    assert "almaty-city-administration" not in slugs


def check_detail_cites_its_sources(anon):
    body = anon.get(f"/api/v1/organizations/{NSOC}/").json()
    assert "National Scientific Oncology Center" in body["aliases"]
    assert body["citations"]
    for citation in body["citations"]:
        source = Source.objects.get(slug=citation["source"]["slug"])
        assert citation["quote"] in source.text
    unit = anon.get("/api/v1/organizations/proton-therapy-center/").json()
    assert unit["parent"]["slug"] == NSOC


def check_query_counts(anon, django_assert_max_num_queries):
    for route, (list_budget, _detail_budget) in BUDGET.items():
        for page_size in (1, 100):
            with django_assert_max_num_queries(list_budget):
                assert anon.get(f"/api/v1/{route}/?page_size={page_size}").status_code == 200


def test_the_api_over_the_seeded_registry(anon, seeded, django_assert_max_num_queries):
    """One load of the fixtures for all the checks (loading them takes seconds)."""
    check_regions_and_sources(anon)
    check_alias_search(anon)
    check_centers_of_astana_as_csv(anon)
    check_detail_cites_its_sources(anon)
    check_query_counts(anon, django_assert_max_num_queries)
