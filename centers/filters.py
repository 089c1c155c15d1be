"""One filterset per model, shared by the REST API and the public list pages."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oncoregistry.core.filters import (
    PartialDateFilterSet,
    RegistryFilterSet,
    qualifier_filter,
    slug_filter,
)
from oncoregistry.core.meta import options

from .models import (
    CapacityFigure,
    Designation,
    Equipment,
    Metric,
    Organization,
    Region,
)

ORGANIZATION_SEARCH_FIELDS = (
    "slug",
    "name",
    "name_ru",
    "name_kk",
    "short_name",
    "aliases",
    "city",
    "description",
)


def related_model(model, path):
    """The model at the end of a relation path such as ``"therapy_offerings__therapy"``.

    Apps above centers (therapies) are reached through their relations, never imported."""
    for name in path.split("__"):
        model = options(model).get_field(name).related_model
    return model


def organization_filter(field_name, label, **kwargs):
    return slug_filter(Organization.objects.all(), field_name, label, **kwargs)


def region_filter(field_name="region"):
    return slug_filter(Region.objects.all(), field_name, _("Region"))


class RegionFilterSet(RegistryFilterSet):
    search_fields = ("slug", "name", "name_ru", "name_kk", "administrative_center")

    kind = django_filters.MultipleChoiceFilter(choices=Region.Kind.choices, label=_("Kind"))

    class Meta:
        model = Region
        fields = ["kind"]


class OrganizationFilterSet(RegistryFilterSet):
    search_fields = ORGANIZATION_SEARCH_FIELDS
    search_related_keys = ("region__search_text",)  # "Астана" finds the centers in Astana

    region = region_filter()
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", label=_("City"))
    kind = django_filters.MultipleChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(
        choices=Organization.Status.choices, label=_("Status")
    )
    parent = organization_filter("parent", _("Part of"))
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    therapy = slug_filter(
        related_model(Organization, "therapy_offerings__therapy").objects.all(),
        "therapy_offerings__therapy",
        _("Offers therapy"),
    )
    equipment_category = django_filters.MultipleChoiceFilter(
        field_name="equipment__category",
        choices=Equipment.Category.choices,
        label=_("Has equipment of category"),
        distinct=True,
    )

    class Meta:
        model = Organization
        fields = ["region", "city", "kind", "status", "parent", "country"]


class EquipmentFilterSet(RegistryFilterSet):
    search_fields = (
        "slug",
        "name",
        "model_name",
        "features",
        "organization__name",
        "organization__aliases",
        "manufacturer__name",
    )

    organization = organization_filter("organization", _("Organization"))
    region = region_filter("organization__region")
    manufacturer = organization_filter("manufacturer", _("Manufacturer"))
    category = django_filters.MultipleChoiceFilter(
        choices=Equipment.Category.choices, label=_("Category")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Equipment.Status.choices, label=_("Status")
    )
    qualifier = qualifier_filter("count_qualifier")
    count_min = django_filters.NumberFilter(field_name="count", lookup_expr="gte")
    count_max = django_filters.NumberFilter(field_name="count", lookup_expr="lte")

    class Meta:
        model = Equipment
        fields = ["organization", "category", "status", "manufacturer"]


class MetricFilterSet(RegistryFilterSet):
    search_fields = ("slug", "name", "name_ru", "name_kk", "unit", "description")

    unit = django_filters.CharFilter(
        field_name="unit", lookup_expr="iexact", label=pgettext_lazy("unit of measure", "Unit")
    )

    class Meta:
        model = Metric
        fields = ["unit"]


class CapacityFigureFilterSet(PartialDateFilterSet):
    search_fields = (
        "slug",
        "notes",
        "metric__name",
        "organization__name",
        "organization__aliases",
    )

    organization = organization_filter("organization", _("Organization"))
    region = region_filter("organization__region")
    metric = slug_filter(Metric.objects.all(), "metric", _("Metric"))
    kind = django_filters.MultipleChoiceFilter(choices=CapacityFigure.Kind.choices, label=_("Kind"))
    period = django_filters.MultipleChoiceFilter(
        choices=CapacityFigure.Period.choices, label=_("Period")
    )
    qualifier = qualifier_filter("qualifier")
    value_min = django_filters.NumberFilter(field_name="value", lookup_expr="gte")
    value_max = django_filters.NumberFilter(field_name="value", lookup_expr="lte")

    class Meta:
        model = CapacityFigure
        fields = ["organization", "metric", "kind", "period", "qualifier"]


class DesignationFilterSet(PartialDateFilterSet):
    search_fields = ("slug", "title", "notes", "organization__name", "awarding_body__name")

    organization = organization_filter("organization", _("Organization"))
    region = region_filter("organization__region")
    awarding_body = organization_filter("awarding_body", _("Awarding body"))
    status = django_filters.MultipleChoiceFilter(
        choices=Designation.Status.choices, label=_("Status")
    )

    class Meta:
        model = Designation
        fields = ["organization", "awarding_body", "status"]
