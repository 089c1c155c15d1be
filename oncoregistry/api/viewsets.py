"""The base viewsets every app's ``api.py`` declares, with ordering and permissions."""

import functools
import hashlib
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import Count, Max
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import filters, mixins, permissions, renderers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from oncoregistry.core.filters import RegistryFilterSet
from oncoregistry.core.streaming import stream_rows

from . import statements
from .exports import (
    CSV_BLOCK_ROWS,
    CSV_CHUNK_SIZE,
    CSVRenderer,
    csv_columns,
    csv_row,
    csv_writer,
)
from .pagination import RegistryPagination
from .rows import Binding, row_plan


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


def _model_kwarg(model):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def validation_error_from_django(error):
    """A model's ValidationError as a DRF 400 naming the API's fields."""
    if not hasattr(error, "error_dict"):
        return ValidationError({"non_field_errors": error.messages})
    detail = {}
    for field, messages in error.message_dict.items():
        if field == "__all__":
            detail.setdefault("non_field_errors", []).extend(messages)
        elif field.startswith("date_"):
            detail.setdefault("date", {})[field.removeprefix("date_")] = messages
        else:
            detail[field] = messages
    return ValidationError(detail)


def list_stamp(queryset):
    """``(newest updated_at, count)`` of a filtered list in ONE query: what its ETag and
    Last-Modified are made of (a deletion changes the count), and the paginator's count.
    COUNT(*), not COUNT(id): an index holding updated_at answers it alone."""
    stamp = queryset.order_by().aggregate(last=Max("updated_at"), total=Count("*"))
    return stamp["last"], stamp["total"]


def with_validators(response, validators):
    """``response`` with the ETag/Last-Modified ``validators``, varying by language and
    media type (the representation depends on both)."""
    for header, value in validators.items():
        response[header] = value
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


#: The filter backends whose statements a list may learn (statements.py): the shape covers
#: their parameters; a viewset with others builds its statements every time.
LEARNED_FILTER_BACKENDS = (DjangoFilterBackend, filters.SearchFilter, StrictOrderingFilter)


class RegistryReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List (JSON or streamed CSV, with ETag/Last-Modified) and detail by slug."""

    lookup_field = "slug"
    pagination_class = RegistryPagination
    permission_classes = [RegistryPermission]
    filter_backends = list(LEARNED_FILTER_BACKENDS)
    #: Queryset for detail (and write) actions; the list uses the lighter ``queryset``.
    detail_queryset = None
    #: Light serializer for lists and CSV; ``serializer_class`` is the detail one.
    list_serializer_class = None

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
        opts = self.queryset.model._meta
        return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def get_renderers(self):
        found = super().get_renderers()
        if self.action == "list":
            found.append(CSVRenderer())
        return found

    def list(self, request, *args, **kwargs):
        plan = row_plan(self.get_serializer_class())
        if plan is not None and request.accepted_renderer.format != "csv":
            return self.list_page(request, plan)
        queryset = self.filter_queryset(self.get_queryset())
        not_modified, validators = self.conditional_response(request, queryset)
        if not_modified is not None:
            return not_modified
        if request.accepted_renderer.format == "csv":
            response = self.stream_csv(queryset, plan)
        else:
            page = self.paginate_queryset(queryset)
            response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        return with_validators(response, validators)

    def list_page(self, request, plan):
        """A JSON page of compiled rows: its two statements bound from what the ORM wrote for
        earlier requests of the same filter shape when there is a template, else built
        (``oncoregistry/api/statements.py``)."""
        base = self.get_queryset()
        shape, slots = self.list_shape(request, base)
        queryset = functools.cache(lambda: self.filter_queryset(base))
        using = base.db

        def stamp():
            return list_stamp(queryset())

        if shape is None:
            last, total = stamp()
        else:
            last, total = statements.run(
                (shape, "stamp"), slots, using, stamp, lambda rows: (rows[0][0], int(rows[0][1]))
            )
        self.known_count = total
        not_modified, validators = self.conditional_response(request, last=last, total=total)
        if not_modified is not None:
            return not_modified

        # The page is read as page_size rows from its offset, as every page but the last
        # is: one statement per page number, whatever the count (the paginator asks the
        # last page for the rows left, which that read gives too).
        size = self.paginator.get_page_size(request)

        def window(offset, limit):
            def rows():
                return list(plan.values(queryset())[offset : offset + size])

            if limit <= 0:
                return []
            if shape is None:
                return rows()[:limit]
            return statements.run(
                (shape, "page", offset, size),
                slots,
                using,
                rows,
                list,
                learnable=lambda: (
                    not statements.converters(plan.values(queryset())[offset : offset + size])
                ),
            )[:limit]

        page = self.paginate_queryset(statements.RowsWindow(window))
        response = self.get_paginated_response(plan.json_rows(page, request))
        return with_validators(response, validators)

    def list_shape(self, request, queryset):
        """``(shape, slots)`` of this list request, with its filters validated (a 400 names
        the field); ``(None, None)`` when its statements are left to the ORM."""
        # PostgreSQL only: there the count row is what the ORM returns (SQLite gives the
        # newest change as text, which Django converts); page rows are checked either way.
        if (
            tuple(self.filter_backends) != LEARNED_FILTER_BACKENDS
            or connections[queryset.db].vendor != "postgresql"
        ):
            return None, None
        filterset_class = DjangoFilterBackend().get_filterset_class(self, queryset)
        if filterset_class is None or not issubclass(filterset_class, RegistryFilterSet):
            return None, None
        form = filterset_class.bound_form(request.query_params)
        if not form.is_valid():
            raise translate_validation(form.errors)
        ordering = StrictOrderingFilter()
        ordering.get_ordering(request, queryset, self)  # a 400 for a field it cannot order by
        params = request.query_params
        extra = (
            type(self).__module__,
            type(self).__qualname__,
            self.reads_drafts(),
            get_language(),
            params.get(ordering.ordering_param),
            params.get(filters.SearchFilter.search_param),
        )
        try:
            return statements.shape_of(
                form.cleaned_data, filterset_class._prepared_filters(), extra
            )
        except statements.NotLearnable:
            return None, None

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        # The record and its (prefetched) citations date the representation: no extra query.
        cache = getattr(instance, "_prefetched_objects_cache", {})
        stamps = [instance.updated_at] + [c.updated_at for c in cache.get("citations", [])]
        not_modified, validators = self.conditional_response(
            request, last=max(stamps), total=len(stamps)
        )
        if not_modified is not None:
            return not_modified
        response = Response(self.get_serializer(instance).data)
        return with_validators(response, validators)

    def conditional_response(self, request, queryset=None, *, last=None, total=None):
        """ETag and Last-Modified of a filtered list (``list_stamp``), or of a record from
        its ``last`` change and ``total`` of stamps; a 304/412 response when they match."""
        if queryset is not None:
            last, total = list_stamp(queryset)
            self.known_count = total
        fingerprint = "|".join(
            [
                last.isoformat() if last else "-",
                str(total),
                request.get_full_path(),
                request.accepted_media_type or "",
                get_language() or "",
            ]
        )
        etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
        last_modified = int(last.timestamp()) if last else None
        response = get_conditional_response(
            request._request, etag=etag, last_modified=last_modified
        )
        validators = {"ETag": etag}
        if last_modified is not None:
            validators["Last-Modified"] = http_date(last_modified)
        if response is not None:
            with_validators(response, validators)
        return response, validators

    def stream_csv(self, queryset, plan):
        """The whole filtered result, not one page, streamed in chunks."""
        request = self.request
        if plan is not None:
            columns = plan.csv_header

            def rows():
                binding = Binding(request)
                for chunk in stream_rows(plan.values(queryset), CSV_CHUNK_SIZE):
                    yield from plan.csv_rows(chunk, request, binding)

        else:
            serializer = self.get_serializer()
            columns = csv_columns(serializer)

            def rows():
                for obj in queryset.iterator(chunk_size=CSV_CHUNK_SIZE):
                    yield csv_row(serializer.to_representation(obj), columns)

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
        name = slugify(self.get_queryset().model._meta.verbose_name_plural)
        response["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return response

    def handle_exception(self, exc):
        # Errors are explained in JSON even when CSV was asked for.
        request = getattr(self, "request", None)
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(renderer, CSVRenderer):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().handle_exception(exc)


class RegistryViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, RegistryReadOnlyViewSet):
    """Adds create and update through the app's services (which call ``full_clean``).

    Subclasses name ``create_service`` and ``update_service``; the update service takes
    the record as a keyword named after the model (``organization=``...).
    """

    create_service = None
    update_service = None

    def perform_create(self, serializer):
        service = type(self).create_service
        try:
            serializer.instance = service(**serializer.validated_data)
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error

    def perform_update(self, serializer):
        service = type(self).update_service
        instance = serializer.instance
        record = {_model_kwarg(type(instance)): instance}
        try:
            serializer.instance = service(**record, **serializer.validated_data)
        except DjangoValidationError as error:
            raise validation_error_from_django(error) from error
