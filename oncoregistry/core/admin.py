"""Shared admin pieces: every registry model gets history with revert and citations."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from oncoregistry.sources.models import Citation

admin.site.site_header = _("Oncoregistry administration")
admin.site.site_title = _("Oncoregistry")
admin.site.index_title = _("Registry records")


class CitationInline(GenericTabularInline):
    """The passages that back a record; the quote is checked against its source on save."""

    model = Citation
    fields = ("source", "quote", "field_name", "note")
    autocomplete_fields = ("source",)
    extra = 0
    verbose_name = _("citation")
    verbose_name_plural = _("citations (sources backing this record)")


class RegistryAdmin(SimpleHistoryAdmin):
    """Base for record models: history with revert, timestamps shown, slug from the name."""

    inlines = (CitationInline,)
    readonly_fields = ("created_at", "updated_at")
    list_per_page = 50
    save_on_top = True
    show_full_result_count = False


class PartialDateAdminMixin:
    """The 'date' column of record models with a partial date, as people read it."""

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj):
        return obj.date_display


DATE_FIELDSET = (
    _("Date as the source states it"),
    {
        "fields": (
            ("date_precision", "date_qualifier"),
            ("date_year", "date_month", "date_day"),
        ),
        "description": _(
            "Fill in only what the source says: a day and month with no year stay without a year."
        ),
    },
)
