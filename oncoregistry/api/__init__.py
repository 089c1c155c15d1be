"""The API's shared machinery: pagination, permissions, CSV, conditional requests,
reference and partial-date fields, and the base viewsets every app's ``api.py`` declares.

A viewset is a declaration (queryset, serializers, filterset, services); everything
else lives here once:

* ``fields``: record links, related records as ``{slug, url, name}``, partial dates;
* ``pagination``: page numbers, reusing the count the list view already has;
* ``exports``: CSV rendering and flat CSV columns;
* ``viewsets``: list (JSON, streamed CSV, XLSX; as of a date) and detail;
* ``writes``: creates and changes through the one write path, with If-Match.
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
    StrictOrderingFilter,
)
from .writes import RegistryViewSet, validation_error_from_django

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
