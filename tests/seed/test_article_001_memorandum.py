"""The Astana Times: AstraZeneca, National Research Oncology Center Sign Memorandum."""

from decimal import Decimal

import pytest

from centers.models import Organization
from partnerships.models import Agreement, Funding
from therapies.models import TherapyOffering

from .facts import assert_cited_by

SOURCE = "astana-times-astrazeneca-nroc-memorandum"
pytestmark = pytest.mark.django_db


def test_memorandum_signed_on_may_30_with_no_year(seeded_module, db):
    memo = Agreement.objects.get(slug="nsoc-astrazeneca-memorandum")
    assert memo.kind == "memorandum"
    assert memo.status == "signed"
    assert (memo.date_year, memo.date_month, memo.date_day) == (None, 5, 30)
    assert memo.date_precision == "day"
    assert memo.date is None
    assert "year not stated" in memo.date_display
    parties = sorted(memo.parties.values_list("organization__slug", "role"))
    assert parties == [
        ("astrazeneca", "signatory"),
        ("national-research-oncology-center", "signatory"),
    ]
    assert_cited_by(memo, SOURCE, "signed an agreement on May 30")


def test_memorandum_has_three_numbered_focus_areas(seeded_module, db):
    memo = Agreement.objects.get(slug="nsoc-astrazeneca-memorandum")
    areas = list(memo.focus_areas.order_by("order").values_list("order", "title"))
    assert areas == [
        (1, "Modern diagnostics and therapy"),
        (2, "Scientific and educational programs"),
        (3, "Pharmacovigilance and early access programs"),
    ]
    for area in memo.focus_areas.all():
        assert area.citations.filter(source__slug=SOURCE).exists()


def test_nsoc_is_one_record_in_astana_with_both_names(seeded_module, db):
    nsoc = Organization.objects.get(slug="national-research-oncology-center")
    assert nsoc.name == "National Research Oncology Center"
    assert "National Scientific Oncology Center" in nsoc.alias_list
    assert nsoc.region.slug == "astana"
    oncology_centers = Organization.objects.filter(kind="oncology_center")
    assert oncology_centers.filter(name__icontains="oncology center").count() == 1


def test_planned_introductions_under_the_memorandum(seeded_module, db):
    for slug in ("molecular-profiling-nsoc", "targeted-therapy-nsoc", "immuno-oncology-nsoc"):
        offering = TherapyOffering.objects.get(slug=slug)
        assert offering.stage == "planned_service"
        assert offering.organization.slug == "national-research-oncology-center"


def test_contract_manufacturing_launched_may_28_with_5_million_dollars(seeded_module, db):
    launch = Agreement.objects.get(slug="astrazeneca-nobel-contract-manufacturing")
    assert launch.kind == "contract_manufacturing"
    assert (launch.date_year, launch.date_month, launch.date_day) == (None, 5, 28)
    roles = dict(launch.parties.values_list("organization__slug", "role"))
    assert roles == {
        "astrazeneca": "partner",
        "nobel-almaty-pharmaceutical-factory": "manufacturer",
    }
    investment = Funding.objects.get(slug="nobel-contract-manufacturing-investment")
    assert investment.amount == Decimal("5000000")
    assert investment.currency == "USD"
    assert investment.amount_qualifier == "exact"
    assert investment.period == "one_off"
    assert investment.agreement == launch
    assert investment.funder is None  # the article does not say who invested
    assert_cited_by(investment, SOURCE, "$5 million investment")


def test_planned_local_production_of_oncology_drugs(seeded_module, db):
    offering = TherapyOffering.objects.get(slug="astrazeneca-oncology-medicines-nobel")
    assert offering.stage == "planned_service"
    assert offering.role == "manufacturer"
    assert_cited_by(offering, SOURCE, "initiate local production of oncology drugs")
    factory = Organization.objects.get(slug="nobel-almaty-pharmaceutical-factory")
    assert (factory.city, factory.region.slug) == ("Almaty", "almaty")
    assert factory.citations.filter(field_name="region").exists()
