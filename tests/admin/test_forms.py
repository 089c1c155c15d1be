"""Record forms read like the registry: a blank slug is made from the name (Cyrillic in
Latin), never required, and kept unique."""

import pytest
from django.forms import modelform_factory
from django.urls import reverse

from centers.models import CapacityFigure, Metric
from oncoregistry.core.admin import DuplicateLinkForm
from tests import factories

pytestmark = pytest.mark.django_db

MetricForm = modelform_factory(Metric, form=DuplicateLinkForm, fields=("name", "unit", "slug"))


def test_a_blank_slug_is_made_from_a_cyrillic_name():
    form = MetricForm({"name": "Исследования ПЭТ", "unit": "исследований", "slug": ""})
    assert not form.fields["slug"].required
    assert form.is_valid(), form.errors
    assert form.save().slug == "issledovaniya-pet"


def test_a_made_slug_never_repeats_another_records():
    factories.MetricFactory(name="PET studies", slug="pet-studies")
    form = MetricForm({"name": "PET  studies!", "unit": "studies", "slug": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "pet-studies-2"


def test_a_typed_slug_is_kept():
    form = MetricForm({"name": "PET studies", "unit": "studies", "slug": "pet"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "pet"


def test_a_figure_without_a_name_is_named_by_its_organisation_metric_and_year():
    nsoc = factories.OrganizationFactory(slug="national-research-oncology-center")
    metric = factories.MetricFactory(slug="pet-studies")
    form = modelform_factory(
        CapacityFigure,
        form=DuplicateLinkForm,
        fields=("slug", "organization", "metric", "value", "qualifier", "kind", "period"),
    )(
        {
            "slug": "",
            "organization": nsoc.pk,
            "metric": metric.pk,
            "value": "12000",
            "qualifier": "up_to",
            "kind": "target",
            "period": "per_year",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "national-research-oncology-center-pet-studies"


def test_a_citation_names_its_field_by_the_records_own_labels(client):
    client.force_login(factories.EditorFactory())
    figure = factories.CapacityFigureFactory()
    response = client.get(reverse("admin:centers_capacityfigure_change", args=[figure.pk]))
    html = response.content.decode()
    assert '<select name="sources-citation-content_type-object_id-0-field_name"' in html
    assert '<option value="value">Value</option>' in html
    assert '<option value="" selected>The whole record</option>' in html
    assert '<option value="slug"' not in html
