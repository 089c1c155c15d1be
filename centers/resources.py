"""Spreadsheet columns of the centers app's records (import and export alike)."""

from django.utils.translation import gettext_lazy as _

from oncoregistry.core.choices import Qualifier
from oncoregistry.imports.columns import (
    DATE_COLUMNS,
    choice,
    number,
    partial_date_columns,
    slug_of,
    text,
)
from oncoregistry.imports.resources import RegistryResource

from .choices import (
    CapacityKind,
    CapacityPeriod,
    EquipmentCategory,
    EquipmentStatus,
    OrganizationKind,
    OrganizationStatus,
)
from .models import CapacityFigure, Equipment, Metric, Organization, Region

SLUG_MEANING = _(
    "The record's stable name in links, e.g. national-research-oncology-center. Empty for a "
    "new record: made from its name."
)


class OrganizationResource(RegistryResource):
    """Organisations with their other names (aliases, one per line of the cell)."""

    label = _("organisations")
    resource_name = "organisations"
    slug_from = ("name",)

    slug = text("slug", SLUG_MEANING)
    name = text("name", _("Name in English, as the registry shows it."), required=True)
    name_ru = text("name_ru", _("Name in Russian, if known."))
    name_kk = text("name_kk", _("Name in Kazakh, if known."))
    short_name = text("short_name", _("Abbreviation the sources use, e.g. NSOC."))
    aliases = text(
        "aliases",
        _("Other names the sources use for it, one per line of the cell (Alt+Enter)."),
    )
    kind = choice(
        "kind", OrganizationKind.choices, _("What kind of organisation it is."), required=True
    )
    parent = slug_of("parent", Organization, _("Slug of the organisation it is part of, if any."))
    country = text("country", _("Two-letter country code (KZ). Empty: not stated."))
    city = text("city", _("City in English."))
    city_ru = text("city_ru", _("City in Russian."))
    city_kk = text("city_kk", _("City in Kazakh."))
    region = slug_of("region", Region, _("Slug of its region of Kazakhstan, e.g. astana."))
    latitude = number("latitude", _("Latitude in decimal degrees, e.g. 51.128."))
    longitude = number("longitude", _("Longitude in decimal degrees, e.g. 71.430."))
    website = text("website", _("Its website address, starting with https://."))
    status = choice(
        "status",
        OrganizationStatus.choices,
        _("Operating, planned…"),
        default=OrganizationStatus.OPERATING,
    )
    description = text("description", _("A sentence on what it does, in English."))

    class Meta:
        model = Organization
        fields = (
            "slug",
            "name",
            "name_ru",
            "name_kk",
            "short_name",
            "aliases",
            "kind",
            "parent",
            "country",
            "city",
            "city_ru",
            "city_kk",
            "region",
            "latitude",
            "longitude",
            "website",
            "status",
            "description",
            "source",
            "quote",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    def get_queryset(self):
        return Organization.objects.select_related("region", "parent")

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset.select_related("region", "parent"), **kwargs)


class EquipmentResource(RegistryResource):
    """Equipment, matched by organisation, category, maker and model."""

    label = _("equipment")
    resource_name = "equipment"
    ignore_case = ("model_name",)
    slug_from = ("organization", "name")

    organization = slug_of(
        "organization", Organization, _("Slug of the organisation that has it."), required=True
    )
    category = choice(
        "category", EquipmentCategory.choices, _("What kind of equipment."), required=True
    )
    name = text(
        "name", _("What the source calls it, e.g. Varian linear accelerators."), required=True
    )
    name_ru = text("name_ru", _("Name in Russian, if known."))
    name_kk = text("name_kk", _("Name in Kazakh, if known."))
    manufacturer = slug_of(
        "manufacturer",
        Organization,
        _("Slug of the maker (an organisation), if the source names it."),
    )
    model_name = text("model_name", _("Model, e.g. ProBeam 360; empty if not stated."))
    count = number("count", _("How many; empty when the source gives no number."), integer=True)
    count_qualifier = choice(
        "count_qualifier",
        Qualifier.choices,
        _("How exact the count is. Empty: exactly."),
        default=Qualifier.EXACT,
    )
    features = text("features", _("Features the source mentions, e.g. AI-assisted."))
    status = choice(
        "status",
        EquipmentStatus.choices,
        _("Operating, planned…"),
        default=EquipmentStatus.OPERATING,
    )
    notes = text("notes", _("What else the source says about it."))
    slug = text("slug", SLUG_MEANING)

    class Meta:
        model = Equipment
        fields = (
            "organization",
            "category",
            "name",
            "name_ru",
            "name_kk",
            "manufacturer",
            "model_name",
            "count",
            "count_qualifier",
            "features",
            "status",
            "notes",
            "slug",
            "source",
            "quote",
        )
        import_id_fields = ("organization", "category", "manufacturer", "model_name")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related("organization", "manufacturer")
        return super().filter_export(queryset, **kwargs)


class CapacityFigureResource(RegistryResource):
    """Capacity figures, matched by organisation, metric, kind, period and date: a figure
    already in the registry is updated, never added twice."""

    label = _("capacity figures")
    resource_name = "capacity-figures"
    slug_from = ("organization", "metric", "kind", "date_year")

    organization = slug_of(
        "organization",
        Organization,
        _("Slug of the organisation the number is about."),
        required=True,
    )
    metric = slug_of(
        "metric", Metric, _("Slug of what is counted, e.g. pet-studies."), required=True
    )
    value = number("value", _("The number as the source states it: 12000."), required=True)
    qualifier = choice(
        "qualifier",
        Qualifier.choices,
        _("How exact the source is: about, up to, over… Empty: exactly."),
        default=Qualifier.EXACT,
    )
    kind = choice(
        "kind",
        CapacityKind.choices,
        _("Capacity (can do), delivered (did: never a future date) or target."),
        required=True,
    )
    period = choice(
        "period", CapacityPeriod.choices, _("The time the number covers."), required=True
    )
    period_months = number(
        "period_months", _("Number of months, only when the period is months."), integer=True
    )
    date_year, date_month, date_day, date_precision, date_qualifier = partial_date_columns()
    notes = text("notes", _("What the number includes."))
    slug = text("slug", SLUG_MEANING)

    class Meta:
        model = CapacityFigure
        fields = (
            "organization",
            "metric",
            "value",
            "qualifier",
            "kind",
            "period",
            "period_months",
            *DATE_COLUMNS,
            "notes",
            "slug",
            "source",
            "quote",
        )
        import_id_fields = ("organization", "metric", "kind", "period")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset.select_related("organization", "metric"), **kwargs)
