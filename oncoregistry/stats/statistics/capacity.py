"""Capacity figures per metric, kind and period, and per organisation.

Kinds (``capacity`` it can deliver / ``delivered`` volume / ``target``) and periods
(per_year / months / cumulative / point_in_time) are never added together.
"""

from typing import TypedDict

from django.db.models import Count, Exists, OuterRef, Sum

from centers.models import CapacityFigure, Organization

from . import figures
from .base import Figure, figure, per_qualifier

KEY = "capacity"
#: Organisations listed in ``by_organization`` (the dashboard chart's size), so the
#: snapshot stays the same size whatever the size of the registry.
CAPACITY_ORGANIZATIONS = 50


class MetricCapacity(TypedDict):
    name: str
    name_ru: str
    name_kk: str
    unit: str
    unit_ru: str
    unit_kk: str
    kinds: dict[str, dict[str, Figure]]  # kind -> period -> figure


class OrganizationCapacity(Figure):
    organization: str
    name: str
    name_ru: str
    name_kk: str
    metric: str
    metric_name: str
    metric_name_ru: str
    metric_name_kk: str
    unit: str
    unit_ru: str
    unit_kk: str
    kind: str
    period: str


class CapacityPayload(TypedDict):
    by_metric: dict[str, MetricCapacity]  # metric slug
    # By organisation name, then metric, kind and period: the first CAPACITY_ORGANIZATIONS
    # organisations with figures.
    by_organization: list[OrganizationCapacity]


def by_organization_rows():
    # The first organisations by name that have figures, as a subquery of the same query.
    first = (
        Organization.objects.published()
        .filter(Exists(CapacityFigure.objects.published().filter(organization=OuterRef("pk"))))
        .order_by("name", "id")
        .values("id")[:CAPACITY_ORGANIZATIONS]
    )
    return (
        CapacityFigure.objects.published()
        .filter(organization_id__in=first)
        # The metric by id (its slug and text are read once, by figures.metric_rows).
        .values_list(
            "organization__slug",
            "organization__name",
            "organization__name_ru",
            "organization__name_kk",
            "metric_id",
            "kind",
            "period",
            "organization_id",
        )
        .annotate(total=Sum("value"), n=Count("id"), **per_qualifier("qualifier"))
        .order_by("organization__name", "organization_id", "metric__slug", "kind", "period")
    )


def metric_text(values):
    return dict(zip(figures.METRIC_TEXT, values, strict=True))


def compute(refresh) -> CapacityPayload:
    by_metric, found = {}, figures.sums(refresh)
    # In the order of metric slug, kind and period, as the chart lists them.
    for (metric_id, kind, period), (total, n, counts) in sorted(
        found.by_metric.items(), key=lambda item: (found.metrics[item[0][0]][0], *item[0][1:])
    ):
        slug, *text = found.metrics[metric_id]
        entry = by_metric.setdefault(slug, {**metric_text(text), "kinds": {}})
        entry["kinds"].setdefault(kind, {})[period] = figure(total, n, counts)
    # Each metric's part of an entry, made once.
    parts = {
        metric_id: {
            "metric": slug,
            **{f"metric_{key}": text for key, text in metric_text(text).items() if "name" in key},
            **{key: text for key, text in metric_text(text).items() if "unit" in key},
        }
        for metric_id, (slug, *text) in found.metrics.items()
    }
    by_organization = [
        {
            "organization": org_slug,
            "name": org_name,
            "name_ru": org_name_ru,
            "name_kk": org_name_kk,
            **parts[metric_id],
            "kind": kind,
            "period": period,
            **figure(total, n, counts),
        }
        for (
            org_slug,
            org_name,
            org_name_ru,
            org_name_kk,
            metric_id,
            kind,
            period,
            _id,
            total,
            n,
            *counts,
        ) in refresh.rows(by_organization_rows)
    ]
    return {"by_metric": by_metric, "by_organization": by_organization}
