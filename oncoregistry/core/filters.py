"""Filter building blocks shared by every app's ``filters.py``.

The filtersets are used by the REST API and by the public list pages alike, so
nothing here knows about DRF: a filterset is plain django-filter.
"""

import copy
import datetime
import functools

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings
from rest_framework.filters import SearchFilter

from oncoregistry.core.meta import default_manager, options

from .choices import DatePrecision, DateQualifier, Qualifier
from .response_cache import registry_version
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


@functools.lru_cache(maxsize=8192)
def record_id(label, slug, version):
    """The id of the ``label`` record whose slug is ``slug`` (None if there is none), as the
    registry stood at ``version``: any registry write makes a new version, so an answer is
    never older than the registry and every process gives the same one (docs/performance.md,
    "Slugs in filters")."""
    model = apps.get_model(label)
    return default_manager(model).filter(slug=slug).values_list("pk", flat=True).first()


class SlugsField(forms.ModelMultipleChoiceField):
    """Related records named by slug; an unknown one is a 400 that names it. Cleans to the
    records' ids, looked up once per slug and registry version."""

    def clean(self, value):
        # Django cleans an absent value to queryset.none(), which django-filter then tests
        # with `if not value`: an empty query compiled per absent filter per request.
        if not value:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, (list, tuple)):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        label, version = options(self.queryset.model).label, registry_version()
        ids = []
        for slug in dict.fromkeys(str(v) for v in value):
            self.validate_no_null_characters(slug)
            found = record_id(label, slug, version)
            if found is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
            ids.append(found)
        self.run_validators(value)
        return ids


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Related records named by slug; repeating the parameter ORs the values."""

    field_class = SlugsField

    def get_filter_predicate(self, v):
        # The foreign key equals the record's id (looked up when the form was cleaned): an
        # index on the key serves the list. django-filter would compare the key with the
        # slug itself.
        name = self.field_name
        if self.lookup_expr != filter_settings.DEFAULT_LOOKUP_EXPR:
            name = f"{name}__{self.lookup_expr}"
        return {name: v}


def slug_filter(queryset, field_name, label, multiple=True, **kwargs):
    """A related-object filter taking slugs: an unknown slug is a validation error."""
    filter_class = SlugMultipleChoiceFilter if multiple else django_filters.ModelChoiceFilter
    return filter_class(
        field_name=field_name,
        # A callable (django-filter's documented form): each request's filterset deep-copies
        # its filters, and copies a function by reference where it would copy a queryset.
        queryset=lambda request: queryset.all(),
        to_field_name="slug",
        label=label,
        **kwargs,
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


class FilterCopies(dict):
    """A filterset's filters, which no request changes. django-filter deep-copies them, and
    Django its form's fields, at every request: a fifth of a cold list's time
    (docs/performance.md, "Filters copied per request"). A request gets shallow copies, with
    what it sets its own: the filter's ``extra`` (a request's queryset goes there), and its
    method bound to the copy, whose parent is the request's filterset."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            mine = copy.copy(filter_)
            mine.extra = dict(filter_.extra)
            if filter_.method is not None:
                mine.method = filter_.method
            copies[name] = mine
        return copies


class FieldCopies(dict):
    """A filter form's fields, shallow-copied for each request: no request changes a field
    or its widget (the choices of a related field are read afresh at each rendering)."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(field) for name, field in self.items()}


#: Each filterset class's form class, built by django-filter at its first request.
FORM_CLASSES = {}


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
        return FilterCopies(filters)

    def get_form_class(self):
        # django-filter builds the same form class (a new class, its fields built from the
        # request's copies of the filters) at every request; it depends on nothing but
        # the filterset class, so it is built once per class.
        filterset_class = type(self)
        if filterset_class not in FORM_CLASSES:
            form_class = super().get_form_class()
            form_class.base_fields = FieldCopies(form_class.base_fields)
            FORM_CLASSES[filterset_class] = form_class
        return FORM_CLASSES[filterset_class]

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
