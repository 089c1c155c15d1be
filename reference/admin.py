from django.contrib import admin

from oncoregistry.imports.admin_views import SpreadsheetAdminMixin
from oncoregistry.review.reviewed_admin import ReviewedAdmin

from .models import Benchmark, RegionPopulation
from .resources import RegionPopulationResource


@admin.register(RegionPopulation)
class RegionPopulationAdmin(SpreadsheetAdminMixin, ReviewedAdmin):
    resource_classes = [RegionPopulationResource]
    list_display = ("region", "value", "as_of", "source", "updated_at")
    list_filter = ("as_of", "source")
    list_select_related = ("region", "source")
    search_fields = ("region__name", "region__name_ru", "region__name_kk", "slug")
    autocomplete_fields = ("region", "source")
    fields = ("region", "as_of", "value", "source", "slug", "note")
    inlines = ()


@admin.register(Benchmark)
class BenchmarkAdmin(ReviewedAdmin):
    list_display = ("indicator", "kind", "value", "unit", "scope", "source", "updated_at")
    list_filter = ("indicator", "kind")
    list_select_related = ("source",)
    search_fields = ("statement", "scope", "slug", "source__title")
    autocomplete_fields = ("source",)
    fields = (
        "indicator",
        "kind",
        "value",
        "unit",
        "scope",
        "as_of",
        "statement",
        "source",
        "slug",
        "note",
    )
    inlines = ()
