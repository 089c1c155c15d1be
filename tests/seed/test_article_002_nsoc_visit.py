"""Primeminister.kz: the Prime Minister reviews NSOC and NU's Biomedical Research Center."""

from decimal import Decimal

import pytest

from centers.models import Designation, Equipment, Organization
from partnerships.models import Funding
from therapies.models import TherapyOffering

from .facts import assert_cited_by, assert_figure

SOURCE = "primeminister-kz-bektenov-nsoc-nu-visit"
NSOC = "national-research-oncology-center"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "metric", "value", "qualifier", "kind", "period"),
    [
        (
            "nsoc-diagnostic-surgical-procedures-per-year",
            "diagnostic-surgical-procedures",
            "12000",
            "about",
            "delivered",
            "per_year",
        ),
        (
            "nsoc-radiation-proton-therapy-courses-per-year",
            "radiation-proton-therapy-courses",
            "4000",
            "exact",
            "delivered",
            "per_year",
        ),
        (
            "nsoc-organ-bone-marrow-transplants-per-year",
            "organ-bone-marrow-transplants",
            "330",
            "up_to",
            "delivered",
            "per_year",
        ),
        (
            "nsoc-high-tech-surgeries-per-year",
            "high-tech-surgeries",
            "350",
            "over",
            "capacity",
            "per_year",
        ),
        (
            "nsoc-specialists-trained-abroad",
            "specialists-trained-abroad",
            "250",
            "over",
            "delivered",
            "cumulative",
        ),
    ],
)
def test_nsoc_annual_figures(seeded_module, db, slug, metric, value, qualifier, kind, period):
    fact = assert_figure(
        slug,
        organization=NSOC,
        metric=metric,
        value=value,
        qualifier=qualifier,
        kind=kind,
        period=period,
    )
    assert fact.date_precision == "unknown"  # the article's date is not stated
    assert fact.citations.filter(source__slug=SOURCE).exists()


def test_proton_therapy_center_can_treat_up_to_1000_patients(seeded_module, db):
    assert_figure(
        "proton-therapy-center-patients-per-year",
        organization="proton-therapy-center",
        metric="proton-therapy-patients",
        value="1000",
        qualifier="up_to",
        kind="capacity",
        period="per_year",
    )
    probeam = Equipment.objects.get(slug="proton-therapy-center-probeam-360")
    assert probeam.category == "proton_therapy_system"
    assert probeam.model_name == "ProBeam 360"
    assert probeam.count == 1
    assert probeam.manufacturer is None  # the article names no manufacturer for it
    assert probeam.organization.parent.slug == NSOC


def test_varian_accelerators_in_seven_bunkers(seeded_module, db):
    linacs = Equipment.objects.get(slug="nsoc-varian-linear-accelerators")
    assert linacs.category == "linear_accelerator"
    assert linacs.manufacturer.slug == "varian"
    assert (linacs.count, linacs.count_qualifier) == (7, "at_least")
    assert "EDGE" in linacs.model_name and "ETHOS" in linacs.model_name
    assert "AI" in linacs.features
    bunkers = Equipment.objects.get(slug="nsoc-radiation-therapy-bunkers")
    assert (bunkers.count, bunkers.count_qualifier) == (7, "exact")


def test_radiopharmaceuticals_now_and_planned(seeded_module, db):
    assert TherapyOffering.objects.get(slug="fdg-pet-diagnostics-crt").stage == "routine_service"
    assert TherapyOffering.objects.get(slug="radiopharmaceuticals-crt").stage == "planned_service"
    assert_figure(
        "crt-radiopharmaceuticals-to-introduce",
        organization="center-for-radiation-technologies",
        metric="radiopharmaceuticals-to-introduce",
        value="13",
        qualifier="exact",
        kind="target",
        period="point_in_time",
    )
    assert_figure(
        "crt-pet-studies-per-year",
        organization="center-for-radiation-technologies",
        metric="pet-studies",
        value="12000",
        qualifier="up_to",
        kind="target",
        period="per_year",
    )


def test_radionuclide_unit_80_patients_in_five_months_capacity_over_300(seeded_module, db):
    assert_figure(
        "radionuclide-unit-patients-five-months",
        organization="radionuclide-therapy-unit",
        metric="iodine-131-therapy-patients",
        value="80",
        qualifier="exact",
        kind="delivered",
        period="months",
        months=5,
    )
    assert_figure(
        "radionuclide-unit-patients-per-year-capacity",
        organization="radionuclide-therapy-unit",
        metric="iodine-131-therapy-patients",
        value="300",
        qualifier="over",
        kind="capacity",
        period="per_year",
    )
    offering = TherapyOffering.objects.get(slug="radionuclide-therapy-iodine-131-unit")
    assert list(offering.cancer_types.values_list("slug", flat=True)) == ["thyroid-cancer"]


