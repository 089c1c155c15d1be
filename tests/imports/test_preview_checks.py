"""The dry run checks rows with ``record_check`` instead of writing them: it must refuse exactly
what ``full_clean`` (the write's check) refuses, with the same words, and ask the database
nothing that the records read once for the file answer."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from centers.models import CapacityFigure, Metric, Organization
from oncoregistry.core.meta import options
from oncoregistry.core.records import Known, condition_value, record_check
from oncoregistry.core.uniqueness import KeyIndex

EXISTING = "nsoc-diagnostic-surgical-procedures-per-year"
User = get_user_model()
NEXT_YEAR = datetime.date.today().year + 1


def messages(check):
    try:
        check()
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.fixture
def known(seeded_once):
    figures = list(CapacityFigure.objects.select_related("organization", "metric"))
    return Known(
        related={
            Organization: set(Organization.objects.values_list("pk", flat=True)),
            Metric: set(Metric.objects.values_list("pk", flat=True)),
        },
        unique={"slug": {f.slug: f.pk for f in figures}},
        keys=KeyIndex(CapacityFigure.natural_key_spec, figures),
    )


def new_figure(**values):
    existing = CapacityFigure.objects.select_related("organization", "metric").get(slug=EXISTING)
    fields = {
        "organization": existing.organization,
        "metric": existing.metric,
        "value": Decimal("100"),
        "qualifier": "exact",
        "kind": "capacity",
        "period": "per_year",
        "date_year": 2019,
        "date_precision": "year",
        "slug": "a-new-figure",
    }
    fields.update(values)
    return CapacityFigure(**fields)


def existing_figure(**values):
    figure = CapacityFigure.objects.select_related("organization", "metric").get(slug=EXISTING)
    for name, value in values.items():
        setattr(figure, name, value)
    return figure


CASES = {
    "good": lambda: new_figure(),
    "negative value": lambda: new_figure(value=Decimal("-1")),
    "months without a number": lambda: new_figure(period="months"),
    "a number of months per year": lambda: new_figure(period_months=5),
    "delivered next year": lambda: new_figure(kind="delivered", date_year=NEXT_YEAR),
    "month 13": lambda: new_figure(date_month=13, date_precision="month"),
    "day without month": lambda: new_figure(date_day=3, date_precision="day"),
    "unknown qualifier": lambda: new_figure(qualifier="roughly"),
    "unknown kind": lambda: new_figure(kind="guess"),
    "long slug": lambda: new_figure(slug="x" * 130),
    "slug of another figure": lambda: new_figure(slug=EXISTING),
    "the key of another figure": lambda: new_figure(
        **{
            name: getattr(existing_figure(), name)
            for name in ("kind", "period", "period_months", "date_year", "date_month", "date_day")
        },
        date_precision=existing_figure().date_precision,
    ),
    "an existing figure changed": lambda: existing_figure(value=Decimal("12500")),
    "an existing figure changed wrongly": lambda: existing_figure(value=Decimal("-3")),
}


def test_record_check_refuses_what_full_clean_refuses_without_a_query(
    known, django_assert_num_queries
):
    for case, make in CASES.items():
        expected = messages(make().full_clean)
        instance = make()
        with django_assert_num_queries(0):
            found = messages(lambda instance=instance: record_check(instance, known=known))
        assert found == expected, case
        assert bool(found) == (case not in ("good", "an existing figure changed")), case


def test_a_foreign_key_it_was_not_told_of_is_looked_up(known):
    instance = new_figure()
    instance.organization_id = 999_999_999  # no such organisation
    expected = messages(new_figure(organization_id=999_999_999).full_clean)
    assert "organization" in expected
    assert messages(lambda: record_check(instance, known=known)) == expected


GRID = [
    {},
    {"value": Decimal("-5")},
    {"value": None},
    {"period": "months"},
    {"period": "months", "period_months": 0},
    {"period": "months", "period_months": 6},
    {"period_months": 6},
    {"date_month": 0},
    {"date_month": 12, "date_day": 31},
    {"date_day": 32},
    {"date_precision": "decade"},
    {"date_qualifier": "around"},
    {"qualifier": "roughly"},
    {"kind": "guess"},
]


def test_check_constraints_evaluated_in_python_agree_with_the_database(seeded_once):
    checks = [
        c for c in options(CapacityFigure).constraints if isinstance(c, models.CheckConstraint)
    ]
    assert len(checks) == 8
    refused = 0
    for values in GRID:
        instance = new_figure(**values)
        for constraint in checks:
            in_python = condition_value(constraint.condition, instance) is not False
            try:
                constraint.validate(CapacityFigure, instance)
                in_database = True
            except ValidationError:
                in_database = False
            assert in_python == in_database, (constraint.name, values)
            refused += not in_database
    assert refused == 9  # the grid breaks them (a NULL passes, as in the database)


def test_a_unique_field_it_was_not_told_of_is_asked_of_the_database(seeded_once):
    from centers.models import Region

    existing = Region.objects.order_by("pk").first()
    fields = options(Region).concrete_fields
    twin = Region(**{f.attname: getattr(existing, f.attname) for f in fields if not f.primary_key})
    twin.slug = "another-slug"  # the name stays: regions' names are unique
    twin.grid_row = twin.grid_col = 99  # a free tile
    expected = messages(twin.full_clean)
    assert list(expected) == ["name"]
    assert messages(lambda: record_check(twin)) == expected
    assert messages(lambda: record_check(twin, known=Known(unique={"slug": {}}))) == expected


def test_a_check_it_cannot_evaluate_is_asked_of_the_database(
    seeded_once, django_assert_num_queries
):
    from oncoregistry.review.models import ChangeRequest
    from tests.factories import ReviewerFactory

    reviewer = ReviewerFactory()
    figure = existing_figure()
    # Four eyes compares two columns (an F expression): Python leaves it to the database.
    change = ChangeRequest(
        record=figure,
        changes={"value": "1"},
        base_version="x",
        reason="r",
        proposed_by=reviewer,
        reviewed_by=reviewer,
    )
    expected = messages(change.full_clean)
    assert "review_changerequest_reviewer_not_proposer" in str(expected)
    with django_assert_num_queries(3):  # that check, in its savepoint (Django's Q.check)
        found = messages(
            lambda: record_check(
                change,
                known=Known(related={ContentType: {change.content_type_id}, User: {reviewer.pk}}),
            )
        )
    assert found == expected
