"""The daily rebuild of the commitments (celery beat, ``rebuild-commitments``)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import commitments_refresh


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=5,
)
def rebuild_commitments():
    """Derive the whole table again: what no commit brought (a write without signals, a
    failed update) is repaired within a day. Statuses need it not: the statistics refresh
    moves them to today."""
    return {"commitments": commitments_refresh()}
