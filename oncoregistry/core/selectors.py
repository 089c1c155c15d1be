"""Reads of the machinery shared by every app: the registry as it stood at a moment, from
the history django-simple-history keeps of every record."""

from django.db.models import Subquery

from .meta import default_manager
from .visibility import published_history


def history_model(model):
    """The history table's model of a record model, or None when it keeps no history."""
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


def records_as_of(model, moment, published_only=True):
    """Each record's last version saved before ``moment`` (history rows, with the record's
    fields as they were then): none for a record deleted by then, and, for the public, none
    for a record that was not published then. Two statements in one query: the last
    version of each record (``DISTINCT ON``), then the rows of those versions."""
    historical = default_manager(history_model(model))
    last = (
        historical.filter(history_date__lt=moment)
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
        .values("history_id")
    )
    rows = historical.filter(history_id__in=Subquery(last)).exclude(history_type="-")
    return published_history(rows) if published_only else rows