def test_six_planned_regional_radiopharmaceutical_centers(seeded_module, db):
    network = Organization.objects.filter(kind="radiopharmaceutical_center")
    assert network.count() == 6
    assert set(network.values_list("status", flat=True)) == {"planned"}
    assert sorted(network.values_list("region__slug", flat=True)) == sorted(
        ["astana", "almaty", "shymkent", "abai-region", "karaganda-region", "aktobe-region"]
    )


def test_state_oncology_funding_over_170_billion_tenge_a_year(seeded_module, db):
    funding = Funding.objects.get(slug="state-oncology-care-funding-per-year")
    assert funding.amount == Decimal("170000000000")
    assert funding.currency == "KZT"
    assert funding.amount_qualifier == "over"
    assert funding.period == "annual"
    sixfold = Funding.objects.get(slug="oncology-funding-sixfold-increase")
    assert sixfold.amount is None
    assert sixfold.statement == "increased sixfold in three years"
    assert_cited_by(sixfold, SOURCE, "increased sixfold in three years")


def test_designations_pursued_and_under_review(seeded_module, db):
    anchor = Designation.objects.get(slug="nsoc-iaea-anchor-center")
    assert (anchor.organization.slug, anchor.awarding_body.slug) == (NSOC, "iaea")
    assert anchor.title == "IAEA Anchor Center"
    assert anchor.status == "pursuing"
    aaalac = Designation.objects.get(slug="nu-brc-aaalac-accreditation")
    assert aaalac.awarding_body.slug == "aaalac-international"
    assert aaalac.status == "under_review"


def test_nu_biomedical_research_center(seeded_module, db):
    brc = Organization.objects.get(slug="nu-biomedical-research-center")
    assert brc.parent.slug == "nazarbayev-university"
    area = assert_figure(
        "nu-brc-floor-area",
        organization=brc.slug,
        metric="floor-area",
        value="5600",
        qualifier="exact",
        kind="capacity",
        period="point_in_time",
    )
    assert area.metric.unit == "m²"
    assert Equipment.objects.filter(organization=brc, category="vivarium").exists()
    planned = Organization.objects.get(slug="regional-pharmaceutical-center")
    assert planned.status == "planned"
    assert_cited_by(planned, SOURCE, "Regional Pharmaceutical Center")


def test_the_sixfold_increase_names_no_payer_and_no_amount(seeded_module, db):
    sixfold = Funding.objects.get(slug="oncology-funding-sixfold-increase")
    assert (sixfold.funder, sixfold.funder_description, sixfold.currency) == (None, "", "")
    assert sixfold.period == "multi_year"
    state = Funding.objects.get(slug="state-oncology-care-funding-per-year")
    assert state.funder is None
    assert state.funder_description == "State guarantees"
    assert (state.date_year, state.date_precision) == (None, "unknown")


def test_each_planned_radiopharmaceutical_center_cites_its_city(seeded_module, db):
    cities = {
        "astana": "astana",
        "almaty": "almaty",
        "shymkent": "shymkent",
        "semey": "abai-region",
        "karaganda": "karaganda-region",
        "aktobe": "aktobe-region",
    }
    for city, region in cities.items():
        center = Organization.objects.get(slug=f"regional-radiopharmaceutical-center-{city}")
        assert center.region.slug == region
        assert center.city.lower() == city
        assert center.parent is None
        cited = center.citations.get(field_name="region")
        assert "Astana, Almaty, Shymkent, Semey, Karaganda, and Aktobe" in cited.quote
    assert_cited_by(Organization.objects.get(slug="ministry-of-healthcare"), SOURCE, "six regional")


def test_units_of_nsoc(seeded_module, db):
    assert set(Organization.objects.filter(parent__slug=NSOC).values_list("slug", flat=True)) == {
        "proton-therapy-center",
        "center-for-radiation-technologies",
    }
    unit = Organization.objects.get(slug="radionuclide-therapy-unit")
    assert unit.parent.slug == "center-for-radiation-technologies"
    proton = Organization.objects.get(slug="proton-therapy-center")
    assert "only" in proton.description and "Central Asia" in proton.description
    assert_cited_by(proton, SOURCE, "the only one in Central Asia")


def test_alem_device_is_in_development_without_invented_details(seeded_module, db):
    alem = Equipment.objects.get(slug="alem-organ-preservation-device")
    assert alem.category == "organ_preservation_device"
    assert alem.status == "in_development"
    assert alem.count is None
    assert alem.manufacturer is None
    assert_cited_by(alem, SOURCE, "ALEM device for preserving and transporting donor organs")


def test_patients_of_two_services_are_two_metrics(seeded_module, db):
    """Proton therapy and iodine-131 patients are never one metric, so no total adds them."""
    from centers.models import CapacityFigure

    metrics = set(
        CapacityFigure.objects.filter(
            organization__slug__in=["proton-therapy-center", "radionuclide-therapy-unit"]
        ).values_list("metric__slug", flat=True)
    )
    assert metrics == {"proton-therapy-patients", "iodine-131-therapy-patients"}
