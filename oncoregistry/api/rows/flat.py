"""Columns a flat file (CSV, XLSX) adds to a list's own, so that a row can be used alone
(#18): the record's region and the sources that back it, with their quotes.

* ``region``, ``region_name``: the region of the record's organisation (or of the record
  itself), read in the list's own query through the foreign keys the viewset names;
* ``source``, ``source_title``, ``source_url``, ``source_date``, ``quote``: one line per
  citation of the record (line *i* of each column is citation *i*), fetched with one query
  per page or chunk. ``source_date`` is the first day the source's date covers (ISO), as the
  records' own ``date`` column; anonymous readers see published citations of published
  sources only.
"""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist

from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.publication import PublicationState

from .columns import foreign_key_model, reader

REGION_COLUMNS = ["region", "region_name"]
SOURCE_COLUMNS = ["source", "source_title", "source_url", "source_date", "quote"]
#: Between the citations of one record in each source column; a quote's own line breaks
#: become spaces so that the lines of the columns stay aligned.
CITATION_SEPARATOR = "\n"


class RegionColumns:
    """``region``, ``region_name`` through the foreign keys of ``path`` (e.g.
    ``organization__region``), read in the list's own query."""

    header = REGION_COLUMNS

    def __init__(self, model, path, columns):
        related = model
        for step in path.split("__"):
            related = foreign_key_model(related, step)
        self.read_slug = reader(related, "slug", columns, path + "__")
        self.read_name = reader(related, "display_name", columns, path + "__")

    def bind(self, binding):
        slug, name = self.read_slug(binding), self.read_name(binding)

        def name_cell(row):
            return None if slug(row) is None else str(name(row))

        return [slug, name_cell]


def citation_model(model):
    """The citation model of a record model (its ``citations`` relation), or None."""
    try:
        relation = options(model).get_field("citations")
    except FieldDoesNotExist:
        return None
    return relation.related_model if relation.is_relation else None


class SourceColumns:
    """The sources and quotes of each record, one query per page or chunk."""

    header = SOURCE_COLUMNS
    PATHS = ("object_id", "source__slug", "source__title", "source__url", "source__date", "quote")

    def __init__(self, model, citations):
        opts = options(model)
        self.citations = citations
        self.target = {
            "content_type__app_label": opts.app_label,
            "content_type__model": opts.model_name,
        }

    def fetch(self, pks, published_only):
        """``{record pk: [(slug, title, url, date, quote), ...]}`` for these records."""
        queryset = default_manager(self.citations).filter(**self.target, object_id__in=pks)
        if published_only:
            published = PublicationState.PUBLISHED
            queryset = queryset.filter(
                publication_state=published, source__publication_state=published
            )
        found = defaultdict(list)
        for pk, *cells in queryset.order_by("object_id", "pk").values_list(*self.PATHS):
            found[pk].append(cells)
        return found

    @staticmethod
    def cells(citations):
        """The five cells of one record's citations."""
        if not citations:
            return [None] * len(SOURCE_COLUMNS)
        slugs, titles, urls, dates, quotes = zip(*citations, strict=True)
        return [
            CITATION_SEPARATOR.join(slugs),
            CITATION_SEPARATOR.join(titles),
            CITATION_SEPARATOR.join(urls),
            CITATION_SEPARATOR.join(d.isoformat() if d else "" for d in dates),
            CITATION_SEPARATOR.join(" ".join(q.split()) for q in quotes),
        ]
