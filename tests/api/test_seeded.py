"""The API over the registry as `make run` loads it (the fixtures in fixtures/)."""

import csv
import io

import pytest

from centers.models import Region
from oncoregistry.sources.models import Source

pytestmark = pytest.mark.django_db


def test_seeded_regions_and_sources(anon, seeded):
    regions = anon.get("/api/v1/regions/?page_size=500").json()
    assert regions["count"] == Region.objects.count() == 20
    cities = anon.get("/api/v1/regions/?kind=city").json()["results"]
    assert {r["slug"] for r in cities} == {"astana", "almaty", "shymkent"}
    response = anon.get("/api/v1/sources/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["slug"] for row in rows} == set(Source.objects.values_list("slug", flat=True))
    assert len(rows) >= 4
