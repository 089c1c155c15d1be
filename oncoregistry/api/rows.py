"""Compiled list rows: a list serializer turned, once per process, into the columns of one
``values_list()`` query and one small function per field.

Why: a ModelSerializer builds its fields per request (deep copies) and reads every row
through model instances and DRF's per-field machinery: ~140 µs a row, most of a page's
time and 5,000 rows/s of CSV (make bench, docs/performance.md). A compiled row is a tuple
from the database and one call per field, and a page of JSON and a CSV export are the same
rows.

The output is the serializer's, value for value: tests/api/test_rows.py compares the two for
every resource in English, Russian and Kazakh. A serializer with a field the compiler does not
know (a method field, a nested serializer, a generic relation such as a citation's record)
is not compiled: ``row_plan()`` returns None and the view keeps DRF's path.
"""

import functools
import inspect
import operator
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from oncoregistry.core.derived import Derived, LocalizedName
from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.models import partial_date_display

from .exports import csv_columns
from .fields import (
    PLAIN_SLUG,
    PartialDateField,
    RecordUrlField,
    RelatedRefField,
    absolute_base,
    absolute_reverse,
    slug_url,
)

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
#: Derived values remembered per binding (dates, names and labels repeat down a list).
MEMO_SIZE = 4096
#: A memo watches this many misses; if most calls missed (values that rarely repeat, such
#: as figures), it calls the function directly from then on.
MEMO_PROBE = 256


class NotCompilable(Exception):
    """The serializer has a field the compiler does not know; DRF serializes it."""


class Binding:
    """What rows need from one request, resolved once rather than per row: absolute links
    (the host validated once, each view reversed once as a URL template, as
    ``absolute_reverse`` does per call), the request's language, and memos for derived
    values (a binding lives in one language, so a memo never mixes two). Converters look up
    the time zone when they are bound to it."""

    def __init__(self, request):
        self.request = request
        self.base = absolute_base(request)
        self.language = translation.get_language()
        self.makers = {}

    def link(self, view_name, kwarg):
        key = (view_name, kwarg)
        if key not in self.makers:
            self.makers[key] = self._link(view_name, kwarg)
        return self.makers[key]

    def _link(self, view_name, kwarg):
        request = self.request
        prefix = suffix = None
        if kwarg == "slug":
            placeholder = "placeholder-0"
            prefix, suffix = slug_url(view_name, placeholder).split(placeholder)
            prefix = self.base + prefix

        def link(value):
            if prefix is not None and isinstance(value, str) and PLAIN_SLUG.match(value):
                return prefix + value + suffix
            return absolute_reverse(view_name, kwargs={kwarg: value}, request=request)

        return link

    @staticmethod
    def memoized(function):
        """``function`` remembering its results while they repeat (make bench: halves the
        cost of a CSV row); where they do not, remembering costs more than it saves."""
        memo = {}
        calls = misses = 0
        remembering = True

        def call(*args):
            nonlocal calls, misses, remembering
            if not remembering:
                return function(*args)
            calls += 1
            try:
                return memo[args]
            except KeyError:
                pass
            misses += 1
            if misses == MEMO_PROBE and misses * 2 > calls:
                remembering = False
                memo.clear()
                return function(*args)
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            value = memo[args] = function(*args)
            return value

        return call


class Columns:
    """The ``values_list()`` paths a plan reads; ``index(path)`` gives a path's position."""

    def __init__(self):
        self.paths = []

    def index(self, path):
        if path not in self.paths:
            self.paths.append(path)
        return self.paths.index(path)


def _concrete(model, name):
    try:
        field = options(model).get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete and not field.is_relation else None


def _reader(model, attr, columns, prefix=""):
    """``bind(binding) -> reader(row)`` of attribute ``attr`` of ``model``: a column, a
    localized name (the first non-empty of the language's columns), or a Derived computed
    from columns (given the binding's language if it takes one; memoized per binding)."""
    if attr == "pk":
        attr = options(model).pk.attname
    if _concrete(model, attr) is not None:
        i = columns.index(prefix + attr)
        column = operator.itemgetter(i)
        return lambda binding: column
    derived = getattr(model, attr, None)
    if not isinstance(derived, Derived) or not all(_concrete(model, f) for f in derived.fields):
        raise NotCompilable(f"{model.__name__}.{attr} is neither a column nor Derived")
    indexes = {field: columns.index(prefix + field) for field in derived.fields}
    if isinstance(derived, LocalizedName):

        def bind_name(binding):
            first, *rest = [indexes[f] for f in derived.columns_for(binding.language)]
            if not rest:
                return operator.itemgetter(first)
            (fallback,) = rest
            return lambda row: row[first] or row[fallback]

        return bind_name
    positions = list(indexes.values())
    takes_language = "language" in inspect.signature(derived.function).parameters

    def bind(binding):
        function = derived.function
        if takes_language:
            function = functools.partial(function, language=binding.language)
        function = binding.memoized(function)
        return lambda row: function(*[row[i] for i in positions])

    return bind


