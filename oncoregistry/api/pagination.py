"""Page-number pagination with bounds that answer 400."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 500


class RegistryPagination(PageNumberPagination):
    """Page numbers; ``page_size`` up to 500 (larger values are capped at 500)."""

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


class CountedRows:
    """A list's rows as tuples (``rows``, with the columns' joins), counted on the records'
    own queryset (``records``): the count needs none of those joins, and Django writes it
    simpler and faster without them."""

    def __init__(self, rows, records):
        self.rows, self.records = rows, records

    def count(self):
        return self.records.count()

    def __getitem__(self, index):
        return self.rows[index]
