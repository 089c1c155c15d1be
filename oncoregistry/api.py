"""The API's shared machinery: pagination, permissions, CSV, conditional requests,
reference and partial-date fields, and the base viewsets every app's ``api.py`` declares.

A viewset is a declaration (queryset, serializers, filterset, services); everything
else lives here once.
"""

import csv
import functools
import hashlib
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import StreamingHttpResponse
from django.urls import get_script_prefix
from django.urls import reverse as django_reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import filters, mixins, permissions, renderers, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from oncoregistry.core.choices import DatePrecision, DateQualifier

MAX_PAGE_SIZE = 500
CSV_CHUNK_SIZE = 1000
CSV_BLOCK_ROWS = 500


# --- Pagination -------------------------------------------------------------------------


class CountedPaginator(Paginator):
    """A paginator told the number of records, when the view has already counted them."""

    def __init__(self, object_list, per_page, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # fills the cached_property: no COUNT query


class RegistryPagination(PageNumberPagination):
    """Page numbers; ``page_size`` up to 500 (larger values are capped at 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = _(
        "Number of results per page (1–500, default 50; larger values are capped at 500)."
    )

    def paginate_queryset(self, queryset, request, view=None):
        # The list view counts the filtered records with its ETag query; reuse that count.
        known = getattr(view, "known_count", None)
        self.django_paginator_class = functools.partial(CountedPaginator, count=known)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    "page_size": [
                        _("page_size must be a whole number from 1 to %(max)s; got '%(raw)s'.")
                        % {"max": self.max_page_size, "raw": raw}
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, 1)
        if raw in self.last_page_strings:
            return paginator.num_pages
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            raise ValidationError(
                {
                    "page": [
                        _("page must be a whole number from 1 (or 'last'); got '%(raw)s'.")
                        % {"raw": raw}
                    ]
                }
            )
        return number


# --- Ordering ---------------------------------------------------------------------------


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


# --- CSV --------------------------------------------------------------------------------


class CSVRenderer(renderers.BaseRenderer):
    """Chosen by ``?format=csv`` or ``Accept: text/csv`` on list endpoints. The list view
    streams the rows itself; this renderer only writes what reaches it otherwise."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        rows = [row for row in rows if isinstance(row, dict)]
        if not rows:
            return b""
        columns = list(rows[0])
        writer = csv.writer(_Echo())
        lines = [writer.writerow(columns)]
        lines.extend(writer.writerow(csv_row(row, columns)) for row in rows)
        return "".join(lines).encode(self.charset)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer streaming."""

    def write(self, value):
        return value


def csv_columns(serializer):
    """Flat column names for a serializer's fields (nested objects get prefixed columns)."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        child = getattr(field, "child_relation", None) or getattr(field, "child", None)
        if isinstance(field, RelatedRefField) or isinstance(child, RelatedRefField):
            columns.extend([name, f"{name}_name"])
        elif isinstance(field, PartialDateField):
            columns.extend(
                f"{name}_{part}" if part != "date" else name for part in PartialDateField.PARTS
            )
        else:
            columns.append(name)
    return columns


def csv_row_builder(serializer):
    """``obj -> CSV row``, compiled once per export from the serializer's fields.

    Gives the same cells as ``csv_row(serializer.to_representation(obj), columns)`` in
    the order of ``csv_columns(serializer)``, without DRF's per-row machinery (about
    250 µs a row: make bench measured 1,200 rows/s): links come from one URL template
    per view, related records give their slug and name directly.
    """
    request = serializer.context.get("request")
    language = get_language()
    cells = []

    def plain(value):
        return "" if value is None else value

    def related(field):
        attrs, name_attr = field.source_attrs, field.name_attr

        def cell(obj):
            for attr in attrs:
                obj = getattr(obj, attr, None)
                if obj is None:
                    return ["", ""]
            if name_attr == "display_name" and hasattr(obj, "display_name_for"):
                return [obj.slug, obj.display_name_for(language)]
            return [obj.slug, str(getattr(obj, name_attr))]

        return cell

    def record_url(field):
        view, attr, kwarg = field.view_name, field.lookup_field, field.lookup_url_kwarg
        return lambda obj: [
            absolute_reverse(view, kwargs={kwarg: getattr(obj, attr)}, request=request)
        ]

    def partial_date(field):
        return lambda obj: [plain(v) for v in field.to_representation(obj).values()]

    def many(field):
        def cell(obj):
            value = field.to_representation(field.get_attribute(obj))
            return [
                "; ".join(
                    v["slug"] if isinstance(v, dict) and "slug" in v else str(v) for v in value
                ),
                "; ".join(v.get("name", "") for v in value if isinstance(v, dict)),
            ]

        return cell

    def generic(field):
        def cell(obj):
            try:
                value = field.get_attribute(obj)
            except serializers.SkipField:
                return [""]
            if value is None:
                return [""]
            value = field.to_representation(value)
            if isinstance(value, dict):
                return [plain(value["slug"] if "slug" in value else value.get("date"))]
            if isinstance(value, list):
                return [
                    "; ".join(
                        v["slug"] if isinstance(v, dict) and "slug" in v else str(v) for v in value
                    )
                ]
            return [value]

        return cell

    for field in serializer.fields.values():
        if field.write_only:
            continue
        child = getattr(field, "child_relation", None) or getattr(field, "child", None)
        if isinstance(field, RecordUrlField):
            cells.append(record_url(field))
        elif isinstance(field, RelatedRefField):
            cells.append(related(field))
        elif isinstance(child, RelatedRefField):
            cells.append(many(field))
        elif isinstance(field, PartialDateField):
            cells.append(partial_date(field))
        else:
            cells.append(generic(field))

    def row(obj):
        out = []
        for cell in cells:
            out.extend(cell(obj))
        return out

    return row


def csv_row(data, columns):
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict) and "slug" in value:
            flat[key], flat[f"{key}_name"] = value["slug"], value.get("name", "")
        elif isinstance(value, dict):
            for part, part_value in value.items():
                flat[key if part == "date" else f"{key}_{part}"] = part_value
        elif isinstance(value, list):
            slugs = [v["slug"] if isinstance(v, dict) and "slug" in v else str(v) for v in value]
            names = [v.get("name", "") for v in value if isinstance(v, dict)]
            flat[key] = "; ".join(slugs)
            flat[f"{key}_name"] = "; ".join(names)
        else:
            flat[key] = value
    return ["" if flat.get(c) is None else flat.get(c) for c in columns]


