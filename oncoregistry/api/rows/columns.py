"""The ``values_list()`` paths a plan reads, and readers of a model's attributes from them."""

import functools
import inspect
import operator

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from oncoregistry.core.derived import Derived, LocalizedName
from oncoregistry.core.meta import options


class NotCompilable(Exception):
    """The serializer has a field the compiler does not know; DRF serializes it."""


class Columns:
    """What a plan reads with ``values_list()`` (``selected``: paths, or expressions of a
    path); ``index(path)`` gives a path's position, ``index(path, expression)`` the
    position of that expression of it."""

    def __init__(self):
        self.keys = []
        self.selected = []

    def index(self, path, expression=None):
        key = path if expression is None else (path, type(expression).__name__)
        if key not in self.keys:
            self.keys.append(key)
            self.selected.append(path if expression is None else expression)
        return self.keys.index(key)


def instance_model(model):
    """The record model of a history table's model (django-simple-history's
    ``instance_type``), or the model itself: a version has its record's columns."""
    return getattr(model, "instance_type", model)


def concrete_field(model, name):
    """The model's concrete, non-relation field ``name``, or None."""
    try:
        field = options(model).get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete and not field.is_relation else None


def reader(model, attr, columns, prefix=""):
    """``bind(binding) -> reader(row)`` of attribute ``attr`` of ``model``: a column, a
    localized name (the first non-empty of the language's columns), or a Derived computed
    from columns (given the binding's language if it takes one; memoized per binding)."""
    record_model = instance_model(model)
    if attr == "pk":
        attr = options(record_model).pk.attname
    if concrete_field(model, attr) is not None:
        i = columns.index(prefix + attr)
        column = operator.itemgetter(i)
        return lambda binding: column
    derived = getattr(record_model, attr, None)
    if not isinstance(derived, Derived) or not all(
        concrete_field(model, f) for f in derived.fields
    ):
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


def foreign_key_model(model, source):
    """The model a forward foreign key (or one-to-one) ``source`` of ``model`` points to."""
    try:
        field = options(model).get_field(source)
    except FieldDoesNotExist:
        raise NotCompilable(f"{model.__name__}.{source} is not a field") from None
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        raise NotCompilable(f"{model.__name__}.{source} is not a forward foreign key")
    return field.related_model


def column_type(model, attr):
    """The Python type the database gives for a text, integer or boolean column, else None."""
    column = concrete_field(model, options(model).pk.attname if attr == "pk" else attr)
    for model_fields, python_type in (
        ((models.CharField, models.TextField), str),
        ((models.IntegerField,), int),
        ((models.BooleanField,), bool),
    ):
        if isinstance(column, model_fields):
            return python_type
    return None
