"""Page-number pagination with bounds that answer 400, and a list's page read with its
count in one statement."""

from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, Subquery
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 500


class CountOf(Subquery):
    """The number of rows of a queryset, as a column of another statement (the database
    computes it once for the statement, not per row)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset):
        super().__init__(queryset.order_by().values("pk"))


class CountedRows:
    """A list's rows (a ``values_list()`` queryset), each with the number of rows as its last
    cell: a page and the count are read in one statement. A page past the last one has no
    row to carry the count, so ``count()`` asks the database on its own."""

    def __init__(self, rows):
        self.rows = rows
        self.counted = rows.annotate(rows_counted=CountOf(rows))

    def count(self):
        return self.rows.count()

    def __getitem__(self, index):
        return self.counted[index]


class CountingPaginator(Paginator):
    """Django's paginator, reading the first page of ``CountedRows`` and the count in one
    statement where Django runs two (the count, then the page). A later page is read as
    Django reads it: the count first, which also stops a page number past the last one
    before its offset reaches the database."""

    def page(self, number):
        rows = self.object_list
        if (
            number != 1
            or self.orphans
            or not isinstance(rows, CountedRows)
            or "count" in vars(self)
        ):
            return super().page(number)
        found = list(rows[: self.per_page])
        if not found:
            return super().page(number)  # nothing to carry the count: counted on its own
        self.count = found[0][-1]  # the cached property's value, read with the page
        return Page(found, number, self)


class RegistryPagination(PageNumberPagination):
    """Page numbers; ``page_size`` up to 500 (larger values are capped at 500)."""

    django_paginator_class = CountingPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = _(
        "Number of results per page (1–500, default 50; larger values are capped at 500)."
    )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    "page_size": [
                        _("page_size must be a whole number from 1 to %(max)s; got '%(raw)s'.")
                        % {"max": self.max_page_size, "raw": raw}
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, 1)
        if raw in self.last_page_strings:
            return paginator.num_pages
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            raise ValidationError(
                {
                    "page": [
                        _("page must be a whole number from 1 (or 'last'); got '%(raw)s'.")
                        % {"raw": raw}
                    ]
                }
            )
        return number
