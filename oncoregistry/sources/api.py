"""Sources and citations in the REST API."""

from oncoregistry.api import RegistryReadOnlyViewSet, RegistryViewSet

from . import selectors, serializers, services
from .filters import CitationFilterSet, SourceFilterSet


class SourceViewSet(RegistryViewSet):
    """The articles every fact comes from, with their full text in the detail."""

    queryset = selectors.source_list()
    detail_queryset = selectors.source_list(detailed=True)
    list_serializer_class = serializers.SourceSerializer
    serializer_class = serializers.SourceDetailSerializer
    filterset_class = SourceFilterSet
    ordering_fields = ["title", "publisher", "date", "updated_at"]
    create_service = services.source_create
    update_service = services.source_update


class CitationViewSet(RegistryReadOnlyViewSet):
    """Passages quoted verbatim from a source, each backing one record (read-only here;
    editors add citations in the admin)."""

    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"
    queryset = selectors.citation_list()
    serializer_class = serializers.CitationSerializer
    filterset_class = CitationFilterSet
    ordering_fields = ["id", "source__title", "updated_at"]
