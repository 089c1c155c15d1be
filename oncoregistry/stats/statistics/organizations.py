"""Organisations by kind, status and region."""

from collections import defaultdict
from typing import TypedDict

from django.db.models import Count

from centers.models import Organization

from .base import NO_REGION

KEY = "organizations"


class OrganizationsPayload(TypedDict):
    total: int
    by_kind: dict[str, int]
    by_status: dict[str, int]
    by_region: dict[str, int]  # region slug or "none"
    by_kind_status: dict[str, dict[str, int]]


def organization_rows():
    """``(kind, status, region_slug | None, n)``: organisations by kind, status and region."""
    return (
        Organization.objects.published().values_list("kind", "status", "region__slug")
        .annotate(n=Count("id"))
        .order_by()
    )


def compute(refresh) -> OrganizationsPayload:
    total = 0
    by_kind, by_status, by_region = defaultdict(int), defaultdict(int), defaultdict(int)
    by_kind_status = defaultdict(lambda: defaultdict(int))
    for kind, status, region, n in refresh.rows(organization_rows):
        total += n
        by_kind[kind] += n
        by_status[status] += n
        by_region[region or NO_REGION] += n
        by_kind_status[kind][status] += n
    return {
        "total": total,
        "by_kind": dict(by_kind),
        "by_status": dict(by_status),
        "by_region": dict(by_region),
        "by_kind_status": {kind: dict(statuses) for kind, statuses in by_kind_status.items()},
    }
