"""MNTV: Kazakhstan to begin clinical trials of homegrown blood cancer therapy by 2026."""

import pytest

from centers.models import Organization
from therapies.models import TherapyOffering

from .facts import assert_cited_by, assert_figure

SOURCE = "mntv-car-t-clinical-trials-by-2026"
pytestmark = pytest.mark.django_db


def test_car_t_is_developed_at_ncb_with_trials_by_2026(seeded_module, db):
    offering = TherapyOffering.objects.get(slug="car-t-cell-therapy-ncb")
    assert offering.therapy.slug == "car-t-cell-therapy"
    assert offering.therapy.modality == "cell_therapy"
    assert offering.organization.slug == "national-center-for-biotechnology"
    assert offering.role == "developer"
    assert offering.stage == "clinical_trial_planned"
    assert (offering.date_year, offering.date_month, offering.date_day) == (2026, None, None)
    assert offering.date_precision == "year"
    assert offering.date_qualifier == "by"
    assert offering.date_display == "by (no later than) 2026"
    assert list(offering.cancer_types.values_list("slug", flat=True)) == ["blood-cancers"]
    assert_cited_by(offering, SOURCE, "expected to enter clinical trials by 2026")


def test_ncb_holds_more_than_230_patents(seeded_module, db):
    fact = assert_figure(
        "ncb-patents-held",
        organization="national-center-for-biotechnology",
        metric="patents-held",
        value="230",
        qualifier="over",
        kind="delivered",
        period="cumulative",
    )
    assert_cited_by(fact, SOURCE, "more than 230 patents")


def test_the_ncb_location_is_not_invented(seeded_module, db):
    ncb = Organization.objects.get(slug="national-center-for-biotechnology")
    assert ncb.region is None
    assert ncb.city == ""


@pytest.mark.parametrize("slug", ["wipo", "eurasian-patent-office"])
def test_visiting_delegations_are_organisations(seeded_module, db, slug):
    organization = Organization.objects.get(slug=slug)
    assert organization.kind == "international_organization"
    assert_cited_by(organization, SOURCE, "World Intellectual Property Organization")
