"""Model rules: partial dates, qualifiers, constraints, clean() messages, readable __str__."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from centers.models import CapacityFigure, Equipment, Organization
from oncoregistry.sources.models import Citation
from partnerships.models import Agreement, Funding
from tests import factories

pytestmark = pytest.mark.django_db


def agreement(**dates):
    return factories.AgreementFactory.build(slug="a", title="A memorandum", **dates)


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"date_precision": "day", "date_year": 2024, "date_month": 2, "date_day": 30}, "date_day"),
        (
            {"date_precision": "month", "date_year": 2024, "date_month": 13, "date_day": None},
            "date_month",
        ),
        (
            {"date_precision": "year", "date_year": None, "date_month": None, "date_day": None},
            "date_year",
        ),
        (
            {"date_precision": "month", "date_year": 2024, "date_month": 4, "date_day": 3},
            "date_day",
        ),
        (
            {"date_precision": "unknown", "date_year": 2024, "date_month": None, "date_day": None},
            "date_precision",
        ),
    ],
)
def test_partial_date_rules(dates, field):
    with pytest.raises(ValidationError) as error:
        agreement(**dates).full_clean()
    assert field in error.value.message_dict


def test_day_and_month_without_a_year_is_allowed_and_has_no_derived_date():
    memo = agreement(date_precision="day", date_year=None, date_month=5, date_day=30)
    memo.full_clean()
    memo.save()
    assert memo.date is None
    assert memo.date_display == "30 May (year not stated)"


def test_29_february_is_allowed_when_the_year_is_unknown():
    agreement(date_precision="day", date_year=None, date_month=2, date_day=29).full_clean()


def test_derived_date_is_the_first_day_covered():
    memo = agreement(date_precision="month", date_year=2024, date_month=7, date_day=None)
    memo.save()
    assert memo.date == datetime.date(2024, 7, 1)
    assert memo.date_display == "July 2024"


def test_agreement_signed_in_the_future_is_refused():
    future = datetime.date.today().year + 2
    memo = agreement(status="signed", date_precision="year", date_year=future, date_month=None)
    with pytest.raises(ValidationError, match="cannot have a signing date in the future"):
        memo.full_clean()
    memo.status = "planned"
    memo.full_clean()


@pytest.mark.parametrize(
    ("model_factory", "field", "value"),
    [
        (factories.CapacityFigureFactory, "qualifier", "roughly"),
        (factories.CapacityFigureFactory, "date_precision", "decade"),
        (factories.CapacityFigureFactory, "value", Decimal("-1")),
        (factories.EquipmentFactory, "count_qualifier", "many"),
        (factories.FundingFactory, "amount", Decimal("-5")),
        (factories.FundingFactory, "currency", "XYZ"),
        (factories.OrganizationFactory, "kind", "spaceport"),
        (factories.TherapyOfferingFactory, "stage", "rumoured"),
    ],
)
def test_database_constraints_hold_without_clean(model_factory, field, value):
    record = model_factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(**{field: value})


def test_period_months_rule():
    figure = factories.CapacityFigureFactory.build(
        organization=factories.OrganizationFactory(),
        metric=factories.MetricFactory(),
        period="months",
        period_months=None,
    )
    with pytest.raises(ValidationError, match="how many months"):
        figure.full_clean()
    figure.period_months = 5
    figure.full_clean()
    figure.period = "per_year"
    with pytest.raises(ValidationError, match="Only a figure counted over months"):
        figure.full_clean()


def test_negative_capacity_is_refused_in_plain_words():
    figure = factories.CapacityFigureFactory.build(
        organization=factories.OrganizationFactory(), metric=factories.MetricFactory(), value=-3
    )
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "value" in error.value.message_dict


def test_funding_needs_an_amount_or_a_statement_and_a_currency():
    funding = factories.FundingFactory.build(funder=None, amount=None, statement="", currency="")
    with pytest.raises(ValidationError, match="relative statement"):
        funding.full_clean()
    funding.amount = Decimal("10")
    with pytest.raises(ValidationError, match="needs its currency"):
        funding.full_clean()
    funding.currency = "KZT"
    funding.full_clean()
    assert funding.amount_display == "10 KZT"


def test_an_organisation_cannot_be_its_own_ancestor():
    center = factories.OrganizationFactory()
    unit = factories.OrganizationFactory(parent=center)
    center.parent = unit
    with pytest.raises(ValidationError, match="part of itself"):
        center.full_clean()


def test_only_kazakh_organisations_have_a_region():
    org = factories.OrganizationFactory.build(
        slug="x", country="GB", region=factories.RegionFactory()
    )
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "region" in error.value.message_dict


def test_citation_quote_must_be_verbatim():
    source = factories.SourceFactory()
    citation = Citation(
        source=source,
        quote="about 12,000 procedures a year",
        content_type_id=factories.CitationFactory().content_type_id,
        object_id=1,
    )
    with pytest.raises(ValidationError, match="does not appear in the source"):
        citation.full_clean()


def test_citation_field_name_must_exist():
    citation = factories.CitationFactory()
    citation.field_name = "no_such_field"
    with pytest.raises(ValidationError, match="no field named"):
        citation.full_clean()


def test_slugs_are_unique():
    factories.OrganizationFactory(slug="nsoc")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(slug="nsoc", name="Another", kind="unit")


def test_readable_str():
    nsoc = factories.OrganizationFactory(
        name="National Research Oncology Center", short_name="NSOC"
    )
    assert str(nsoc) == "National Research Oncology Center (NSOC)"
    figure = factories.CapacityFigureFactory(
        organization=nsoc,
        metric=factories.MetricFactory(name="Transplants"),
        value=330,
        qualifier="up_to",
    )
    assert str(figure) == "NSOC — Transplants: up to 330 per year"
    linacs = factories.EquipmentFactory(
        organization=nsoc,
        name="Linacs",
        count=7,
        count_qualifier="at_least",
        model_name="EDGE, ETHOS",
    )
    assert linacs.count_display == "at least 7"
    assert str(linacs) == "NSOC — at least 7 linacs (EDGE, ETHOS)"
    bunkers = factories.EquipmentFactory(
        organization=nsoc, name="Radiation therapy bunkers", count=8, model_name=""
    )
    assert str(bunkers) == "NSOC — 8 radiation therapy bunkers"
    assert str(
        factories.FundingFactory(
            amount=Decimal("170000000000"),
            currency="KZT",
            amount_qualifier="over",
            purpose="Oncology care",
        )
    ) == ("Oncology care: over 170,000,000,000 KZT")
    assert (
        isinstance(Equipment._meta.verbose_name_plural, str) or Equipment._meta.verbose_name_plural
    )
    assert CapacityFigure.Kind.TARGET.label
    assert Agreement.Status.PLANNED
    assert Funding.Period.ANNUAL


def test_derived_displays_are_read_only_and_follow_their_fields():
    figure = factories.CapacityFigureFactory.build(value=Decimal("330"), qualifier="up_to")
    assert figure.value_display == "up to 330"
    figure.qualifier = "exact"
    assert figure.value_display == "330"
    with pytest.raises(AttributeError, match="derived from value, qualifier"):
        figure.value_display = "330 patients"
