"""Filter building blocks shared by every app's ``filters.py``.

The filtersets are used by the REST API and by the public list pages alike, so
nothing here knows about DRF: a filterset is plain django-filter.
"""

import copy
import datetime
import threading
import time
from collections import OrderedDict

import django_filters
from django import forms
from django.db.models import Q, Subquery
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings
from django_filters.filters import FilterMethod

from .choices import DatePrecision, DateQualifier, Qualifier


def search_terms_query(fields, value):
    """Every word of ``value`` must appear (case-insensitively) in at least one of ``fields``."""
    query = Q()
    for term in value.split():
        term_query = Q()
        for field in fields:
            term_query |= Q(**{f"{field}__icontains": term})
        query &= term_query
    return query


#: How long this process trusts that a slug it found in the database still exists.
KNOWN_SLUG_SECONDS = 300


class KnownSlugs:
    """Slugs this process recently found in the database, per model.

    A list filtered by slug first asks whether the slug exists (an unknown one is a 400 that
    names it, not an empty list). The answer rarely changes, and asking cost a query per
    request (make bench), so it is remembered for ``KNOWN_SLUG_SECONDS``. Results never
    depend on it, since lists are filtered by the slug itself; a record deleted meanwhile
    gives an empty list instead of a 400 until its slug expires here.
    """

    LIMIT = 20_000

    def __init__(self):
        self._until = {}
        self._lock = threading.Lock()

    def unconfirmed(self, model, slugs):
        now, label = time.monotonic(), model._meta.label
        return [slug for slug in slugs if self._until.get((label, slug), 0.0) <= now]

    def confirm(self, model, slugs):
        until, label = time.monotonic() + KNOWN_SLUG_SECONDS, model._meta.label
        with self._lock:
            if len(self._until) >= self.LIMIT:
                self._until.clear()
            for slug in slugs:
                self._until[(label, slug)] = until

    def clear(self):
        with self._lock:
            self._until.clear()


known_slugs = KnownSlugs()


class SlugsField(forms.ModelMultipleChoiceField):
    """Slugs of related records, cleaned to the slugs: each is looked up (slug only) unless
    this process found it recently (``KnownSlugs``). The form still offers the records as
    choices."""

    def clean(self, value):
        # Django cleans an absent value to queryset.none(), which django-filter then tests
        # with `if not value`: an empty query compiled per absent filter per request.
        if not self.required and not value:
            return []
        return super().clean(value)

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        try:
            slugs = sorted(frozenset(value))
        except TypeError:
            raise forms.ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for slug in slugs:
            self.validate_no_null_characters(slug)
        model = self.queryset.model
        # Only a plain "every record" queryset can share what is known about the model.
        shared = not self.queryset.query.has_filters()
        unconfirmed = known_slugs.unconfirmed(model, slugs) if shared else slugs
        if unconfirmed:
            found = set(
                self.queryset.filter(**{f"{key}__in": unconfirmed}).values_list(key, flat=True)
            )
            for slug in unconfirmed:
                if slug not in found:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": slug},
                    )
            if shared:
                known_slugs.confirm(model, found)
        return slugs


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Related records named by slug; repeating the parameter ORs the values."""

    field_class = SlugsField

    def get_filter_predicate(self, v):
        # The foreign key equals the id of the record with that slug, as a scalar subquery:
        # PostgreSQL runs it first and uses the id as a parameter, so an index on the key
        # (and the list's order) serves the list; joining the related table to compare
        # slugs hid the id until execution (make bench at 100,000: a sort of every match).
        # A slug with no record gives NULL: nothing matches.
        key = self.extra.get("to_field_name") or "pk"
        record = self.extra["queryset"].filter(**{key: v}).order_by().values("pk")[:1]
        name = self.field_name
        if self.lookup_expr != filter_settings.DEFAULT_LOOKUP_EXPR:
            name = f"{name}__{self.lookup_expr}"
        return {name: Subquery(record)}


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
            field = model._meta.get_field(part)
        except Exception:
            return True
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class SharedFields(dict):
    """A filter form's fields, shared by every form of its class.

    Django deep-copies a form's fields for each form so that a form may change its own;
    copying the choices and querysets was two fifths of applying a filterset (make bench).
    Filter forms only clean and render their fields, which reads them: nothing may change a
    filter form's fields (``form.fields[...]``) after the filterset declares them.
    """

    def __deepcopy__(self, memo):
        return dict(self)


def _filter_copy(filter_):
    clone = copy.copy(filter_)
    if isinstance(filter_.__dict__.get("filter"), FilterMethod):
        clone.filter = FilterMethod(clone)
    return clone


class RegistryFilterSet(django_filters.FilterSet):
    """``q`` (full-text over ``search_fields``, aliases included) and ``updated_since``."""

    #: Fields searched by ``q`` and by the API's ``search=``; subclasses list theirs.
    search_fields = ("slug",)

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

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # FilterSet.__init__, except that it deep-copied every filter with its choices and
        # querysets for every request (a twentieth of a list's time, make bench). A filter's
        # per-request state is its parent, model and flags (and a method filter's
        # FilterMethod, which points back at it); its declaration is never changed.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = OrderedDict(
            (name, _filter_copy(filter_)) for name, filter_ in self._prepared_filters().items()
        )
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    @classmethod
    def _prepared_filters(cls):
        """The declared filters, once per class, with DISTINCT only where rows can repeat:
        django-filter's multiple-choice filters add it (over every column, before the page's
        LIMIT) even on a plain column or a forward foreign key (make bench: list queries)."""
        prepared = cls.__dict__.get("_prepared")
        if prepared is None:
            prepared = OrderedDict(
                (name, _filter_copy(filter_)) for name, filter_ in cls.base_filters.items()
            )
            for filter_ in prepared.values():
                if filter_.distinct and not crosses_to_many(cls._meta.model, filter_.field_name):
                    filter_.distinct = False
            cls._prepared = prepared
        return prepared

    @classmethod
    def bound_form(cls, data):
        """This filterset's form bound to ``data``, without building the filterset (which
        copies its filters): all that validating a request needs."""
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = cls(data).get_form_class()
        return form_class(data)

    def get_form_class(self):
        # django-filter builds a new form class (and a form field per filter) for every
        # request; the fields depend only on the filterset's declaration, so build it once
        # per filterset class, with fields its forms share (SharedFields).
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        matches = queryset.model._default_manager.filter(
            search_terms_query(self.search_fields, value)
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
