"""The base viewsets every app's ``api.py`` declares, with ordering and permissions."""

import functools

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, permissions, renderers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from oncoregistry.core.filters import CrossScriptSearchFilter
from oncoregistry.core.i18n import LANGUAGE_PARAMETER
from oncoregistry.core.meta import options
from oncoregistry.core.streaming import in_chunks

from .as_of import AS_OF, AsOfMixin, AsOfParameter
from .exports import (
    CSV_BLOCK_ROWS,
    CSV_CHUNK_SIZE,
    CSVRenderer,
    csv_columns,
    csv_row,
    csv_writer,
)
from .pagination import CountedRows, RegistryPagination
from .rows import Binding, flat_plan, row_plan
from .spreadsheets import XLSXRenderer, xlsx_response


@functools.cache
def records_as_rows(plan, queryset, published_only):
    """A viewset's records as the rows ``plan`` reads, built once and cloned per request:
    setting up the joins of a list's columns costs more than applying its filters."""
    rows = plan.values(queryset)
    return rows.published() if published_only else rows


class StrictOrderingFilter(filters.OrderingFilter):
    """``ordering=`` that answers 400 for a field it cannot order by, instead of silently
    ignoring it (an analyst would otherwise get a list in an order they did not ask for)."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            valid = {
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [f for f in fields if f.lstrip("-") not in valid]
            if unknown:
                raise ValidationError(
                    {
                        "ordering": [
                            _("Cannot order by %(fields)s; choose from: %(valid)s.")
                            % {"fields": ", ".join(unknown), "valid": ", ".join(sorted(valid))}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)


# --- Permissions ------------------------------------------------------------------------


class RegistryPermission(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads; writing needs an authenticated user with the model's add/change
    permission (the Editors group has them)."""

    def has_permission(self, request, view):
        # Reading needs no model permission (safe methods map to none); DRF built the
        # view's queryset on every read only to find that out.
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class KnownParametersMixin:
    """Answers 400 naming any query parameter the endpoint does not take (the ones its
    schema documents), instead of ignoring it: a misspelt filter (``regoin=astana``) would
    otherwise return the whole, unfiltered list as if it had been applied."""

    def known_parameters(self):
        known = {api_settings.URL_FORMAT_OVERRIDE}
        if self.request.method in permissions.SAFE_METHODS:
            known.add(LANGUAGE_PARAMETER)
        if self.action == "list":
            if self.paginator is not None:
                known |= {self.paginator.page_query_param, self.paginator.page_size_query_param}
            for backend in self.filter_backends:
                if issubclass(backend, filters.SearchFilter):
                    known.add(backend.search_param)
                elif issubclass(backend, filters.OrderingFilter):
                    known.add(backend.ordering_param)
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                known |= set(filterset_class.base_filters)
        if self.action in ("list", "retrieve") and getattr(self, "takes_as_of", lambda: False)():
            known.add(AS_OF)
        return known

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        unknown = sorted(set(request.query_params) - self.known_parameters())
        if unknown:
            takes = ", ".join(sorted(self.known_parameters()))
            raise ValidationError(
                {
                    name: [
                        _("Unknown parameter; this address takes: %(known)s.") % {"known": takes}
                    ]
                    for name in unknown
                }
            )