def _foreign_key(model, source):
    try:
        field = options(model).get_field(source)
    except FieldDoesNotExist:
        raise NotCompilable(f"{model.__name__}.{source} is not a field") from None
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        raise NotCompilable(f"{model.__name__}.{source} is not a forward foreign key")
    return field.related_model


def _converter(field, column=None):
    """``value -> representation`` of a DRF field for non-null database values of
    ``column`` (a model field, when the value is one), with the settings DRF would look up
    per value (format, time zone, decimal places) looked up once."""
    unchanged = UNCHANGED.get(type(field))
    if unchanged is not None:
        convert = field.to_representation
        return lambda value: value if type(value) is unchanged else convert(value)
    if type(field) is serializers.DateTimeField:
        return _datetime_converter(field)
    if type(field) is serializers.DecimalField:
        return _decimal_converter(field, column)
    return field.to_representation


def _datetime_converter(field):
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


def _decimal_converter(field, column):
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output or field.decimal_places is None:
        return field.to_representation
    if (
        isinstance(column, models.DecimalField)
        and column.decimal_places == field.decimal_places
        and column.max_digits == field.max_digits
    ):
        # The column's scale is the field's: the database gives exactly these places.
        return lambda value: f"{value:f}"
    exponent = -field.decimal_places

    def convert(value):
        if isinstance(value, Decimal) and value.as_tuple().exponent == exponent:
            return f"{value:f}"
        return field.to_representation(value)

    return convert


# Each compiler takes (serializer field, model, Columns) and returns ``bind(binding)``, which
# gives the field's JSON value ``json(row)`` and its CSV cells, one function per cell
# (csv.writer writes None as an empty cell, as the serializer path's CSV does).


def _record_url(field, model, columns):
    read = _reader(model, field.lookup_field, columns)
    view, kwarg = field.view_name, field.lookup_url_kwarg

    def bind(binding):
        link, value = binding.link(view, kwarg), read(binding)

        def json(row):
            return link(value(row))

        return json, [json]

    return bind


def _related(field, model, columns):
    if len(field.source_attrs) != 1:
        raise NotCompilable(f"{field.field_name}: a related record through a path")
    related = _foreign_key(model, field.source_attrs[0])
    prefix = field.source_attrs[0] + "__"
    read_slug = _reader(related, field.slug_field, columns, prefix)
    read_name = _reader(related, field.name_attr, columns, prefix)
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


def _partial_date(field, model, columns):
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


