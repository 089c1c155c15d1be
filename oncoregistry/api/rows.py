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
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

from oncoregistry.core.derived import Derived
from oncoregistry.core.models import partial_date_display

from .fields import (
    _PLAIN_SLUG,
    PartialDateField,
    RecordUrlField,
    RelatedRefField,
    _absolute_base,
    _slug_url,
    absolute_reverse,
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


class NotCompilable(Exception):
    """The serializer has a field the compiler does not know; DRF serializes it."""


class Links:
    """Absolute record URLs for one request: the host is validated once and each view's URL
    is reversed once (a URL template), as ``absolute_reverse`` does per call."""

    def __init__(self, request):
        self.request = request
        self.base = _absolute_base(request)
        self.makers = {}

    def maker(self, view_name, kwarg):
        key = (view_name, kwarg)
        if key not in self.makers:
            self.makers[key] = self._maker(view_name, kwarg)
        return self.makers[key]

    def _maker(self, view_name, kwarg):
        request, base = self.request, self.base
        prefix = suffix = None
        if kwarg == "slug":
            placeholder = "placeholder-0"
            prefix, suffix = _slug_url(view_name, placeholder).split(placeholder)
            prefix = base + prefix

        def link(value):
            if prefix is not None and isinstance(value, str) and _PLAIN_SLUG.match(value):
                return prefix + value + suffix
            return absolute_reverse(view_name, kwargs={kwarg: value}, request=request)

        return link


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
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete and not field.is_relation else None


def _value_reader(model, attr, columns, prefix=""):
    """``row -> value`` of attribute ``attr`` of ``model``: a column or a Derived of columns."""
    if attr == "pk":
        attr = model._meta.pk.attname
    if _concrete(model, attr) is not None:
        i = columns.index(prefix + attr)
        return lambda row: row[i]
    derived = getattr(model, attr, None)
    if isinstance(derived, Derived) and all(_concrete(model, f) for f in derived.fields):
        indexes = [columns.index(prefix + f) for f in derived.fields]
        function = derived.function
        return lambda row: function(*[row[i] for i in indexes])
    raise NotCompilable(f"{model.__name__}.{attr} is neither a column nor Derived")


def _foreign_key(model, source):
    try:
        field = model._meta.get_field(source)
    except FieldDoesNotExist:
        raise NotCompilable(f"{model.__name__}.{source} is not a field") from None
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        raise NotCompilable(f"{model.__name__}.{source} is not a forward foreign key")
    return field.related_model


# Each compiler takes (serializer field, model, Columns) and returns ``bind(links)``, which
# gives the field's ``(json(row), csv(row) -> [cells])`` for one request.


def _record_url(field, model, columns):
    read = _value_reader(model, field.lookup_field, columns)
    view, kwarg = field.view_name, field.lookup_url_kwarg

    def bind(links):
        link = links.maker(view, kwarg)

        def json(row):
            return link(read(row))

        return json, lambda row: [json(row)]

    return bind


def _related(field, model, columns):
    if len(field.source_attrs) != 1:
        raise NotCompilable(f"{field.field_name}: a related record through a path")
    related = _foreign_key(model, field.source_attrs[0])
    prefix = field.source_attrs[0] + "__"
    slug = _value_reader(related, field.slug_field, columns, prefix)
    name = _value_reader(related, field.name_attr, columns, prefix)
    view = field.view_name

    def bind(links):
        link = links.maker(view, "slug")

        def json(row):
            value = slug(row)
            if value is None:
                return None
            return {"slug": value, "url": link(value), "name": str(name(row))}

        def csv(row):
            value = slug(row)
            return ["", ""] if value is None else [value, str(name(row))]

        return json, csv

    return bind


def _partial_date(field, model, columns):
    parts = ["date_year", "date_month", "date_day", "date_precision", "date_qualifier"]
    indexes = [columns.index(part) for part in parts]
    date_index = columns.index("date")

    def json(row):
        year, month, day, precision, qualifier = [row[i] for i in indexes]
        date = row[date_index]
        return {
            "year": year,
            "month": month,
            "day": day,
            "precision": precision,
            "qualifier": qualifier,
            "display": partial_date_display(year, month, day, precision, qualifier),
            "date": date.isoformat() if date else None,
        }

    def csv(row):
        return ["" if v is None else v for v in json(row).values()]

    return lambda links: (json, csv)


def _plain(field, model, columns):
    if len(field.source_attrs) != 1:
        raise NotCompilable(f"{field.field_name}: source {field.source!r}")
    read = _value_reader(model, field.source_attrs[0], columns)
    unchanged = UNCHANGED.get(type(field))
    convert = field.to_representation

    def json(row):
        value = read(row)
        if value is None or type(value) is unchanged:
            return value
        return convert(value)

    def csv(row):
        value = json(row)
        if value is None:
            return [""]
        if isinstance(value, list):
            return ["; ".join(str(v) for v in value)]
        return [value]

    return lambda links: (json, csv)


class ManyPlan:
    """A many-to-many field as ``{slug, url, name}`` lists: one query per page or CSV chunk,
    ordered as the related model orders its records (as DRF's prefetch does)."""

    def __init__(self, field, model):
        child = field.child_relation
        if not isinstance(child, RelatedRefField) or len(field.source_attrs) != 1:
            raise NotCompilable(f"{field.field_name}: a many field of another kind")
        try:
            relation = model._meta.get_field(field.source_attrs[0])
        except FieldDoesNotExist:
            raise NotCompilable(f"{field.field_name} is not a field") from None
        if not relation.many_to_many or not relation.concrete:
            raise NotCompilable(f"{field.field_name} is not a forward many-to-many field")
        self.related = relation.related_model
        self.owner = relation.related_query_name()
        self.view = child.view_name
        columns = Columns()
        columns.index(self.owner)
        self.slug = _value_reader(self.related, child.slug_field, columns)
        self.label = _value_reader(self.related, child.name_attr, columns)
        self.paths = columns.paths

    def fetch(self, owner_pks):
        """``{owner pk: [row, ...]}`` for these owners, in one query."""
        rows = defaultdict(list)
        queryset = self.related._default_manager.filter(**{f"{self.owner}__in": owner_pks})
        ordering = [*(self.related._meta.ordering or []), "pk"]
        for row in queryset.order_by(*ordering).values_list(*self.paths):
            rows[row[0]].append(row)
        return rows

    def bind(self, links):
        link, slug, label = links.maker(self.view, "slug"), self.slug, self.label

        def json(related_rows):
            return [
                {"slug": slug(r), "url": link(slug(r)), "name": str(label(r))} for r in related_rows
            ]

        def csv(related_rows):
            return [
                "; ".join(slug(r) for r in related_rows),
                "; ".join(str(label(r)) for r in related_rows),
            ]

        return json, csv


class RowPlan:
    """A list serializer compiled: the ``columns`` to read; per request, a JSON dict or the
    CSV cells of each row."""

    def __init__(self, serializer_class):
        serializer = serializer_class()
        model = serializer.Meta.model
        columns = Columns()
        self.pk_index = columns.index(model._meta.pk.attname)
        self.binders = []  # (name, bind(links), ManyPlan | None)
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

    def values(self, queryset):
        """The queryset's rows as the tuples this plan reads (same filters and order)."""
        return queryset.prefetch_related(None).values_list(*self.columns)

    def _bound(self, request, rows, form):
        """Per field ``(name, cell(row))`` for these rows, many-to-many rows fetched."""
        links = Links(request)
        pk = self.pk_index
        bound = []
        for name, bind, many in self.binders:
            function = bind(links)[form]
            if many is not None:
                related = many.fetch([row[pk] for row in rows])
                function = functools.partial(_with_related, function, related, pk)
            bound.append((name, function))
        return bound

    def json_rows(self, rows, request):
        """A page of rows as the serializer's dicts."""
        bound = self._bound(request, rows, 0)
        return [{name: cell(row) for name, cell in bound} for row in rows]

    def csv_rows(self, rows, request):
        """Rows as lists of CSV cells, in the columns of ``exports.csv_columns``."""
        bound = [cell for _name, cell in self._bound(request, rows, 1)]
        for row in rows:
            cells = []
            for cell in bound:
                cells += cell(row)
            yield cells


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
