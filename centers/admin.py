from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from oncoregistry.core.admin import (
    DATE_FIELDSET,
    PartialDateAdminMixin,
)
from oncoregistry.core.meta import options
from oncoregistry.imports.admin_views import SpreadsheetAdminMixin
from oncoregistry.review.reviewed_admin import ReviewedAdmin
from oncoregistry.sources.admin import CitationInline

from . import services
from .admin_forms import (
    CapacityFigureInline,
    DesignationInline,
    EquipmentInline,
    IdentifierInline,
    OrganizationAdminForm,
    OrganizationMergeForm,
    UnitInline,
)
from .models import (
    CapacityFigure,
    Designation,
    Equipment,
    Metric,
    Organization,
    OrganizationIdentifier,
    Region,
)
from .resources import CapacityFigureResource, EquipmentResource, OrganizationResource


@admin.register(Region)
class RegionAdmin(ReviewedAdmin):
    list_display = ("name", "name_ru", "name_kk", "kind", "administrative_center", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "name_ru", "name_kk", "administrative_center", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = ()


@admin.register(Organization)
class OrganizationAdmin(SpreadsheetAdminMixin, ReviewedAdmin):
    resource_classes = [OrganizationResource]
    form = OrganizationAdminForm
    actions = ["merge_organizations"]
    list_display = (
        "name",
        "short_name",
        "kind",
        "region",
        "city",
        "status",
        "parent",
        "updated_at",
    )
    list_filter = ("kind", "status", "region", "country")
    list_select_related = ("region", "parent")
    search_fields = ("name", "short_name", "aliases", "name_ru", "name_kk", "city", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "region")
    inlines = (
        UnitInline,
        EquipmentInline,
        CapacityFigureInline,
        DesignationInline,
        IdentifierInline,
        CitationInline,
    )
    fieldsets = (
        # English, Russian and Kazakh side by side: a translation is entered beside its text.
        (
            None,
            {
                "fields": (
                    ("name", "name_ru", "name_kk"),
                    "slug",
                    "short_name",
                    "aliases",
                    "kind",
                    "status",
                    "parent",
                )
            },
        ),
        (
            _("Location"),
            {
                "fields": (
                    "country",
                    "region",
                    ("city", "city_ru", "city_kk"),
                    ("latitude", "longitude"),
                )
            },
        ),
        (
            _("About"),
            {"fields": ("website", ("description", "description_ru", "description_kk"))},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            fieldsets = [*fieldsets, (_("Similar names"), {"fields": ["save_anyway"]})]
        return fieldsets

    @admin.action(
        description=_("Merge the two selected organisations into one"), permissions=["change"]
    )
    def merge_organizations(self, request, queryset):
        organizations = list(queryset.order_by("name"))
        if len(organizations) != 2:
            self.message_user(
                request, _("Select exactly two organisations to merge."), messages.WARNING
            )
            return None
        form = OrganizationMergeForm(
            request.POST if "apply" in request.POST else None, organizations=organizations
        )
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merge = next(o for o in organizations if o.pk != keep.pk)
            try:
                services.organization_merge(
                    keep=keep, merge=merge, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                _("“%(merge)s” is merged into “%(keep)s”; its old address redirects here.")
                % {"merge": merge.name, "keep": keep.name},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:centers_organization_change", args=[keep.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge two organisations"),
            "opts": options(self.model),
            "organizations": organizations,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/centers/organization/merge.html", context)


@admin.register(Equipment)
class EquipmentAdmin(SpreadsheetAdminMixin, ReviewedAdmin):
    resource_classes = [EquipmentResource]
    list_display = (
        "name",
        "organization",
        "category",
        "manufacturer",
        "model_name",
        "count_display",
        "status",
        "updated_at",
    )
    list_filter = ("category", "status", "count_qualifier", "organization__region")
    list_select_related = ("organization", "manufacturer")
    search_fields = (
        "name",
        "model_name",
        "features",
        "organization__name",
        "organization__aliases",
        "manufacturer__name",
    )
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organization", "manufacturer")

    @admin.display(description=_("count"))
    def count_display(self, obj):
        return obj.count_display


@admin.register(Metric)
class MetricAdmin(ReviewedAdmin):
    list_display = ("name", "unit", "name_ru", "name_kk", "updated_at")
    search_fields = ("name", "name_ru", "name_kk", "unit", "slug")
    prepopulated_fields = {"slug": ("name",)}


FIGURE_HELP = {
    "organization": _("Who the number is about, e.g. National Research Oncology Center."),
    "metric": _("What is counted, e.g. PET studies, or diagnostic and surgical procedures."),
    "value": _(
        "The number as the source states it: 12000 for “about 12,000 diagnostic and "
        "surgical procedures annually”."
    ),
    "qualifier": _(
        "How exact the source is: “about 12,000” is about; “up to 12,000 studies per year” "
        "is up to."
    ),
    "kind": _(
        "Capacity is what it can do, volume delivered is what it did, a target is what is "
        "planned: “In-house production will support up to 12,000 studies per year” is a target."
    ),
    "period": _("The time the number covers: per year for “12,000 studies per year”."),
    "period_months": _("Only when the period is a number of months, e.g. 6."),
    "notes": _("What the number includes, e.g. “Including foreign patients.”"),
}


@admin.register(CapacityFigure)
class CapacityFigureAdmin(SpreadsheetAdminMixin, PartialDateAdminMixin, ReviewedAdmin):
    resource_classes = [CapacityFigureResource]
    list_display = (
        "organization",
        "metric",
        "value_display",
        "kind",
        "period",
        "date_display",
        "updated_at",
    )
    list_filter = (
        "kind",
        "period",
        "qualifier",
        "metric",
        "date_precision",
        "organization__region",
    )
    list_select_related = ("organization", "metric")
    search_fields = ("organization__name", "organization__aliases", "metric__name", "notes", "slug")
    autocomplete_fields = ("organization", "metric")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    "organization",
                    "metric",
                    ("value", "qualifier"),
                    "kind",
                    ("period", "period_months"),
                    "notes",
                )
            },
        ),
        DATE_FIELDSET,
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # What each field means, with a figure from the articles as the example.
        kwargs.setdefault("help_texts", FIGURE_HELP)
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, obj):
        return obj.value_display


@admin.register(Designation)
class DesignationAdmin(PartialDateAdminMixin, ReviewedAdmin):
    list_display = (
        "title",
        "organization",
        "awarding_body",
        "status",
        "date_display",
        "updated_at",
    )
    list_filter = ("status", "awarding_body")
    list_select_related = ("organization", "awarding_body")
    search_fields = ("title", "organization__name", "organization__aliases", "awarding_body__name")
    autocomplete_fields = ("organization", "awarding_body")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    ("title", "title_ru", "title_kk"),
                    "organization",
                    "awarding_body",
                    "status",
                    "notes",
                )
            },
        ),
        DATE_FIELDSET,
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )


@admin.register(OrganizationIdentifier)
class OrganizationIdentifierAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "system", "value", "updated_at")
    list_filter = ("system",)
    list_select_related = ("organization",)
    search_fields = ("value", "organization__name")
    autocomplete_fields = ("organization",)