def _csv_cell(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _column_type(model, attr):
    """The Python type the database gives for a text, integer or boolean column, else None."""
    column = _concrete(model, options(model).pk.attname if attr == "pk" else attr)
    for model_fields, python_type in (
        ((models.CharField, models.TextField), str),
        ((models.IntegerField,), int),
        ((models.BooleanField,), bool),
    ):
        if isinstance(column, model_fields):
            return python_type
    return None


def _plain(field, model, columns):
    if len(field.source_attrs) != 1:
        raise NotCompilable(f"{field.field_name}: source {field.source!r}")
    read_value = _reader(model, field.source_attrs[0], columns)
    column = _concrete(model, field.source_attrs[0])
    # DRF gives such a column's value (or None) as it is: the row's item is the value.
    as_stored = UNCHANGED.get(type(field), object) is _column_type(model, field.source_attrs[0])
    scalar = type(field) in SCALAR_FIELDS

    def bind(binding):
        read = read_value(binding)
        if as_stored:
            json = read
        else:
            convert = _converter(field, column)

            def json(row):
                value = read(row)
                return None if value is None else convert(value)

        return json, [json if scalar else lambda row: _csv_cell(json(row))]

    return bind


#: DRF fields whose representation is one value (never a list): one CSV cell as it is.
SCALAR_FIELDS = {
    *UNCHANGED,
    serializers.DateTimeField,
    serializers.DateField,
    serializers.DecimalField,
    serializers.FloatField,
}


class ManyPlan:
    """A many-to-many field as ``{slug, url, name}`` lists: one query per page or CSV chunk,
    ordered as the related model orders its records (as DRF's prefetch does)."""

    def __init__(self, field, model):
        child = field.child_relation
        if not isinstance(child, RelatedRefField) or len(field.source_attrs) != 1:
            raise NotCompilable(f"{field.field_name}: a many field of another kind")
        try:
            relation = options(model).get_field(field.source_attrs[0])
        except FieldDoesNotExist:
            raise NotCompilable(f"{field.field_name} is not a field") from None
        if not relation.many_to_many or not relation.concrete:
            raise NotCompilable(f"{field.field_name} is not a forward many-to-many field")
        self.related = relation.related_model
        self.owner = relation.related_query_name()
        self.view = child.view_name
        columns = Columns()
        columns.index(self.owner)
        self.read_slug = _reader(self.related, child.slug_field, columns)
        self.read_label = _reader(self.related, child.name_attr, columns)
        self.paths = columns.paths

    def fetch(self, owner_pks):
        """``{owner pk: [row, ...]}`` for these owners, in one query."""
        rows = defaultdict(list)
        queryset = default_manager(self.related).filter(**{f"{self.owner}__in": owner_pks})
        ordering = [*(options(self.related).ordering or []), "pk"]
        for row in queryset.order_by(*ordering).values_list(*self.paths):
            rows[row[0]].append(row)
        return rows

    def bind(self, binding):
        """``(json(related rows), [slugs cell, names cell])`` for one request."""
        link = binding.link(self.view, "slug")
        slug, label = self.read_slug(binding), self.read_label(binding)

        def json(related_rows):
            return [
                {"slug": slug(r), "url": link(slug(r)), "name": str(label(r))} for r in related_rows
            ]

        def slugs(related_rows):
            return "; ".join(slug(r) for r in related_rows)

        def names(related_rows):
            return "; ".join(str(label(r)) for r in related_rows)

        return json, [slugs, names]


class RowPlan:
    """A list serializer compiled: the ``columns`` to read; per request, a JSON dict or the
    CSV cells of each row."""

    def __init__(self, serializer_class):
        serializer = serializer_class()
        model = serializer.Meta.model
        columns = Columns()
        self.pk_index = columns.index(options(model).pk.attname)
        self.binders = []  # (name, bind(binding), ManyPlan | None)
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if isinstance(field, serializers.ManyRelatedField):
                many = ManyPlan(field, model)
                self.binders.append((name, many.bind, many))
                continue
            if isinstance(field, RecordUrlField):
                compile_field = _record_url
            elif isinstance(field, RelatedRefField):
                compile_field = _related
            elif isinstance(field, PartialDateField):
                compile_field = _partial_date
            elif (
                isinstance(field, OPAQUE_FIELDS)
                or field.source == "*"
                or type(field).to_representation is serializers.Field.to_representation
            ):
                raise NotCompilable(f"{serializer_class.__name__}.{name}: {type(field).__name__}")
            else:
                compile_field = _plain
            self.binders.append((name, compile_field(field, model, columns), None))
        self.columns = columns.paths
        self.csv_header = csv_columns(serializer)

    def values(self, queryset):
        """The queryset's rows as the tuples this plan reads (same filters and order)."""
        # Many-to-many fields are fetched per page by ManyPlan; the detail's prefetches go.
        return queryset.prefetch_related(None).values_list(*self.columns)

    def _bound(self, binding, rows):
        """Per field ``(name, json(row), [cell(row), ...])`` for these rows, with their
        many-to-many rows fetched."""
        pk = self.pk_index
        bound = []
        for name, bind, many in self.binders:
            json, cells = bind(binding)
            if many is not None:
                related = many.fetch([row[pk] for row in rows])
                json = functools.partial(_with_related, json, related, pk)
                cells = [functools.partial(_with_related, cell, related, pk) for cell in cells]
            bound.append((name, json, cells))
        return bound

    def json_rows(self, rows, request):
        """A page of rows as the serializer's dicts."""
        fields = [(name, json) for name, json, _cells in self._bound(Binding(request), rows)]
        return [{name: json(row) for name, json in fields} for row in rows]

    def csv_rows(self, rows, request, binding=None):
        """Rows as lists of CSV cells, in the columns of ``exports.csv_columns``; an export
        in chunks passes one ``Binding`` for all of them."""
        bound = self._bound(binding or Binding(request), rows)
        cells = [cell for _name, _json, field_cells in bound for cell in field_cells]
        return ([cell(row) for cell in cells] for row in rows)


def _with_related(function, related, pk, row):
    return function(related.get(row[pk], ()))


OPAQUE_FIELDS = (
    serializers.RelatedField,
    serializers.BaseSerializer,
    serializers.SerializerMethodField,
    serializers.HiddenField,
)


@functools.cache
def row_plan(serializer_class):
    """The compiled plan of a list serializer, or None when it cannot be compiled."""
    try:
        return RowPlan(serializer_class)
    except NotCompilable:
        return None


def compile_error(serializer_class):
    """Why a serializer is not compiled (None when it is), for tests and logs."""
    try:
        RowPlan(serializer_class)
    except NotCompilable as error:
        return str(error)
    return None
