"""A DRF field's representation of a database value, with the settings DRF would look up per
value (format, time zone, decimal places) looked up once."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import CharField, Func
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

#: DRF fields whose ``to_representation`` returns a database value of this type unchanged.
UNCHANGED = {
    serializers.CharField: str,
    serializers.ChoiceField: str,
    serializers.SlugField: str,
    serializers.URLField: str,
    serializers.EmailField: str,
    serializers.IntegerField: int,
    serializers.BooleanField: bool,
}


def converter(field, column=None):
    """``value -> representation`` of a DRF field for non-null database values of
    ``column`` (a model field, when the value is one)."""
    unchanged = UNCHANGED.get(type(field))
    if unchanged is not None:
        convert = field.to_representation
        return lambda value: value if type(value) is unchanged else convert(value)
    if type(field) is serializers.DateTimeField:
        return datetime_converter(field)
    if type(field) is serializers.DecimalField:
        return decimal_converter(field, column)
    return field.to_representation


def datetime_converter(field):
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if output_format is None or output_format.lower() != ISO_8601 or zone is None:
        return field.to_representation

    def convert(value):
        if value.tzinfo is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


class UtcText(Func):
    """A timestamp column as ISO text in UTC (``2026-12-04T23:27:31.123456``), read by
    ``stamp_converter``: Django reads a PostgreSQL timestamptz with psycopg's pure-Python
    loader (subclassed to set the zone), about ten times the cost of
    ``datetime.fromisoformat`` on text, per value (docs/performance.md)."""

    output_field = CharField()
    # Elsewhere the column as it is: SQLite's driver gives a naive datetime, in UTC.
    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        return self.as_sql(compiler, connection, template=template, **extra)


def stamp_converter(field):
    """``converter(field)`` of a DateTimeField read as ``UtcText``: UTC text, or a naive
    datetime in UTC (USE_TZ)."""
    convert = datetime_converter(field)

    def from_utc(value):
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return convert(value)

    return from_utc


def decimal_converter(field, column):
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if field.localize or field.normalize_output or field.decimal_places is None:
        return field.to_representation
    if (
        isinstance(column, models.DecimalField)
        and column.decimal_places == field.decimal_places
        and column.max_digits == field.max_digits
    ):
        # The column's scale is the field's: the database gives exactly these places.
        return (lambda value: f"{value:f}") if coerce else (lambda value: value)
    if not coerce:
        return field.to_representation
    exponent = -field.decimal_places

    def convert(value):
        if isinstance(value, Decimal) and value.as_tuple().exponent == exponent:
            return f"{value:f}"
        return field.to_representation(value)

    return convert
