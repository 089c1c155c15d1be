"""The API's shared machinery: pagination, permissions, CSV, conditional requests,
reference and partial-date fields, and the base viewsets every app's ``api.py`` declares.

A viewset is a declaration (queryset, serializers, filterset, services); everything
else lives here once:

* ``fields``: record links, related records as ``{slug, url, name}``, partial dates;
* ``pagination``: page numbers, reusing the count the list view already has;
* ``exports``: CSV rendering and flat CSV columns;
* ``viewsets``: list (JSON or streamed CSV, ETag/Last-Modified), detail, writes
  through services.
"""

from .exports import CSVRenderer, csv_columns, csv_row
from .fields import (
    CitationInlineSerializer,
    PartialDateField,
    RecordUrlField,
    RelatedRefField,
    absolute_reverse,
)
from .pagination import MAX_PAGE_SIZE, RegistryPagination
from .parameters import check_parameters
from .viewsets import (
    RegistryPermission,
    RegistryReadOnlyViewSet,
    RegistryViewSet,
    StrictOrderingFilter,
    validation_error_from_django,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "CSVRenderer",
    "CitationInlineSerializer",
    "PartialDateField",
    "RecordUrlField",
    "RegistryPagination",
    "RegistryPermission",
    "RegistryReadOnlyViewSet",
    "RegistryViewSet",
    "RelatedRefField",
    "StrictOrderingFilter",
    "absolute_reverse",
    "check_parameters",
    "csv_columns",
    "csv_row",
    "validation_error_from_django",
]
