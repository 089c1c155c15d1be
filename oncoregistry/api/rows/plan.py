"""``RowPlan``: a list serializer compiled into the columns to read and, per request, a JSON
dict or the CSV cells of each row; ``row_plan()`` compiles each serializer once."""

import functools

from rest_framework import serializers

from oncoregistry.core.meta import options

from ..exports import csv_columns
from ..fields import PartialDateField, RecordUrlField, RelatedRefField
from .binding import Binding
from .columns import Columns, NotCompilable, instance_model
from .fields import partial_date, plain, record_url, related
from .flat import REGION_COLUMNS, SOURCE_COLUMNS, RegionColumns, SourceColumns, citation_model
from .many import ManyPlan

#: Fields whose representation reads more than a row's columns: DRF serializes them.
OPAQUE_FIELDS = (
    serializers.RelatedField,
    serializers.BaseSerializer,
    serializers.SerializerMethodField,
    serializers.HiddenField,
)


class RowPlan:
    """A list serializer compiled: the ``columns`` to read; per request, a JSON dict or the
    CSV cells of each row. A ``flat`` plan (CSV, XLSX) adds the region (through the foreign
    keys of ``region_path``) and source columns of ``flat.py`` where the serializer has none."""

    def __init__(self, serializer_class, flat=False, region_path=None, model=None):
        serializer = serializer_class()
        # ``model``: a history table's model, whose rows are versions of the records.
        model = model or serializer.Meta.model
        record_model = instance_model(model)
        columns = Columns()
        self.pk_index = columns.index(options(record_model).pk.attname)
        self.binders = []  # (name, bind(binding), ManyPlan | None)
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if isinstance(field, serializers.ManyRelatedField):
                many = ManyPlan(field, record_model)
                self.binders.append((name, many.bind, many))
                continue
            if isinstance(field, RecordUrlField):
                compile_field = record_url
            elif isinstance(field, RelatedRefField):
                compile_field = related
            elif isinstance(field, PartialDateField):
                compile_field = partial_date
            elif (
                isinstance(field, OPAQUE_FIELDS)
                or field.source == "*"
                or type(field).to_representation is serializers.Field.to_representation
            ):
                raise NotCompilable(f"{serializer_class.__name__}.{name}: {type(field).__name__}")
            else:
                compile_field = plain
            self.binders.append((name, compile_field(field, model, columns), None))
        self.csv_header = csv_columns(serializer)
        self.region = self.sources = None
        if flat and region_path and "region" not in self.csv_header:
            self.region = RegionColumns(model, region_path, columns)
            self.csv_header = [*self.csv_header, *REGION_COLUMNS]
        citations = citation_model(record_model) if flat else None
        if citations is not None and "source" not in self.csv_header:
            self.sources = SourceColumns(record_model, citations)
            self.csv_header = [*self.csv_header, *SOURCE_COLUMNS]
        self.columns = columns.selected

    def values(self, queryset):
        """The queryset's rows as the tuples this plan reads (same filters and order)."""
        # Many-to-many fields are fetched per page by ManyPlan; the detail's prefetches go.
        return queryset.prefetch_related(None).values_list(*self.columns)

    def bound(self, binding, rows):
        """Per field ``(name, json(row), [cell(row), ...])`` for these rows, with their
        many-to-many rows fetched."""
        pk = self.pk_index
        fields = []
        for name, bind, many in self.binders:
            json, cells = bind(binding)
            if many is not None:
                related_rows = many.fetch([row[pk] for row in rows])
                json = functools.partial(with_related, json, related_rows, pk)
                cells = [functools.partial(with_related, cell, related_rows, pk) for cell in cells]
            fields.append((name, json, cells))
        return fields

    def json_rows(self, rows, request):
        """A page of rows as the serializer's dicts."""
        fields = [(name, json) for name, json, _cells in self.bound(Binding(request), rows)]
        return [{name: json(row) for name, json in fields} for row in rows]

    def csv_rows(self, rows, request, binding=None):
        """Rows as lists of CSV cells, in the columns of ``exports.csv_columns``; an export
        in chunks passes one ``Binding`` for all of them."""
        binding = binding or Binding(request)
        fields = self.bound(binding, rows)
        cells = [cell for _name, _json, field_cells in fields for cell in field_cells]
        if self.region is not None:
            cells.extend(self.region.bind(binding))
        if self.sources is None:
            return ([cell(row) for cell in cells] for row in rows)
        pk = self.pk_index
        found = self.sources.fetch([row[pk] for row in rows], binding.published_only)
        return (
            [cell(row) for cell in cells] + self.sources.cells(found.get(row[pk])) for row in rows
        )


def with_related(function, related_rows, pk, row):
    return function(related_rows.get(row[pk], ()))


@functools.cache
def row_plan(serializer_class, model=None):
    """The compiled plan of a list serializer (reading ``model``'s rows, by default its
    own), or None when it cannot be compiled."""
    try:
        return RowPlan(serializer_class, model=model)
    except NotCompilable:
        return None


@functools.cache
def flat_plan(serializer_class, region_path=None, model=None):
    """The compiled plan of a list's CSV and XLSX (with region and source columns), or None
    when the serializer cannot be compiled."""
    try:
        return RowPlan(serializer_class, flat=True, region_path=region_path, model=model)
    except NotCompilable:
        return None


def compile_error(serializer_class):
    """Why a serializer is not compiled (None when it is), for tests and logs."""
    try:
        RowPlan(serializer_class)
    except NotCompilable as error:
        return str(error)
    return None
