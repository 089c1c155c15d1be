"""The published capacity figures, grouped once for the four statistics that add them up:
``capacity`` (per metric, kind and period), ``indicators`` (annual figures per region in
Kazakhstan), ``regions`` (figures per region on the map) and ``data_quality`` (figures
with and without a citation).

The largest table of the registry is read by one GROUP BY on ids and flags (under 2,000
groups at 10,000 organisations), added up in one pass for all four, rather than by four
GROUP BYs, one of them on seven text columns of the metric (docs/performance.md, "The
commitments in the refresh").
"""

import operator

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from centers.models import CapacityFigure, Metric

from .base import cited_ids, per_qualifier

# The metric's name and unit in English, Russian and Kazakh: the dashboard shows the reader's.
METRIC_TEXT = ("name", "name_ru", "name_kk", "unit", "unit_ru", "unit_kk")
#: The annual figures of the per-capita indicators.
ANNUAL_KINDS = (CapacityFigure.Kind.CAPACITY, CapacityFigure.Kind.DELIVERED)


def in_kazakhstan():
    """Records of published organisations in Kazakhstan (a region, or country KZ)."""
    return Q(organization__publication_state="published") & (
        Q(organization__region__isnull=False) | Q(organization__country="KZ")
    )


def group_rows():
    """``(metric id, kind, period, region slug | None, in Kazakhstan, total, n, *per
    qualifier, cited)``."""
    return (
        CapacityFigure.objects.published()
        .annotate(kz=ExpressionWrapper(in_kazakhstan(), output_field=BooleanField()))
        .values_list("metric_id", "kind", "period", "organization__region__slug", "kz")
        .annotate(
            total=Sum("value"),
            n=Count("id"),
            **per_qualifier("qualifier"),
            cited=Count("id", filter=Q(pk__in=cited_ids(CapacityFigure))),
        )
        .order_by()
    )


def newest_rows():
    """The newest ``updated_at`` of a published figure: one step down its index, where a
    MAX per group would be a timestamp per group to read."""
    return CapacityFigure.objects.published().order_by("-updated_at").values_list("updated_at")[:1]


def metric_rows():
    return Metric.objects.order_by().values_list("id", "slug", *METRIC_TEXT)


class Sums:
    """The groups added up, once per refresh, for each statistic: ``by_metric``
    (``{(metric id, kind, period): cell}``), ``annual`` (``{(metric id, kind, region):
    cell}``: per year, ANNUAL_KINDS, in Kazakhstan), ``per_region`` (``{region: n}``),
    ``records``, ``cited``, ``newest`` and ``metrics`` (``{id: (slug, *METRIC_TEXT)}``); a
    cell is ``[total, records, [records per qualifier]]``."""

    def __init__(self, refresh):
        self.metrics = {row[0]: row[1:] for row in refresh.rows(metric_rows)}
        self.by_metric, self.annual, self.per_region = {}, {}, {}
        self.records = self.cited = 0
        for metric, kind, period, region, kz, total, n, *counts, cited in refresh.rows(group_rows):
            total = total or 0
            add(self.by_metric, (metric, kind, period), total, n, counts)
            if kz and period == CapacityFigure.Period.PER_YEAR and kind in ANNUAL_KINDS:
                add(self.annual, (metric, kind, region), total, n, counts)
            if region is not None:
                self.per_region[region] = self.per_region.get(region, 0) + n
            self.records += n
            self.cited += cited
        self.newest = next(iter(refresh.rows(newest_rows)), (None,))[0]


def add(cells, key, total, records, counts):
    cell = cells.get(key)
    if cell is None:
        cells[key] = [total, records, counts]
    else:
        cell[0] += total
        cell[1] += records
        cell[2] = list(map(operator.add, cell[2], counts))


def sums(refresh):
    """The capacity figures added up (``Sums``), once per refresh."""
    return refresh.shared(Sums)
