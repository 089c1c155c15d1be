"""What analysts' outputs (FHIR, the change feed, ``as_of``, releases) may show.

Every reader of those outputs goes through ``published``: drafts, records in review and
withdrawn records are the editors' (``oncoregistry/core/publication.py``).
"""

from .publication import PublicationState


def published(queryset):
    """Only the records the public sees."""
    return queryset.published()


def published_history(queryset):
    """Only the historical rows of published versions (the history tables' counterpart)."""
    return queryset.filter(publication_state=PublicationState.PUBLISHED)
