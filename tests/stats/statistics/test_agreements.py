import pytest

from oncoregistry.stats.statistics import agreements
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_agreements_per_year_kind_and_partner():
    nsoc = f.OrganizationFactory(slug="nsoc", name="NSOC")
    astrazeneca = f.OrganizationFactory(slug="astrazeneca", name="AstraZeneca")
    first = f.AgreementFactory(date_year=2024)
    second = f.AgreementFactory(date_year=2024, kind="technology_transfer")
    undated = f.AgreementFactory(
        date_year=None, date_month=None, date_precision="unknown", status="planned"
    )
    f.AgreementFactory(date_year=2023)
    for agreement in (first, second, undated):
        f.AgreementPartyFactory(agreement=agreement, organization=nsoc)
    f.AgreementPartyFactory(agreement=first, organization=astrazeneca)
    result = agreements.compute(Refresh())
    assert result["total"] == 4
    assert result["by_year"] == {"2023": 1, "2024": 2, "year_not_stated": 1}
    assert result["by_kind"] == {"memorandum": 3, "technology_transfer": 1}
    assert result["by_partner"] == [
        {"organization": "nsoc", "name": "NSOC", "agreements": 3},
        {"organization": "astrazeneca", "name": "AstraZeneca", "agreements": 1},
    ]
    assert result["by_partner_total"] == 2
