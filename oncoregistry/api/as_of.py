"""``?as_of=YYYY-MM-DD`` on the registry's lists and details (#18): the records as they stood
at the end of that day (the project's time zone), from the history every record keeps; the
public sees the records that were published then, editors every record that existed.

A row (or a detail) is the record's version of that day: its own fields as they were. What
history does not keep is today's: the names of related records (an organisation renamed
since shows its new name), many-to-many links (a therapy's cancer types), the records a
detail lists (an organisation's equipment: ask the equipment list ``as_of`` that day) and
citations. A list whose serializer is not compiled (citations: their record is a generic
relation) does not take ``as_of``.
"""

import datetime
import re

from django.core.exceptions import FieldError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError

from oncoregistry.core.meta import options
from oncoregistry.core.selectors import history_model, records_as_of

from .rows import row_plan

AS_OF = "as_of"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_of_moment(value):
    """The end of day ``value`` (YYYY-MM-DD) in the current time zone; 400 for text that is
    not such a date, or a day that has not begun."""
    try:
        if not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({AS_OF: [_("Give a date as YYYY-MM-DD, e.g. 2025-06-30.")]}) from None
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            {
                AS_OF: [
                    _("%(day)s is in the future; the latest is today, %(today)s.")
                    % {"day": day.isoformat(), "today": today.isoformat()}
                ]
            }
        )
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day, timezone.get_current_timezone())


class AsOfParameter:
    """A filter backend that documents ``as_of`` in the schema of the lists that take it;
    the list view applies it (``AsOfMixin``), since it replaces the rows the other
    backends filter."""

    def filter_queryset(self, request, queryset, view):
        return queryset

    def get_schema_operation_parameters(self, view):
        if not view.takes_as_of():
            return []
        description = _(
            "YYYY-MM-DD, today or before: the list as it stood at the end of that day "
            "(the records published then), from the records' history."
        )
        return [
            {
                "name": AS_OF,
                "required": False,
                "in": "query",
                "description": str(description),
                "schema": {"type": "string", "format": "date"},
            }
        ]


class AsOfMixin:
    """The list and the detail of a record model with history, as of a date."""

    def takes_as_of(self):
        model = self.queryset.model
        return history_model(model) is not None and row_plan(self.list_serializer()) is not None

    def list_serializer(self):
        return self.list_serializer_class or self.serializer_class

    def as_of_rows(self, request):
        """``(queryset of history rows, model)`` filtered and ordered as the list's, or None
        when the request has no ``as_of``."""
        value = request.query_params.get(AS_OF)
        if value is None:
            return None
        moment = as_of_moment(value)
        model = self.queryset.model
        rows = records_as_of(model, moment, published_only=not self.reads_drafts())
        rows = rows.order_by(*(options(model).ordering or []), "id")
        filterset = self.filterset_class(request.query_params, queryset=rows, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        try:
            rows = filterset.qs
            for backend in self.filter_backends:
                if not hasattr(backend, "get_filterset_class"):
                    rows = backend().filter_queryset(request, rows, self)
        except FieldError:
            given = sorted(set(request.query_params) & set(self.filterset_class.base_filters))
            raise ValidationError(
                {
                    AS_OF: [
                        _("A list as of a date cannot also be filtered by: %(names)s.")
                        % {"names": ", ".join(given)}
                    ]
                }
            ) from None
        return rows, history_model(model)

    def as_of_record(self, request, slug):
        """The record's version of the ``as_of`` day (an unsaved instance built from its
        history row); 404 when it did not exist then or, for the public, was not
        published then."""
        moment = as_of_moment(request.query_params[AS_OF])
        model = self.queryset.model
        versions = records_as_of(model, moment, published_only=not self.reads_drafts())
        version = versions.filter(slug=slug).first()
        if version is None:
            raise NotFound(_("No such record on that day."))
        return version.instance
