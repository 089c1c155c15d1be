"""Reads of the machinery shared by every app: the registry as it stood at a moment, from
the history django-simple-history keeps of every record."""

import functools

from django.db.models import OuterRef, Subquery

from .meta import default_manager
from .visibility import published_history


@functools.cache
def history_model(model):
    """The history table's model of a record model, or None when it keeps no history (once
    per model: the ``history`` descriptor builds a manager at each access)."""
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


def records_as_of(model, moment, published_only=True):
    """Each record's last version saved before ``moment`` (history rows, with the record's
    fields as they were then): none for a record deleted by then, and, for the public, none
    for a record that was not published then. One query, on PostgreSQL and SQLite alike: a
    version is kept when it is its record's newest before ``moment``."""
    historical = default_manager(history_model(model))
    newest = (
        historical.filter(id=OuterRef("id"), history_date__lt=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = historical.filter(history_date__lt=moment, history_id=Subquery(newest)).exclude(
        history_type="-"
    )
    return published_history(rows) if published_only else rows
