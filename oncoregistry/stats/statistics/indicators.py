"""Capacity against population and benchmarks: per-capita indicators per region and for
the country.

* radiotherapy machines (operating linear accelerators and proton systems, stated counts
  summed) per million people, against the benchmark of kind "recommendation" (the IAEA's
  4 per million), with the machines the benchmark would need and the gap to it;
* PET/CT scanners per million, beside the observed level of high-income countries;
* annual capacity (and annual volume delivered) per 100,000 people, one per metric and
  kind: figures of different metrics or kinds are never added.

Populations are the reference data (``reference.RegionPopulation``) at one date for every
region: the newest date at which all regions have a figure, so regions stay comparable.
Every indicator carries the records it was computed from: the registry holds only what
has been entered, never a national inventory.
"""

import math
from typing import TypedDict

from django.db.models import Count, Sum

from centers.models import Equipment, EquipmentStatus
from reference.models import Benchmark, BenchmarkIndicator, BenchmarkKind, RegionPopulation

from . import figures
from .base import QUALIFIERS, CountedFigure, figure, number, per_qualifier, region_slug_rows

KEY = "indicators"
RADIOTHERAPY = (Equipment.Category.LINEAR_ACCELERATOR, Equipment.Category.PROTON_THERAPY_SYSTEM)
PET_CT = (Equipment.Category.PET_CT,)
COUNTRY = "country"


class Source(TypedDict):
    slug: str
    title: str
    publisher: str


class Population(TypedDict):
    as_of: str | None  # ISO date; None when no date covers every region
    total: int
    by_region: dict[str, int]
    sources: list[Source]


class BenchmarkFigure(TypedDict):
    indicator: str
    kind: str  # recommendation / observed_level / reported_total
    value: int | float
    unit: str
    scope: str
    as_of: str
    statement: str
    source: Source


class MachineIndicator(TypedDict):
    machines: CountedFigure  # operating machines the registry holds, qualifier carried
    population: int | None
    per_million: float | None  # None when the registry holds no machine record here
    needed: float | None  # machines the recommendation would need for this population
    gap: int | None  # machines short of it (0 when the registry's count reaches it)


class MachineIndicators(TypedDict):
    categories: list[str]
    benchmark: BenchmarkFigure | None  # the recommendation (or observed level) compared with
    regions: dict[str, MachineIndicator]
    country: MachineIndicator


class AnnualFigure(TypedDict):
    value: int | float
    qualifier: str
    records: int
    per_100k: float | None


class AnnualIndicator(TypedDict):
    metric: str
    name: str
    name_ru: str
    name_kk: str
    unit: str
    kind: str  # capacity / delivered
    regions: dict[str, AnnualFigure]
    country: AnnualFigure


class IndicatorsPayload(TypedDict):
    population: Population
    benchmarks: list[BenchmarkFigure]
    radiotherapy: MachineIndicators
    pet_ct: MachineIndicators
    annual: list[AnnualIndicator]


def population_rows():
    """``(as_of, region_slug, value, source slug, title, publisher)``, newest date first."""
    return (
        RegionPopulation.objects.published()
        .order_by("-as_of", "region__slug")
        .values_list(
            "as_of", "region__slug", "value", "source__slug", "source__title", "source__publisher"
        )
    )


def benchmark_rows():
    return (
        Benchmark.objects.published()
        .order_by("indicator", "kind")
        .values_list(
            "indicator",
            "kind",
            "value",
            "unit",
            "scope",
            "as_of",
            "statement",
            "source__slug",
            "source__title",
            "source__publisher",
        )
    )


def machine_rows():
    """``(region_slug | None, category, total, records, *stated per qualifier)``: operating
    radiotherapy machines and PET/CT scanners of organisations in Kazakhstan."""
    return (
        Equipment.objects.published()
        .filter(
            figures.in_kazakhstan(),
            status=EquipmentStatus.OPERATING,
            category__in=[*RADIOTHERAPY, *PET_CT],
        )
        .values_list("organization__region__slug", "category")
        .annotate(
            total=Sum("count"),
            records=Count("id"),
            **per_qualifier("count_qualifier", counted="count"),
        )
        .order_by()
    )


def annual_rows(refresh):
    """``(region_slug | None, metric slug, name, name_ru, name_kk, unit, kind, total, n,
    *per qualifier)``: annual figures of organisations in Kazakhstan, by region, metric
    and kind, in the order of metric slug and kind (added up by ``figures.sums``)."""
    found = figures.sums(refresh)
    return [
        (region, *found.metrics[metric_id][:5], kind, total, n, *counts)
        for (metric_id, kind, region), (total, n, counts) in sorted(
            found.annual.items(), key=lambda item: (found.metrics[item[0][0]][0], item[0][1])
        )
    ]


