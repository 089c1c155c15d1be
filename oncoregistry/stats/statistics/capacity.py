"""Capacity figures per metric, kind and period, and per organisation.

Kinds (``capacity`` it can deliver / ``delivered`` volume / ``target``) and periods
(per_year / months / cumulative / point_in_time) are never added together.
"""

from typing import TypedDict

from django.db.models import Count, Exists, OuterRef, Sum

from centers.models import CapacityFigure, Organization

from .base import Figure, figure, per_qualifier

KEY = "capacity"
#: Organisations listed in ``by_organization`` (the dashboard chart's size), so the
#: snapshot stays the same size whatever the size of the registry.
CAPACITY_ORGANIZATIONS = 50


class MetricCapacity(TypedDict):
    name: str
    unit: str
    kinds: dict[str, dict[str, Figure]]  # kind -> period -> figure


class OrganizationCapacity(Figure):
    organization: str
    name: str
    metric: str
    metric_name: str
    unit: str
    kind: str
    period: str


class CapacityPayload(TypedDict):
    by_metric: dict[str, MetricCapacity]  # metric slug
    # By organisation name, then metric, kind and period: the first CAPACITY_ORGANIZATIONS
    # organisations with figures.
    by_organization: list[OrganizationCapacity]


def by_metric_rows():
    return (
        CapacityFigure.objects.published().values_list(
            "metric__slug", "metric__name", "metric__unit", "kind", "period"
        )
        .annotate(total=Sum("value"), n=Count("id"), **per_qualifier("qualifier"))
        .order_by("metric__slug", "kind", "period")
    )


def by_organization_rows():
    # The first organisations by name that have figures, as a subquery of the same query.
    first = (
        Organization.objects.published().filter(
            Exists(CapacityFigure.objects.published().filter(organization=OuterRef("pk")))
        )
        .order_by("name", "id")
        .values("id")[:CAPACITY_ORGANIZATIONS]
    )
    return (
        CapacityFigure.objects.published().filter(organization_id__in=first)
        .values_list(
            "organization__slug",
            "organization__name",
            "metric__slug",
            "metric__name",
            "metric__unit",
            "kind",
            "period",
            "organization_id",
        )
        .annotate(total=Sum("value"), n=Count("id"), **per_qualifier("qualifier"))
        .order_by("organization__name", "organization_id", "metric__slug", "kind", "period")
    )


def compute(refresh) -> CapacityPayload:
    by_metric = {}
    for slug, name, unit, kind, period, total, n, *counts in refresh.rows(by_metric_rows):
        metric = by_metric.setdefault(slug, {"name": name, "unit": unit, "kinds": {}})
        metric["kinds"].setdefault(kind, {})[period] = figure(total, n, counts)
    by_organization = []
    for row in refresh.rows(by_organization_rows):
        org_slug, org_name, slug, name, unit, kind, period, _id, total, n, *counts = row
        by_organization.append(
            {
                "organization": org_slug,
                "name": org_name,
                "metric": slug,
                "metric_name": name,
                "unit": unit,
                "kind": kind,
                "period": period,
                **figure(total, n, counts),
            }
        )
    return {"by_metric": by_metric, "by_organization": by_organization}
