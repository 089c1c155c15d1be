from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from oncoregistry.core.admin import (
    DATE_FIELDSET,
    DuplicateLinkForm,
    PartialDateAdminMixin,
    RecordVersionForm,
)
from oncoregistry.imports.admin_views import SpreadsheetAdminMixin
from oncoregistry.review.reviewed_admin import ReviewedAdmin
from oncoregistry.sources.admin import CitationInline

from .models import Agreement, AgreementParty, FocusArea, Funding
from .resources import AgreementResource, FundingResource


class PartyInline(admin.TabularInline):
    model = AgreementParty
    form = DuplicateLinkForm
    fields = ("organization", "role")
    autocomplete_fields = ("organization",)
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    fields = (
        "order",
        ("title", "title_ru", "title_kk"),
        ("description", "description_ru", "description_kk"),
    )
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it


class FundingInline(admin.TabularInline):
    model = Funding
    fields = ("slug", "purpose", "amount", "currency", "amount_qualifier", "period", "statement")
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(SpreadsheetAdminMixin, PartialDateAdminMixin, ReviewedAdmin):
    resource_classes = [AgreementResource]
    list_display = ("title", "kind", "status", "date_display", "place", "updated_at")
    list_filter = ("kind", "status", "date_precision", "date_year")
    search_fields = (
        "title",
        "summary",
        "place",
        "parties__organization__name",
        "parties__organization__aliases",
        "slug",
    )
    prepopulated_fields = {"slug": ("title",)}
    inlines = (PartyInline, FocusAreaInline, FundingInline, CitationInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("title", "title_ru", "title_kk"),
                    "slug",
                    "kind",
                    "status",
                    ("place", "place_ru", "place_kk"),
                    ("summary", "summary_ru", "summary_kk"),
                )
            },
        ),
        DATE_FIELDSET,
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("signed"), ordering="date")
    def date_display(self, obj):
        return obj.date_display


@admin.register(AgreementParty)
class AgreementPartyAdmin(SimpleHistoryAdmin):
    form = RecordVersionForm
    list_display = ("organization", "role", "agreement", "updated_at")
    list_filter = ("role",)
    list_select_related = ("organization", "agreement")
    search_fields = ("organization__name", "agreement__title")
    autocomplete_fields = ("organization", "agreement")
    inlines = (CitationInline,)


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ("title", "order", "agreement", "updated_at")
    list_select_related = ("agreement",)
    search_fields = ("title", "description", "agreement__title")
    autocomplete_fields = ("agreement",)
    inlines = (CitationInline,)


@admin.register(Funding)
class FundingAdmin(SpreadsheetAdminMixin, PartialDateAdminMixin, ReviewedAdmin):
    resource_classes = [FundingResource]
    list_display = (
        "purpose",
        "amount_display",
        "period",
        "funder",
        "recipient",
        "date_display",
        "updated_at",
    )
    list_filter = ("currency", "period", "amount_qualifier")
    list_select_related = ("funder", "recipient")
    search_fields = (
        "purpose",
        "statement",
        "funder_description",
        "funder__name",
        "recipient__name",
        "slug",
    )
    autocomplete_fields = ("funder", "recipient", "agreement")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    ("purpose", "purpose_ru", "purpose_kk"),
                    ("amount", "currency", "amount_qualifier"),
                    "statement",
                    "period",
                    "funder",
                    ("funder_description", "funder_description_ru", "funder_description_kk"),
                    "recipient",
                    "agreement",
                )
            },
        ),
        DATE_FIELDSET,
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return obj.amount_display
