"""Serializer fields shared by every app: record links, related records as
``{slug, url, name}``, partial dates, inline citations."""

import re

from django.urls import get_script_prefix
from django.urls import reverse as django_reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from oncoregistry.core.choices import DatePrecision, DateQualifier

SLUG_URLS = {}
SLUG_PLACEHOLDER = "slug-placeholder-0"
PLAIN_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def slug_url(viewname, slug):
    """``reverse(viewname, kwargs={"slug": slug})`` from a template reversed once per view
    and script prefix (reverse() cost ~80 µs a call: 3 per CSV row; found by make bench)."""
    key = (viewname, get_script_prefix())
    template = SLUG_URLS.get(key)
    if template is None:
        template = django_reverse(viewname, kwargs={"slug": SLUG_PLACEHOLDER})
        SLUG_URLS[key] = template
    return template.replace(SLUG_PLACEHOLDER, slug)


def absolute_base(request):
    """``scheme://host`` of the request, validated once per request rather than per link."""
    base = getattr(request, "absolute_base_url", None)
    if base is None:
        base = request.build_absolute_uri("/")[:-1]
        request.absolute_base_url = base
    return base


def absolute_reverse(viewname, args=None, kwargs=None, request=None, format=None, **extra):
    """An absolute URL without DRF's habit of carrying ``?format=`` into every link
    (CSV rows and JSON alike should hold the record's canonical address)."""
    slug = kwargs.get("slug") if kwargs and len(kwargs) == 1 and not args and not extra else None
    if isinstance(slug, str) and PLAIN_SLUG.match(slug):
        url = slug_url(viewname, slug)
        return absolute_base(request) + url if request is not None else url
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


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """A decimal is a JSON number written with its exact digits (core/renderers.py):
    ``format: decimal`` (OpenAPI's format registry) rather than drf-spectacular's ``double``,
    which would promise no more than a float's 15-17 significant digits."""

    target_class = serializers.DecimalField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {"type": "number", "format": "decimal"}
        if field.max_whole_digits is not None:
            bound = 10**field.max_whole_digits
            schema.update(
                maximum=bound, minimum=-bound, exclusiveMaximum=True, exclusiveMinimum=True
            )
        if field.max_value is not None:
            schema["maximum"] = field.max_value
            schema.pop("exclusiveMaximum", None)
        if field.min_value is not None:
            schema["minimum"] = field.min_value
            schema.pop("exclusiveMinimum", None)
        return schema


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
