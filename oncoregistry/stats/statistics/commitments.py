"""Commitments by status, kind and region, and the next ones due: the dashboard's panel.

The commitments themselves are derived from the records at each commit
(``commitments.services.commitments_update``); the refresh moves their statuses to today
(``commitment_statuses_refresh``) just before the statistics are computed.
"""

from typing import TypedDict

from django.db.models import Count, Max

from centers.models import Region
from commitments.models import Commitment, CommitmentStatus

from .base import NO_REGION

KEY = "commitments"
#: Commitments listed in ``next_due`` (the panel's size).
NEXT_DUE = 10


class DueCommitment(TypedDict):
    slug: str
    name: str
    name_ru: str
    name_kk: str
    kind: str
    status: str
    due: list  # [year, month, day, precision, qualifier]: shown in the reader's language
    due_by: str  # ISO date
    organization: str | None
    page_url: str


class CommitmentsPayload(TypedDict):
    total: int
    status_on: str | None  # the day the statuses were computed for
    by_status: dict[str, int]
    by_kind: dict[str, int]
    by_region: dict[str, dict[str, int]]  # region slug or "none" -> status -> count
    next_due: list[DueCommitment]  # not delivered, with a date, soonest first


def commitment_rows():
    """``(status, kind, region id | None, n, status_on)``: grouped on the columns of one
    index (``commitment_statistic_idx``), which PostgreSQL reads alone, in its order,
    rather than hashing every row of the table joined to its region."""
    return (
        Commitment.objects.values_list("status", "kind", "region_id")
        .annotate(n=Count("*"), status_on=Max("status_on"))
        .order_by()
    )


def region_rows():
    """``(id, slug)`` of every region."""
    return Region.objects.order_by().values_list("id", "slug")


def next_due_rows():
    return (
        Commitment.objects.filter(due_by__isnull=False)
        .exclude(status=CommitmentStatus.DELIVERED)
        .order_by("due_by", "name", "slug")
        .values_list(
            "slug",
            "name",
            "name_ru",
            "name_kk",
            "kind",
            "status",
            "due_year",
            "due_month",
            "due_day",
            "due_precision",
            "due_qualifier",
            "due_by",
            "organization__name",
            "page_url",
        )[:NEXT_DUE]
    )


def compute(refresh) -> CommitmentsPayload:
    total, status_on = 0, None
    by_status, by_kind, by_region = {}, {}, {}
    slugs = dict(refresh.rows(region_rows))
    for status, kind, region_id, n, day in refresh.rows(commitment_rows):
        region = slugs.get(region_id)
        total += n
        by_status[status] = by_status.get(status, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
        statuses = by_region.setdefault(region or NO_REGION, {})
        statuses[status] = statuses.get(status, 0) + n
        status_on = max(status_on, day) if status_on else day
    return {
        "total": total,
        "status_on": status_on.isoformat() if status_on else None,
        "by_status": {s: by_status[s] for s in CommitmentStatus.values if s in by_status},
        "by_kind": by_kind,
        "by_region": by_region,
        "next_due": [
            {
                "slug": slug,
                "name": name,
                "name_ru": name_ru,
                "name_kk": name_kk,
                "kind": kind,
                "status": status,
                "due": [year, month, day, precision, qualifier],
                "due_by": due_by.isoformat(),
                "organization": organization,
                "page_url": page_url,
            }
            for (
                slug,
                name,
                name_ru,
                name_kk,
                kind,
                status,
                year,
                month,
                day,
                precision,
                qualifier,
                due_by,
                organization,
                page_url,
            ) in refresh.rows(next_due_rows)
        ],  # fmt: skip
    }
