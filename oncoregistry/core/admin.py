"""Shared admin pieces that need no app: the site's titles and the partial date's columns.

The record admin with its citations (``RegistryAdmin``) sits one floor up, in sources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Oncoregistry administration")
admin.site.site_title = _("Oncoregistry")
admin.site.index_title = _("Registry records")


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
