"""Filter building blocks shared by every app's ``filters.py``.

The filtersets are used by the REST API and by the public list pages alike, so
nothing here knows about DRF: a filterset is plain django-filter.
"""

import copy
import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings
from rest_framework.filters import SearchFilter

from oncoregistry.core.meta import default_manager, options

from .choices import DatePrecision, DateQualifier, Qualifier
from .search import search_key


def search_terms_query(fields, value, keys=()):
    """Every word of ``value`` must appear (case-insensitively) in at least one of ``fields``,
    or, folded across scripts, in one of the search-key columns ``keys`` (core/search.py)."""
    query = Q()
    # No stored text holds a NUL (PostgreSQL refuses one), so it matches nothing: drop it.
    for term in value.replace("\x00", "").split():
        term_query = Q()
        for field in fields:
            term_query |= Q(**{f"{field}__icontains": term})
        folded = search_key(term)
        for key in keys if folded else ():
            term_query |= Q(**{f"{key}__contains": folded})
        query &= term_query
    return query


def search_keys(model, extra=()):
    """The model's own search-key column (if it has one) and ``extra`` related ones."""
    own = ("search_text",) if getattr(model, "search_sources", None) else ()
    return own + tuple(extra)


class SlugsField(forms.ModelMultipleChoiceField):
    """Related records named by slug: each request looks its slugs up (an unknown one is a
    400 that names it), so every worker answers from the database as it is now."""

    def clean(self, value):
        # Django cleans an absent value to queryset.none(), which django-filter then tests
        # with `if not value`: an empty query compiled per absent filter per request.
        if not self.required and not value:
            return []
        return super().clean(value)


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Related records named by slug; repeating the parameter ORs the values."""

    field_class = SlugsField

    def get_filter_predicate(self, v):
        # The foreign key equals the record's id, a parameter (the record was looked up when
        # the form was cleaned): an index on the key serves the list. django-filter would
        # compare the key with the slug itself.
        name = self.field_name
        if self.lookup_expr != filter_settings.DEFAULT_LOOKUP_EXPR:
            name = f"{name}__{self.lookup_expr}"
        return {name: v}


def slug_filter(queryset, field_name, label, multiple=True, **kwargs):
    """A related-object filter taking slugs: an unknown slug is a validation error."""
    filter_class = SlugMultipleChoiceFilter if multiple else django_filters.ModelChoiceFilter
    return filter_class(
        field_name=field_name, queryset=queryset, to_field_name="slug", label=label, **kwargs
    )


class UTCIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time, turned into UTC before it reaches the database: ISO allows
    offsets such as +22:49 that PostgreSQL refuses (found by tests/security/test_fuzz.py)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("This date and time is out of range."), code="invalid"
            ) from None


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


def crosses_to_many(model, path):
    """Whether the lookup ``path`` from ``model`` follows a to-many relation (or is unknown)."""
    for part in path.split("__"):
        try:
            field = options(model).get_field(part)
        except Exception:
            return True
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class RegistryFilterSet(django_filters.FilterSet):
    """``q`` (full-text over ``search_fields``, aliases included) and ``updated_since``."""

    #: Fields searched by ``q`` and by the API's ``search=``; subclasses list theirs.
    search_fields = ("slug",)
    #: Related records' search keys also searched ("Астана" finds the centers in Astana).
    search_related_keys = ()

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Words to find in names, aliases and descriptions; every word must match."),
    )
    updated_since = UTCIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Updated since"),
        help_text=_(
            "ISO 8601 date or date-time; records changed at or after it (incremental sync)."
        ),
    )

    @classmethod
    def get_filters(cls):
        # django-filter's multiple-choice filters add DISTINCT (over every column, before
        # the page's LIMIT) even on a plain column or a forward foreign key, where rows
        # cannot repeat; keep it only where they can.
        filters = super().get_filters()
        for name, filter_ in filters.items():
            if filter_.distinct and not crosses_to_many(options(cls).model, filter_.field_name):
                filters[name] = copy.deepcopy(filter_)
                filters[name].distinct = False
        return filters

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        keys = search_keys(queryset.model, self.search_related_keys)
        matches = default_manager(queryset.model).filter(
            search_terms_query(self.search_fields, value, keys)
        )
        # A subquery, not a join: searching related names must not duplicate rows.
        return queryset.filter(pk__in=matches.values("pk"))


class PartialDateFilterSet(RegistryFilterSet):
    """Range filters on the derived date (only records whose year is stated match them)."""

    date_after = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label=_("Date on or after"),
        help_text=_("YYYY-MM-DD; records whose stated date is on or after it."),
    )
    date_before = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label=_("Date on or before"),
        help_text=_("YYYY-MM-DD; records whose stated date is on or before it."),
    )
    year = django_filters.NumberFilter(field_name="date_year", label=_("Year"))
    date_precision = django_filters.MultipleChoiceFilter(
        choices=DatePrecision.choices, label=_("Date precision")
    )
    date_qualifier = django_filters.MultipleChoiceFilter(
        choices=DateQualifier.choices, label=_("Date qualifier")
    )


def qualifier_filter(field_name):
    return django_filters.MultipleChoiceFilter(
        field_name=field_name, choices=Qualifier.choices, label=_("Qualifier")
    )


class CrossScriptSearchFilter(SearchFilter):
    """The API's ``search=``: the same words, fields and cross-script keys as ``q``."""

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get(self.search_param, "")
        fields = self.get_search_fields(view, request)
        if not fields or not value.strip():
            return queryset
        filterset_class = getattr(view, "filterset_class", None)
        related = getattr(filterset_class, "search_related_keys", ())
        keys = search_keys(queryset.model, related)
        matches = default_manager(queryset.model).filter(
            search_terms_query(fields, value.replace(",", " "), keys)
        )
        return queryset.filter(pk__in=matches.values("pk"))
