"""A dated record's date in the admin is one field (issue 19, item 2): year, optional month,
optional day and "Year not stated" as a visible choice; the precision is what was filled in,
nothing is pre-filled, and mistakes are refused in plain words."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from centers.models import CapacityFigure
from oncoregistry.core.partial_dates import PartialDate, PartialDateField
from oncoregistry.review.models import ChangeRequest
from tests import factories
from tests.integrity.conftest import CITATIONS, admin_form_data, inline_management

ADD = reverse("admin:centers_capacityfigure_add")


@pytest.mark.parametrize(
    ("parts", "date", "precision"),
    [
        (["", "", "", ""], (None, None, None, False), "unknown"),
        (["2026", "", "", ""], (2026, None, None, False), "year"),
        (["2024", "5", "", ""], (2024, 5, None, False), "month"),
        (["2024", "5", "30", ""], (2024, 5, 30, False), "day"),
        # "On 30 May" with no year, as an article may say it.
        (["", "5", "30", "on"], (None, 5, 30, True), "day"),
        (["", "2", "29", "on"], (None, 2, 29, True), "day"),
        # The box alone: no date, as when nothing is filled in.
        (["", "", "", "on"], (None, None, None, False), "unknown"),
    ],
)
def test_the_precision_is_what_is_filled_in(parts, date, precision):
    cleaned = PartialDateField().clean(parts)
    assert cleaned == PartialDate(*date)
    assert cleaned.precision == precision


@pytest.mark.parametrize(
    ("parts", "messages"),
    [
        (
            ["", "5", "30", ""],
            [
                "Write the year, or tick “Year not stated” when the source gives the day or "
                "month without one."
            ],
        ),
        (["", "", "5", ""], ["A day needs its month: choose the month, or clear the day."]),
        (
            ["2024", "", "", "on"],
            ["You wrote a year and ticked “Year not stated”: keep the one the source gives."],
        ),
        (["2023", "2", "29", ""], ["February has no day 29."]),
        (["1850", "", "", ""], ["The year must be between 1900 and 2100."]),
        (
            ["twenty", "13", "32", ""],
            [
                "Write the year in digits, e.g. 2024.",
                "Choose the month from the list.",
                "The day must be between 1 and 31.",
            ],
        ),
    ],
)
def test_mistakes_are_refused_in_plain_words(parts, messages):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        PartialDateField().clean(parts)
    assert refused.value.messages == messages


@pytest.fixture
def editor(db):
    return factories.EditorFactory(username="editor")


@pytest.fixture
def client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def pet(db):
    center = factories.OrganizationFactory(
        slug="national-research-oncology-center", name="National Research Oncology Center"
    )
    metric = factories.MetricFactory(slug="pet-studies", name="PET studies", unit="studies")
    return center, metric


def figure_form(pet, **date):
    center, metric = pet
    return {
        "slug": "",
        "organization": center.pk,
        "metric": metric.pk,
        "value": "12000",
        "qualifier": "up_to",
        "kind": "capacity",
        "period": "per_year",
        "period_months": "",
        "notes": "",
        "date_qualifier": "on",
        "partial_date_0": "",
        "partial_date_1": "",
        "partial_date_2": "",
        **date,
        **inline_management(CITATIONS),
    }


def test_a_new_figures_date_is_one_field_with_nothing_filled_in(client):
    html = client.get(ADD).content.decode()
    assert '<div class="partial-date" role="group">' in html
    # The parts the model keeps are not asked for one by one, nor is the precision.
    for old in ('name="date_precision"', 'name="date_year"', 'name="date_month"'):
        assert old not in html
    assert '<input type="number" name="partial_date_0" min="1900" max="2100"' in html
    assert '<option value="" selected>— month —</option>' in html
    assert '<input type="checkbox" name="partial_date_3" id="id_partial_date_3">' in html
    assert "<span>Year not stated</span>" in html
    date = html.split('<div class="partial-date" role="group">')[1].split("</div>")[0]
    # Nothing pre-filled, not even a greyed example that would read as a date.
    assert "placeholder" not in date and "checked" not in date
    assert not re.search(r"<input[^>]* value=", date)
    assert date.count(" selected") == 1  # "— month —"


def test_a_day_and_month_without_a_year_are_saved_as_the_source_gives_them(client, pet):
    data = figure_form(pet, partial_date_1="5", partial_date_2="30", partial_date_3="on")
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    figure = CapacityFigure.objects.get()
    assert (figure.date_year, figure.date_month, figure.date_day) == (None, 5, 30)
    assert (figure.date_precision, figure.date) == ("day", None)
    assert figure.date_display == "30 May (year not stated)"
    assert figure.publication_state == "draft"

    page = client.get(reverse("admin:centers_capacityfigure_change", args=[figure.pk]))
    html = page.content.decode()
    assert '<option value="5" selected>May</option>' in html
    assert 'name="partial_date_2" value="30"' in html
    assert 'name="partial_date_3" id="id_partial_date_3" checked' in html


def test_a_year_alone_is_a_date_at_year_precision_and_names_the_slug(client, pet):
    response = client.post(ADD, figure_form(pet, partial_date_0="2026"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    figure = CapacityFigure.objects.get()
    assert (figure.date_year, figure.date_month, figure.date_precision) == (2026, None, "year")
    assert figure.slug == "national-research-oncology-center-pet-studies-2026"


def test_the_forms_errors_stand_at_the_date(client, pet):
    page = client.post(ADD, figure_form(pet, partial_date_1="5", partial_date_2="30"))
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "partial_date": [
            "Write the year, or tick “Year not stated” when the source gives the day or month "
            "without one."
        ]
    }
    assert not CapacityFigure.objects.exists()


def test_a_qualifier_needs_a_date(client, pet):
    page = client.post(ADD, figure_form(pet, date_qualifier="by"))
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "date_qualifier": [
            "“by (no later than)” needs a date: write the date the source gives, or choose “on”."
        ]
    }


def test_the_models_own_date_rule_is_shown_at_the_date(client, pet):
    from django.utils import timezone

    future = str(timezone.localdate().year + 1)
    data = figure_form(pet, partial_date_0=future)
    data["kind"] = "delivered"
    page = client.post(ADD, data)
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert list(errors) == ["partial_date"]
    assert "A volume delivered cannot be dated in the future" in errors["partial_date"][0]


def test_a_published_figures_new_date_is_proposed_for_review(client, editor, pet):
    center, metric = pet
    figure = factories.CapacityFigureFactory(
        slug="nroc-pet", organization=center, metric=metric, value=12000, qualifier="up_to"
    )
    url = reverse("admin:centers_capacityfigure_change", args=[figure.pk])
    data = admin_form_data(client.get(url))
    data.update(
        partial_date_0="2024",
        partial_date_1="5",
        change_reason="The article dates the figure May 2024",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = ChangeRequest.objects.get()
    assert change.changes == {"date_year": 2024, "date_month": 5, "date_precision": "month"}
    figure.refresh_from_db()
    assert (figure.date_year, figure.date_precision) == (None, "unknown")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["Год не указан", "— месяц —", '<option value="5">май</option>']),
        ("kk", ["Жылы көрсетілмеген", "— ай —"]),
    ],
)
def test_the_date_field_speaks_russian_and_kazakh(client, language, words):
    html = client.get(ADD, headers={"accept-language": language}).content.decode()
    for word in words:
        assert word in html


def test_a_dated_figure_saved_as_opened_keeps_its_date(client, pet):
    center, metric = pet
    figure = factories.CapacityFigureFactory(
        slug="nroc-pet",
        organization=center,
        metric=metric,
        value=12000,
        qualifier="up_to",
        publication_state="draft",
        date_year=2024,
        date_month=5,
        date_precision="month",
    )
    url = reverse("admin:centers_capacityfigure_change", args=[figure.pk])
    data = admin_form_data(client.get(url))
    assert (data["partial_date_0"], data["partial_date_1"]) == (2024, 5)
    data["notes"] = "In-house production will support up to 12,000 studies per year."
    assert client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.date_year, figure.date_month, figure.date_day) == (2024, 5, None)
    assert figure.date_precision == "month"
    assert figure.notes == "In-house production will support up to 12,000 studies per year."