class RegistryReadOnlyViewSet(KnownParametersMixin, AsOfMixin, viewsets.ReadOnlyModelViewSet):
    """List (JSON, streamed CSV, XLSX; as of a date) and detail by slug."""

    lookup_field = "slug"
    # What a SlugField holds: any other address is a 404, never a query (a NUL byte in a
    # slug was a 500 on PostgreSQL).
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    pagination_class = RegistryPagination
    permission_classes = [RegistryPermission]
    filter_backends = [
        DjangoFilterBackend,
        CrossScriptSearchFilter,
        StrictOrderingFilter,
        AsOfParameter,
    ]
    #: Queryset for detail (and write) actions; the list uses the lighter ``queryset``.
    detail_queryset = None
    #: Light serializer for lists and CSV; ``serializer_class`` is the detail one.
    list_serializer_class = None
    #: Foreign keys from a record to its region (``organization__region``): CSV and XLSX
    #: carry the region's slug and name so that a row needs no join (rows/flat.py).
    export_region = None

    @property
    def search_fields(self):
        return self.filterset_class.search_fields

    def get_queryset(self):
        if self.action != "list" and self.detail_queryset is not None:
            queryset = self.detail_queryset.all()
        else:
            queryset = super().get_queryset()
        return queryset if self.reads_drafts() else queryset.published()

    def reads_drafts(self):
        """Editors (signed in, allowed to view the model) see drafts and records in review;
        everyone else reads published records only."""
        user = getattr(getattr(self, "request", None), "user", None)
        if user is None or not user.is_authenticated:
            return False
        opts = options(self.queryset.model)
        return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def get_renderers(self):
        found = super().get_renderers()
        if self.action == "list":
            found.extend([CSVRenderer(), XLSXRenderer()])
        return found

    def list(self, request, *args, **kwargs):
        as_of = self.as_of_rows(request) if self.takes_as_of() else None
        # ``as_of``: the records' versions of that day, filtered (as_of.py), and their model.
        queryset, model = as_of if as_of is not None else (None, None)
        serializer_class = self.get_serializer_class()
        # A compiled serializer reads its rows with one values_list() (rows/).
        plan = row_plan(serializer_class, model)
        export = request.accepted_renderer.format in ("csv", "xlsx")
        if plan is not None and not export:
            if as_of is None:
                # The records of get_queryset(), read as the plan's rows.
                rows = records_as_rows(plan, self.queryset, not self.reads_drafts()).all()
                rows = self.filter_queryset(rows)
            else:
                rows = plan.values(queryset)
            page = self.paginate_queryset(CountedRows(rows))
            return self.get_paginated_response(plan.json_rows(page, request))
        if as_of is None:
            queryset = self.filter_queryset(self.get_queryset())
        if export:
            plan = plan and flat_plan(serializer_class, self.export_region, model)
        if request.accepted_renderer.format == "csv":
            return self.stream_csv(queryset, plan)
        if request.accepted_renderer.format == "xlsx":
            columns, rows = self.flat_rows(queryset, plan)
            with translation.override(translation.get_language()):
                return xlsx_response(columns, rows(), self.export_name())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        if AS_OF in request.query_params and self.takes_as_of():
            instance = self.as_of_record(request, kwargs[self.lookup_field])
            return Response(self.get_serializer(instance).data)
        return super().retrieve(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        # Anonymous answers get their ETag from the response cache (core/response_cache.py),
        # which varies as these do.
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response

    def stream_csv(self, queryset, plan):
        """The whole filtered result, not one page, streamed in chunks."""
        columns, rows = self.flat_rows(queryset, plan)
        writer = csv_writer()
        # The response is streamed after the view returns: keep the request's language.
        language = translation.get_language()

        def lines():
            # Rows are sent in blocks: one socket write per row held exports to ~2,000
            # rows/s behind gunicorn (make bench); a block is still a bounded buffer.
            with translation.override(language):
                block = [writer.writerow(columns)]
                for cells in rows():
                    block.append(writer.writerow(cells))
                    if len(block) >= CSV_BLOCK_ROWS:
                        yield "".join(block)
                        block = []
                if block:
                    yield "".join(block)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{self.export_name()}.csv"'
        return response

    def export_name(self):
        return slugify(options(self.get_queryset().model).verbose_name_plural)

    def flat_rows(self, queryset, plan):
        """``(columns, rows)`` of the whole filtered result as flat cells (CSV and XLSX)."""
        request = self.request
        if plan is not None:
            columns = plan.csv_header

            def rows():
                binding = Binding(request, published_only=not self.reads_drafts())
                for chunk in in_chunks(plan.values(queryset), CSV_CHUNK_SIZE):
                    yield from plan.csv_rows(chunk, request, binding)

        else:
            serializer = self.get_serializer()
            columns = csv_columns(serializer)

            def rows():
                for obj in queryset.iterator(chunk_size=CSV_CHUNK_SIZE):
                    yield csv_row(serializer.to_representation(obj), columns)

        return columns, rows

    def handle_exception(self, exc):
        # Errors are explained in JSON even when CSV was asked for.
        request = getattr(self, "request", None)
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(renderer, CSVRenderer | XLSXRenderer):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().handle_exception(exc)