# --- Fields -----------------------------------------------------------------------------


_SLUG_URLS = {}
_SLUG_PLACEHOLDER = "slug-placeholder-0"
_PLAIN_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _slug_url(viewname, slug):
    """``reverse(viewname, kwargs={"slug": slug})`` from a template reversed once per view
    and script prefix (reverse() cost ~80 µs a call: 3 per CSV row; found by make bench)."""
    key = (viewname, get_script_prefix())
    template = _SLUG_URLS.get(key)
    if template is None:
        template = django_reverse(viewname, kwargs={"slug": _SLUG_PLACEHOLDER})
        _SLUG_URLS[key] = template
    return template.replace(_SLUG_PLACEHOLDER, slug)


def _absolute_base(request):
    """``scheme://host`` of the request, validated once per request rather than per link."""
    base = getattr(request, "_absolute_base", None)
    if base is None:
        base = request.build_absolute_uri("/")[:-1]
        request._absolute_base = base
    return base


def absolute_reverse(viewname, args=None, kwargs=None, request=None, format=None, **extra):
    """An absolute URL without DRF's habit of carrying ``?format=`` into every link
    (CSV rows and JSON alike should hold the record's canonical address)."""
    slug = kwargs.get("slug") if kwargs and len(kwargs) == 1 and not args and not extra else None
    if isinstance(slug, str) and _PLAIN_SLUG.match(slug):
        url = _slug_url(viewname, slug)
        return _absolute_base(request) + url if request is not None else url
    url = django_reverse(viewname, args=args, kwargs=kwargs, **extra)
    return request.build_absolute_uri(url) if request is not None else url


class RecordUrlField(serializers.HyperlinkedIdentityField):
    """The record's own canonical API URL."""

    def __init__(self, view_name, **kwargs):
        kwargs.setdefault("lookup_field", "slug")
        super().__init__(view_name=view_name, **kwargs)
        self.reverse = absolute_reverse


class RelatedRefField(serializers.SlugRelatedField):
    """A related record: written as its slug, read as ``{slug, url, name}``."""

    def __init__(self, view_name, name_attr="name", **kwargs):
        self.view_name = view_name
        self.name_attr = name_attr
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return {
            "slug": obj.slug,
            "url": absolute_reverse(
                self.view_name, kwargs={"slug": obj.slug}, request=self.context.get("request")
            ),
            "name": str(getattr(obj, self.name_attr)),
        }

    def get_choices(self, cutoff=None):
        # The browsable API's form lists the choices by slug (the representation, a dict,
        # cannot key them: an editor's HTML detail page answered 500).
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {getattr(item, self.slug_field): self.display_value(item) for item in queryset}


class RelatedRefFieldExtension(OpenApiSerializerFieldExtension):
    target_class = RelatedRefField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "Slug of the related record."}
        return {
            "type": "object",
            "properties": {
                "slug": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
                "name": {"type": "string"},
            },
            "required": ["slug", "url", "name"],
        }


class PartialDateInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=9999)
    month = serializers.IntegerField(required=False, allow_null=True)
    day = serializers.IntegerField(required=False, allow_null=True)
    precision = serializers.ChoiceField(choices=DatePrecision.choices)
    qualifier = serializers.ChoiceField(
        choices=DateQualifier.choices, required=False, default=DateQualifier.ON
    )


class PartialDateField(serializers.Field):
    """A partial date read as ``{year, month, day, precision, qualifier, display, date}``
    (``date`` is the first day it covers, empty without a year) and written as
    ``{year, month, day, precision, qualifier}``."""

    PARTS = ("year", "month", "day", "precision", "qualifier", "display", "date")

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return {
            "year": obj.date_year,
            "month": obj.date_month,
            "day": obj.date_day,
            "precision": obj.date_precision,
            "qualifier": obj.date_qualifier,
            "display": str(obj.date_display),
            "date": obj.date.isoformat() if obj.date else None,
        }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise ValidationError(
                _("Give the date as an object: {year, month, day, precision, qualifier}.")
            )
        parsed = PartialDateInputSerializer(data=data)
        parsed.is_valid(raise_exception=True)
        values = parsed.validated_data
        return {
            "date_year": values.get("year"),
            "date_month": values.get("month"),
            "date_day": values.get("day"),
            "date_precision": values["precision"],
            "date_qualifier": values.get("qualifier", DateQualifier.ON),
        }


class PartialDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PartialDateField

    def map_serializer_field(self, auto_schema, direction):
        nullable_int = {"type": "integer", "nullable": True}
        properties = {
            "year": nullable_int,
            "month": {**nullable_int, "minimum": 1, "maximum": 12},
            "day": {**nullable_int, "minimum": 1, "maximum": 31},
            "precision": {"type": "string", "enum": list(DatePrecision.values)},
            "qualifier": {"type": "string", "enum": list(DateQualifier.values)},
        }
        if direction == "request":
            return {"type": "object", "properties": properties, "required": ["precision"]}
        properties["display"] = {"type": "string"}
        properties["date"] = {"type": "string", "format": "date", "nullable": True}
        return {"type": "object", "properties": properties, "required": list(properties)}


class CitationInlineSerializer(serializers.Serializer):
    """A citation inside a record's detail: which source, what it says, for which field."""

    source = RelatedRefField(view_name="source-detail", name_attr="title", read_only=True)
    quote = serializers.CharField(read_only=True)
    field = serializers.CharField(source="field_name", read_only=True)
    note = serializers.CharField(read_only=True)


# --- Viewsets ---------------------------------------------------------------------------


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


class RegistryReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List (JSON or streamed CSV, with ETag/Last-Modified) and detail by slug."""

    lookup_field = "slug"
    pagination_class = RegistryPagination
    permission_classes = [RegistryPermission]
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, StrictOrderingFilter]
    #: Queryset for detail (and write) actions; the list uses the lighter ``queryset``.
    detail_queryset = None
    #: Light serializer for lists and CSV; ``serializer_class`` is the detail one.
    list_serializer_class = None

    @property
    def search_fields(self):
        return self.filterset_class.search_fields

    def get_queryset(self):
        if self.action != "list" and self.detail_queryset is not None:
            return self.detail_queryset.all()
        return super().get_queryset()

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
        queryset = self.filter_queryset(self.get_queryset())
        not_modified, validators = self.conditional_response(request, queryset)
        if not_modified is not None:
            return not_modified
        if request.accepted_renderer.format == "csv":
            response = self.stream_csv(queryset)
        else:
            page = self.paginate_queryset(queryset)
            response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        for header, value in validators.items():
            response[header] = value
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response

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
        for header, value in validators.items():
            response[header] = value
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response

    def conditional_response(self, request, queryset=None, *, last=None, total=None):
        """ETag and Last-Modified of a filtered list from ONE query: the newest
        ``updated_at`` and the number of records (a deletion changes the count)."""
        if queryset is not None:
            stamp = queryset.order_by().aggregate(last=Max("updated_at"), total=Count("pk"))
            last, total = stamp["last"], stamp["total"]
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
            for header, value in validators.items():
                response[header] = value
            patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response, validators

    def stream_csv(self, queryset):
        """The whole filtered result, not one page, streamed in chunks."""
        serializer = self.get_serializer()
        columns = csv_columns(serializer)
        writer = csv.writer(_Echo())

        row = csv_row_builder(serializer)

        def lines():
            # Rows are sent in blocks: one socket write per row held exports to ~2,000
            # rows/s behind gunicorn (make bench); a block is still a bounded buffer.
            block = [writer.writerow(columns)]
            for obj in queryset.iterator(chunk_size=CSV_CHUNK_SIZE):
                block.append(writer.writerow(row(obj)))
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
