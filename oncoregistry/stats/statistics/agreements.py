"""Agreements per year, per kind and per partner organisation."""

from collections import defaultdict
from typing import TypedDict

from django.db.models import Count, Window

from partnerships.models import Agreement, AgreementParty

KEY = "agreements"
YEAR_NOT_STATED = "year_not_stated"
#: Partners listed in ``by_partner``.
TOP_PARTNERS = 50


class Partner(TypedDict):
    organization: str
    name: str
    agreements: int  # distinct agreements the organisation is a party to


class AgreementsPayload(TypedDict):
    total: int
    by_year: dict[str, int]  # "2024", ..., "year_not_stated"
    by_kind: dict[str, int]
    by_status: dict[str, int]
    by_partner: list[Partner]  # most agreements first, the first TOP_PARTNERS
    by_partner_total: int  # organisations party to any agreement


def agreement_rows():
    return (
        Agreement.objects.published().values_list("date_year", "kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def partner_rows():
    """The first ``TOP_PARTNERS`` partners, each row with the number of all of them."""
    return (
        AgreementParty.objects.published()
        .values_list("organization__slug", "organization__name")
        .annotate(n=Count("agreement", distinct=True), partners=Window(Count("*")))
        .order_by("-n", "organization__name")[:TOP_PARTNERS]
    )


def compute(refresh) -> AgreementsPayload:
    total = 0
    by_year, by_kind, by_status = defaultdict(int), defaultdict(int), defaultdict(int)
    for year, kind, status, n in refresh.rows(agreement_rows):
        total += n
        by_year[str(year) if year else YEAR_NOT_STATED] += n
        by_kind[kind] += n
        by_status[status] += n
    partners = refresh.rows(partner_rows)
    return {
        "total": total,
        "by_year": dict(sorted(by_year.items())),
        "by_kind": dict(by_kind),
        "by_status": dict(by_status),
        "by_partner": [
            {"organization": slug, "name": name, "agreements": n} for slug, name, n, _ in partners
        ],
        "by_partner_total": partners[0][3] if partners else 0,
    }
