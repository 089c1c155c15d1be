"""One compiler per kind of serializer field.

Each compiler takes (serializer field, model, Columns) and returns ``bind(binding)``, which
gives the field's JSON value ``json(row)`` and its CSV cells, one function per cell
(csv.writer writes None as an empty cell, as the serializer path's CSV does).
"""

import operator

from django.conf import settings
from django.db import models
from rest_framework import serializers

from oncoregistry.core.models import partial_date_display

from .columns import NotCompilable, column_type, concrete_field, foreign_key_model, reader
from .converters import UNCHANGED, UtcText, converter, stamp_converter

#: DRF fields whose representation is one value (never a list): one CSV cell as it is.
SCALAR_FIELDS = {
    *UNCHANGED,
    serializers.DateTimeField,
    serializers.DateField,
    serializers.DecimalField,
    serializers.FloatField,
}


def record_url(field, model, columns):
    read = reader(model, field.lookup_field, columns)
    view, kwarg = field.view_name, field.lookup_url_kwarg

    def bind(binding):
        link, value = binding.link(view, kwarg), read(binding)

        def json(row):
            return link(value(row))

        return json, [json]

    return bind


def related(field, model, columns):
    if len(field.source_attrs) != 1:
        raise NotCompilable(f"{field.field_name}: a related record through a path")
    related_model = foreign_key_model(model, field.source_attrs[0])
    prefix = field.source_attrs[0] + "__"
    read_slug = reader(related_model, field.slug_field, columns, prefix)
    read_name = reader(related_model, field.name_attr, columns, prefix)
    view = field.view_name

    def bind(binding):
        link, slug, name = binding.link(view, "slug"), read_slug(binding), read_name(binding)

        def json(row):
            value = slug(row)
            if value is None:
                return None
            return {"slug": value, "url": link(value), "name": str(name(row))}

        def name_cell(row):
            return None if slug(row) is None else str(name(row))

        return json, [slug, name_cell]

    return bind


def partial_date(field, model, columns):
    parts = ["date_year", "date_month", "date_day", "date_precision", "date_qualifier"]
    indexes = [columns.index(part) for part in parts]
    date_index = columns.index("date")

    def iso_date(row):
        date = row[date_index]
        return date.isoformat() if date else None

    def bind(binding):
        display = binding.memoized(partial_date_display)

        def display_cell(row):
            return display(*[row[i] for i in indexes])

        def json(row):
            year, month, day, precision, qualifier = [row[i] for i in indexes]
            return {
                "year": year,
                "month": month,
                "day": day,
                "precision": precision,
                "qualifier": qualifier,
                "display": display(year, month, day, precision, qualifier),
                "date": iso_date(row),
            }

        # The columns of PartialDateField.PARTS: year, month, day, precision, qualifier,
        # display, date.
        cells = [*(operator.itemgetter(i) for i in indexes), display_cell, iso_date]
        return json, cells

    return bind


def csv_cell(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def plain(field, model, columns):
    if len(field.source_attrs) != 1:
        raise NotCompilable(f"{field.field_name}: source {field.source!r}")
    attr = field.source_attrs[0]
    column = concrete_field(model, attr)
    # A timestamp is read as text (converters.UtcText), which Python parses faster.
    stamp = (
        type(field) is serializers.DateTimeField
        and isinstance(column, models.DateTimeField)
        and settings.USE_TZ
    )
    if stamp:
        read_stamp = operator.itemgetter(columns.index(attr, UtcText(attr)))

        def read_value(binding):
            return read_stamp

    else:
        read_value = reader(model, attr, columns)
    # DRF gives such a column's value (or None) as it is: the row's item is the value.
    as_stored = UNCHANGED.get(type(field), object) is column_type(model, attr)
    scalar = type(field) in SCALAR_FIELDS

    def bind(binding):
        read = read_value(binding)
        if as_stored:
            json = read
        else:
            convert = stamp_converter(field) if stamp else converter(field, column)

            def json(row):
                value = read(row)
                return None if value is None else convert(value)

        return json, [json if scalar else lambda row: csv_cell(json(row))]

    return bind
