"""What analysts' outputs (FHIR, the change feed, ``as_of``, releases) may show.

Every reader of those outputs goes through ``published``, so the review workflow (issue 13)
switches them all in one line.
"""


def published(queryset):
    """Only the records the public sees (today: every record; no draft state exists yet)."""
    return queryset


def published_history(queryset):
    """Only the historical rows of published versions (the history tables' counterpart)."""
    return queryset
