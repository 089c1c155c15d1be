"""Spreadsheet columns of reference data: a region's population on a date."""

from django.utils.translation import gettext_lazy as _

from centers.models import Region
from centers.resources import SLUG_MEANING
from oncoregistry.imports.columns import (
    Column,
    DateWidget,
    TextWidget,
    number,
    slug_of,
    text,
)
from oncoregistry.imports.resources import RegistryResource
from oncoregistry.sources.models import Source

from .models import RegionPopulation


class RegionPopulationResource(RegistryResource):
    """A region's resident population on a date, matched by region and date; it names its
    dataset source itself, so a quote is optional (a dataset has no text to check)."""

    label = _("region populations")
    resource_name = "populations"
    natural_key = ("region", "as_of")
    slug_from = ("region", "as_of")
    quote_required = False

    region = slug_of("region", Region, _("Slug of the region, e.g. almaty."), required=True)
    as_of = Column(
        attribute="as_of",
        column_name="as_of",
        widget=DateWidget(),
        required=True,
        meaning=_("The date the figure holds for, as YYYY-MM-DD."),
    )
    value = number("value", _("Resident population, a whole number."), integer=True, required=True)
    source = slug_of(
        "source", Source, _("Slug of the dataset source the figure comes from."), required=True
    )
    note = text("note", _("What the figure counts, if it needs saying."))
    slug = text("slug", SLUG_MEANING)
    quote = Column(
        attribute=None,
        column_name="quote",
        widget=TextWidget(),
        meaning=_("The table row or passage the figure comes from; optional for a dataset."),
    )

    class Meta:
        model = RegionPopulation
        fields = ("region", "as_of", "value", "source", "note", "slug", "quote")
        import_id_fields = ("region", "as_of")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset.select_related("region", "source"), **kwargs)

    def dehydrate_source(self, record):
        return record.source.slug

    def dehydrate_quote(self, record):
        citation = self.citation_for_export(record)
        return citation.quote if citation else ""
