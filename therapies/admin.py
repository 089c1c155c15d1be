from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from centers.admin import DesignationInline
from centers.admin import OrganizationAdmin as CentersOrganizationAdmin
from centers.models import Organization
from oncoregistry.core.admin import DATE_FIELDSET, DuplicateLinkForm, PartialDateAdminMixin
from oncoregistry.imports.admin_views import SpreadsheetAdminMixin
from oncoregistry.review.reviewed_admin import ReviewedAdmin

from .models import CancerType, Therapy, TherapyOffering
from .resources import TherapyOfferingResource


@admin.register(CancerType)
class CancerTypeAdmin(ReviewedAdmin):
    list_display = ("name", "parent", "name_ru", "name_kk", "updated_at")
    list_select_related = ("parent",)
    search_fields = ("name", "name_ru", "name_kk", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)


class OfferingInline(admin.TabularInline):
    form = DuplicateLinkForm
    model = TherapyOffering
    fields = ("slug", "organization", "role", "stage")
    autocomplete_fields = ("organization",)
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it
    show_change_link = True


@admin.register(Therapy)
class TherapyAdmin(ReviewedAdmin):
    list_display = ("name", "modality", "updated_at")
    list_filter = ("modality", "cancer_types")
    search_fields = ("name", "name_ru", "name_kk", "description", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("cancer_types",)
    inlines = (OfferingInline, *ReviewedAdmin.inlines)


@admin.register(TherapyOffering)
class TherapyOfferingAdmin(SpreadsheetAdminMixin, PartialDateAdminMixin, ReviewedAdmin):
    resource_classes = [TherapyOfferingResource]
    list_display = ("therapy", "organization", "role", "stage", "date_display", "updated_at")
    list_filter = ("stage", "role", "therapy__modality", "organization__region")
    list_select_related = ("therapy", "organization")
    search_fields = (
        "therapy__name",
        "organization__name",
        "organization__aliases",
        "notes",
        "trial_registry_ids",
        "slug",
    )
    autocomplete_fields = ("therapy", "organization", "cancer_types")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    "therapy",
                    "organization",
                    "role",
                    "stage",
                    "cancer_types",
                    "trial_registry_ids",
                    "notes",
                )
            },
        ),
        DATE_FIELDSET,
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )


class TherapyOfferingInline(admin.TabularInline):
    model = TherapyOffering
    form = DuplicateLinkForm
    fk_name = "organization"
    fields = ("slug", "therapy", "role", "stage")
    autocomplete_fields = ("therapy",)
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it
    show_change_link = True


def _before(inlines, anchor, inline):
    position = inlines.index(anchor)
    return (*inlines[:position], inline, *inlines[position:])


# centers sits below therapies and cannot name offerings: therapies adds them to the
# organisation's admin page by registering it again with one more inline.
admin.site.unregister(Organization)


@admin.register(Organization)
class OrganizationAdmin(CentersOrganizationAdmin):
    inlines = _before(CentersOrganizationAdmin.inlines, DesignationInline, TherapyOfferingInline)