def _population(rows, regions):
    """The newest date at which every region has a figure, and those figures."""
    by_date = {}
    for as_of, region, value, *source in rows:
        by_date.setdefault(as_of, {"by_region": {}, "sources": {}})
        by_date[as_of]["by_region"][region] = value
        keys = ("slug", "title", "publisher")
        by_date[as_of]["sources"][source[0]] = dict(zip(keys, source, strict=True))
    for as_of, found in by_date.items():  # newest first
        if regions and len(found["by_region"]) == regions:
            return {
                "as_of": as_of.isoformat(),
                "total": sum(found["by_region"].values()),
                "by_region": found["by_region"],
                "sources": list(found["sources"].values()),
            }
    return {"as_of": None, "total": 0, "by_region": {}, "sources": []}


def _rate(value, population, per):
    return round(float(value) * per / population, 2) if population else None


def _machines(cells, population, benchmark):
    total, records, counts = cells
    stated = sum(counts)
    machines = {**figure(total, stated, counts), "number_not_stated": records - stated}
    per_million = _rate(total, population, 1_000_000) if records else None
    needed = gap = None
    if benchmark and benchmark["kind"] == BenchmarkKind.RECOMMENDATION and population:
        needed = round(benchmark["value"] * population / 1_000_000, 1)
        gap = max(0, math.ceil(needed - float(total)))
    return {
        "machines": machines,
        "population": population,
        "per_million": per_million,
        "needed": needed,
        "gap": gap,
    }


def _annual(cells, people):
    total, records, counts = cells
    return {**figure(total, records, counts), "per_100k": _rate(total, people, 100_000)}


def _add(cells, key, total, records, counts):
    old = cells.get(key)
    if old is None:
        cells[key] = (total, records, list(counts))
    else:
        cells[key] = (
            old[0] + total,
            old[1] + records,
            [a + b for a, b in zip(old[2], counts, strict=True)],
        )


def compute(refresh) -> IndicatorsPayload:
    regions = list(refresh.rows(region_slug_rows))
    population = _population(refresh.rows(population_rows), len(regions))
    benchmarks = [
        {
            "indicator": indicator,
            "kind": kind,
            "value": number(value),
            "unit": unit,
            "scope": scope,
            "as_of": as_of,
            "statement": statement,
            "source": {"slug": slug, "title": title, "publisher": publisher},
        }
        for indicator, kind, value, unit, scope, as_of, statement, slug, title, publisher in (
            refresh.rows(benchmark_rows)
        )
    ]

    def compared(indicator):
        ranked = {BenchmarkKind.RECOMMENDATION: 0, BenchmarkKind.OBSERVED_LEVEL: 1}
        found = [b for b in benchmarks if b["indicator"] == indicator and b["kind"] in ranked]
        return min(found, key=lambda b: ranked[b["kind"]]) if found else None

    groups = {"radiotherapy": RADIOTHERAPY, "pet_ct": PET_CT}
    cells = {}
    for region, category, total, records, *counts in refresh.rows(machine_rows):
        for name, categories in groups.items():
            if category in categories:
                for key in (region, COUNTRY):
                    if key is not None:
                        _add(cells, (name, key), total or 0, records, counts)
    machine = {}
    for name, indicator in (
        ("radiotherapy", BenchmarkIndicator.RADIOTHERAPY_UNITS_PER_MILLION),
        ("pet_ct", BenchmarkIndicator.PET_CT_PER_MILLION),
    ):
        benchmark = compared(indicator)
        zero = (0, 0, [0] * len(QUALIFIERS))
        machine[name] = {
            "categories": list(groups[name]),
            "benchmark": benchmark,
            "regions": {
                slug: _machines(
                    cells.get((name, slug), zero), population["by_region"].get(slug), benchmark
                )
                for slug in regions
            },
            "country": _machines(
                cells.get((name, COUNTRY), zero), population["total"] or None, benchmark
            ),
        }
    annual = {}
    for region, metric, name, name_ru, name_kk, unit, kind, total, n, *counts in annual_rows(
        refresh
    ):
        entry = annual.setdefault(
            (metric, kind),
            {
                "metric": metric,
                "name": name,
                "name_ru": name_ru,
                "name_kk": name_kk,
                "unit": unit,
                "kind": kind,
                "cells": {},
            },
        )
        for key in (region, COUNTRY):
            if key is not None:
                _add(entry["cells"], key, total or 0, n, counts)
    annual_list = []
    for entry in annual.values():
        cells_of = entry.pop("cells")
        entry["regions"] = {
            slug: _annual(cells_of[slug], population["by_region"].get(slug))
            for slug in regions
            if slug in cells_of
        }
        entry["country"] = _annual(cells_of[COUNTRY], population["total"] or None)
        annual_list.append(entry)
    return {
        "population": population,
        "benchmarks": benchmarks,
        "radiotherapy": machine["radiotherapy"],
        "pet_ct": machine["pet_ct"],
        "annual": annual_list,
    }
