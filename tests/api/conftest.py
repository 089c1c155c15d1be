"""Shared fixtures for the API tests: clients with and without tokens, and a small
registry built through the factories (one record of each kind, plus a second one so
that filters and page sizes have something to tell apart)."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


def _token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editors_group(db):
    """The Editors group its migrations made (rebuilt after a transactional test's flush)."""
    return factories.editors_group()


@pytest.fixture
def editor_client(editors_group):
    user = factories.UserFactory(username="editor")
    user.groups.add(editors_group)
    return _token_client(user)


@pytest.fixture
def reader_client(db):
    """A read-only account: authenticated, no model permissions."""
    return _token_client(factories.UserFactory(username="reader"))


@pytest.fixture
def registry(db):
    """A small registry shaped like the real one."""
    f = factories
    astana = f.RegionFactory(
        slug="astana", name="Astana", kind="city", administrative_center="Astana"
    )
    almaty = f.RegionFactory(
        slug="almaty", name="Almaty", kind="city", administrative_center="Almaty"
    )
    nsoc = f.OrganizationFactory(
        slug="national-research-oncology-center",
        name="National Research Oncology Center",
        short_name="NSOC",
        aliases="National Scientific Oncology Center\nNSOC",
        region=astana,
        city="Astana",
    )
    unit = f.OrganizationFactory(
        slug="proton-therapy-center",
        name="Proton Therapy Center",
        kind="unit",
        parent=nsoc,
        region=astana,
        city="Astana",
        status="under_construction",
    )
    almaty_center = f.OrganizationFactory(
        slug="almaty-oncology-center",
        name="Almaty Oncology Center",
        region=almaty,
        city="Almaty",
        status="planned",
    )
    astrazeneca = f.OrganizationFactory(
        slug="astrazeneca",
        name="AstraZeneca",
        kind="pharmaceutical_company",
        region=None,
        country="GB",
        city="Cambridge",
    )
    iaea = f.OrganizationFactory(
        slug="iaea",
        name="International Atomic Energy Agency",
        short_name="IAEA",
        kind="international_organization",
        region=None,
        country="",
        city="",
    )
    ministry = f.OrganizationFactory(
        slug="ministry-of-healthcare",
        name="Ministry of Healthcare",
        kind="government_body",
        region=astana,
        city="Astana",
    )
    linac = f.EquipmentFactory(
        slug="nsoc-linacs",
        organization=nsoc,
        name="Linear accelerators",
        count=3,
        count_qualifier="about",
        manufacturer=astrazeneca,
    )
    proton = f.EquipmentFactory(
        slug="proton-system",
        organization=unit,
        name="Proton therapy system",
        category="proton_therapy_system",
        count=1,
        status="planned",
    )
    procedures = f.MetricFactory(slug="procedures-per-year", name="Procedures per year")
    patients = f.MetricFactory(slug="patients-treated", name="Patients treated", unit="patients")
    figure_2024 = f.CapacityFigureFactory(
        slug="nsoc-procedures-2024",
        organization=nsoc,
        metric=procedures,
        value=12000,
        qualifier="about",
        kind="delivered",
        date_year=2024,
        date_precision="year",
    )
    figure_target = f.CapacityFigureFactory(
        slug="almaty-patients-target",
        organization=almaty_center,
        metric=patients,
        value=1000,
        qualifier="up_to",
        kind="target",
    )
    anchor = f.DesignationFactory(
        slug="nsoc-iaea-anchor-center",
        organization=nsoc,
        awarding_body=iaea,
        title="Anchor Center",
        status="pursuing",
        date_year=2025,
        date_month=3,
        date_precision="month",
    )
    accredited = f.DesignationFactory(
        slug="almaty-accreditation",
        organization=almaty_center,
        awarding_body=iaea,
        title="Accreditation",
        status="granted",
    )
    blood = f.CancerTypeFactory(slug="blood-cancers", name="Blood cancers")
    leukemia = f.CancerTypeFactory(slug="leukemia", name="Leukemia", parent=blood)
    car_t = f.TherapyFactory(slug="car-t-cell-therapy", name="CAR-T cell therapy")
    car_t.cancer_types.set([blood, leukemia])
    proton_therapy = f.TherapyFactory(
        slug="proton-therapy", name="Proton therapy", modality="proton_therapy"
    )
    car_t_offering = f.TherapyOfferingFactory(
        slug="car-t-at-almaty",
        therapy=car_t,
        organization=almaty_center,
        role="developer",
        stage="clinical_trial_planned",
        date_year=2026,
        date_precision="year",
        date_qualifier="by",
    )
    car_t_offering.cancer_types.set([leukemia])
    proton_offering = f.TherapyOfferingFactory(
        slug="proton-at-nsoc",
        therapy=proton_therapy,
        organization=unit,
        stage="planned_service",
    )
    memorandum = f.AgreementFactory(
        slug="astrazeneca-nsoc-memorandum",
        title="AstraZeneca and NSOC memorandum",
        date_year=2024,
        date_month=4,
        date_day=12,
        date_precision="day",
        place="Astana",
    )
    f.AgreementPartyFactory(agreement=memorandum, organization=nsoc)
    f.AgreementPartyFactory(agreement=memorandum, organization=astrazeneca)
    f.FocusAreaFactory(agreement=memorandum, order=1, title="Clinical research")
    f.FocusAreaFactory(agreement=memorandum, order=2, title="Training of specialists")
    transfer = f.AgreementFactory(
        slug="almaty-technology-transfer",
        title="Technology transfer to Almaty",
        kind="technology_transfer",
        date_year=2025,
        date_month=1,
        date_precision="month",
    )
    f.AgreementPartyFactory(agreement=transfer, organization=almaty_center, role="beneficiary")
    budget = f.FundingFactory(
        slug="state-oncology-budget",
        funder=ministry,
        amount=170_000_000_000,
        currency="KZT",
        amount_qualifier="over",
        period="annual",
        purpose="State oncology budget",
        date_year=2024,
        date_precision="year",
    )
    grant = f.FundingFactory(
        slug="astrazeneca-grant",
        funder=astrazeneca,
        recipient=almaty_center,
        amount=1_000_000,
        currency="USD",
        period="one_off",
        purpose="Research grant",
        agreement=transfer,
        date_year=2025,
        date_precision="year",
    )
    return {name: value for name, value in locals().items() if name not in {"f"}}
