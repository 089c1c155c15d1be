"""Filtersets for sources and citations, shared by the REST API and the public pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.filters import PartialDateFilterSet, RegistryFilterSet, slug_filter

from .models import Citation, Source


class SourceFilterSet(PartialDateFilterSet):
    search_fields = ("slug", "title", "publisher", "text")

    publisher = django_filters.CharFilter(lookup_expr="iexact", label=_("Publisher"))
    language = django_filters.CharFilter(lookup_expr="iexact", label=_("Language"))

    class Meta:
        model = Source
        fields = ["publisher", "language"]


class CitationFilterSet(RegistryFilterSet):
    search_fields = ("quote", "note", "field_name", "source__title")

    source = slug_filter(Source.objects.all(), "source", _("Source"))
    record_type = django_filters.CharFilter(
        field_name="content_type__model",
        lookup_expr="iexact",
        label=_("Record type"),
        help_text=_("Model name of the cited record, e.g. organization, agreement, funding."),
    )
    field = django_filters.CharFilter(field_name="field_name", label=_("Field"))

    class Meta:
        model = Citation
        fields = ["source"]
