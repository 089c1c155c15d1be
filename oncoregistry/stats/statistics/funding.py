"""Funding per currency, period and purpose; relative statements listed, not summed.

Amounts are added only within one currency: tenge never meet dollars. Purposes are free
text and statements are records, so both lists grow with the registry: ``by_purpose``
holds the ``FUNDING_PURPOSES`` (currency, period, purpose) figures with the most records,
listed by currency, period and purpose; ``statements`` holds the ``FUNDING_STATEMENTS``
newest, newest first. ``by_currency`` and ``state_annual`` add up every amount.
"""

from collections import defaultdict
from typing import TypedDict

from django.db.models import Count, F, Q, Sum, Window

from centers.models import OrganizationKind
from partnerships.models import Funding

from .base import Figure, FigureSum, figure, figures, per_qualifier

KEY = "funding"
GOVERNMENT_KINDS = (OrganizationKind.GOVERNMENT_BODY, OrganizationKind.LOCAL_GOVERNMENT)
FUNDING_PURPOSES = 50
FUNDING_STATEMENTS = 50


class PurposeFigure(Figure):
    currency: str
    period: str
    purpose: str
    purpose_ru: str
    purpose_kk: str


class Statement(TypedDict):
    slug: str
    purpose: str
    statement: str
    period: str
    year: int | None


class FundingPayload(TypedDict):
    by_currency: dict[str, dict[str, Figure]]  # currency -> period -> figure
    by_purpose: list[PurposeFigure]
    by_purpose_total: int
    state_annual: dict[str, Figure]  # currency -> annual funding paid by the state
    statements: list[Statement]
    statements_total: int


def state_funding_q():
    """Funding paid by the state: a government funder, or none named but described as the state."""
    return Q(funder__kind__in=GOVERNMENT_KINDS) | Q(
        funder__isnull=True, funder_description__icontains="state"
    )


def by_currency_rows():
    state = state_funding_q() & Q(period=Funding.Period.ANNUAL)
    return (
        Funding.objects.published().filter(amount__isnull=False)
        .values_list("currency", "period", "amount_qualifier")
        .annotate(
            total=Sum("amount"),
            n=Count("id"),
            state=Count("id", filter=state),
            state_total=Sum("amount", filter=state),
        )
        .order_by("currency", "period")
    )


def by_purpose_rows():
    """The ``FUNDING_PURPOSES`` figures with the most records, with the number of all."""
    return (
        Funding.objects.published().filter(amount__isnull=False)
        # The purpose in the three languages: the dashboard shows the reader's.
        .values_list("currency", "period", "purpose", "purpose_ru", "purpose_kk")
        .annotate(
            total=Sum("amount"),
            n=Count("id"),
            figures=Window(Count("*")),
            **per_qualifier("amount_qualifier"),
        )
        .order_by("-n", "currency", "period", "purpose")[:FUNDING_PURPOSES]
    )


def statement_rows():
    """The ``FUNDING_STATEMENTS`` newest statements, with the number of all."""
    return (
        Funding.objects.published().filter(amount__isnull=True)
        .annotate(statements=Window(Count("*")))
        .order_by(F("date").desc(nulls_last=True), "slug")
        .values_list("slug", "purpose", "statement", "period", "date_year", "statements")[
            :FUNDING_STATEMENTS
        ]
    )


def compute(refresh) -> FundingPayload:
    by_currency, state_annual = defaultdict(dict), {}
    for currency, period, qualifier, total, n, state, state_total in refresh.rows(
        by_currency_rows
    ):
        by_currency[currency].setdefault(period, FigureSum()).add(total, qualifier, n)
        if state:
            state_annual.setdefault(currency, FigureSum()).add(state_total, qualifier, state)
    purposes = sorted(refresh.rows(by_purpose_rows), key=lambda row: row[:3])
    by_purpose = [
        {
            "currency": currency,
            "period": period,
            "purpose": purpose,
            "purpose_ru": purpose_ru,
            "purpose_kk": purpose_kk,
            **figure(total, n, counts),
        }
        for currency, period, purpose, purpose_ru, purpose_kk, total, n, _all, *counts in purposes
    ]
    statements = refresh.rows(statement_rows)
    return {
        "by_currency": {currency: figures(periods) for currency, periods in by_currency.items()},
        "by_purpose": by_purpose,
        "by_purpose_total": purposes[0][7] if purposes else 0,
        "state_annual": figures(state_annual),
        "statements": [
            {"slug": slug, "purpose": purpose, "statement": statement, "period": period,
             "year": year}
            for slug, purpose, statement, period, year, _ in statements
        ],  # fmt: skip
        "statements_total": statements[0][5] if statements else 0,
    }
