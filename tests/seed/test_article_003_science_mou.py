"""Kazakhstan's new phase of cooperation with AstraZeneca: science, education, innovation."""

import pytest

from centers.models import Organization
from partnerships.models import Agreement
from therapies.models import TherapyOffering

from .facts import assert_cited_by

SOURCE = "astrazeneca-kazakhstan-science-mou"
pytestmark = pytest.mark.django_db


def test_science_memorandum_january_26_in_cambridge_year_unknown(seeded_module, db):
    memo = Agreement.objects.get(slug="science-ministry-astrazeneca-kazakhstan-mou")
    assert memo.kind == "memorandum"
    assert (memo.date_year, memo.date_month, memo.date_day) == (None, 1, 26)
    assert memo.date_precision == "day"
    assert "Cambridge" in memo.place
    assert sorted(memo.parties.values_list("organization__slug", flat=True)) == [
        "astrazeneca-kazakhstan",
        "ministry-of-science-and-higher-education",
    ]
    note = memo.citations.get(field_name="date_day").note
    assert "no year" in note
    titles = list(memo.focus_areas.order_by("order").values_list("title", flat=True))
    assert titles == [
        "Real-World Data (RWD) and Real-World Evidence (RWE)",
        "Expansion of the Young Health Program",
        "Sustainable Development and Economic Diversification",
        "Early Diagnosis and Healthcare Resilience",
    ]


def test_april_2024_contract_manufacturing_agreement_has_four_parties(seeded_module, db):
    agreement = Agreement.objects.get(slug="biotech-contract-manufacturing-agreement-2024")
    assert agreement.kind == "contract_manufacturing"
    assert (agreement.date_year, agreement.date_month, agreement.date_day) == (2024, 4, None)
    assert agreement.date_precision == "month"
    assert agreement.date.isoformat() == "2024-04-01"
    assert sorted(agreement.parties.values_list("organization__slug", flat=True)) == [
        "almaty-city-administration",
        "astrazeneca",
        "kazakh-invest",
        "ministry-of-healthcare",
    ]
    assert_cited_by(agreement, SOURCE, "In April 2024")


def test_july_2024_technology_transfer_with_sk_pharmacy(seeded_module, db):
    agreement = Agreement.objects.get(slug="astrazeneca-sk-pharmacy-agreement-2024")
    assert agreement.kind == "technology_transfer"
    assert (agreement.date_year, agreement.date_month) == (2024, 7)
    assert Organization.objects.get(slug="sk-pharmacy").kind == "distributor"


def test_oncology_medicines_planned_at_nobel_almaty(seeded_module, db):
    offering = TherapyOffering.objects.get(slug="astrazeneca-oncology-medicines-nobel")
    assert offering.role == "manufacturer"
    assert offering.stage == "planned_service"
    assert sorted(offering.cancer_types.values_list("slug", flat=True)) == [
        "breast-cancer",
        "leukemia",
        "ovarian-cancer",
        "pancreatic-cancer",
        "prostate-cancer",
    ]
    assert Organization.objects.get(slug="astrazeneca-kazakhstan").parent.slug == "astrazeneca"


def test_july_2024_agreement_parties_and_month_precision(seeded_module, db):
    agreement = Agreement.objects.get(slug="astrazeneca-sk-pharmacy-agreement-2024")
    assert agreement.status == "signed"
    assert agreement.date_precision == "month"
    assert agreement.date_qualifier == "on"
    assert sorted(agreement.parties.values_list("organization__slug", "role")) == [
        ("astrazeneca", "signatory"),
        ("sk-pharmacy", "signatory"),
    ]
    assert_cited_by(agreement, SOURCE, "In July 2024")


def test_discovery_centre_in_cambridge_with_no_invented_country(seeded_module, db):
    centre = Organization.objects.get(slug="astrazeneca-discovery-centre")
    assert (centre.city, centre.country, centre.region) == ("Cambridge", "", None)
    assert centre.parent.slug == "astrazeneca"
    assert_cited_by(centre, SOURCE, "Discovery Centre in Cambridge")
