"""The refresh task (lock, refresh, release) and how it is queued, debounced.

The work lives in ``stats.services``; the signal receivers that queue it, in ``stats.triggers``.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

PENDING_KEY = "stats:refresh-queued"
RERUN_KEY = "stats:refresh-rerun"


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def refresh_statistics(self):
    """Recompute every aggregate; a call while another refresh runs returns without work."""
    from .locks import refresh_lock
    from .services import statistics_refresh

    clear_pending()  # a change committed from now on queues another refresh
    with refresh_lock() as acquired:
        if not acquired:
            request_rerun()
            return {"refreshed": False, "detail": "Another refresh is running; skipped."}
        result = statistics_refresh()
    rerun_if_requested()
    return {"refreshed": True, "computed_at": result["computed_at"].isoformat()}


def debounce_seconds():
    return settings.STATS_REFRESH_DEBOUNCE_SECONDS


def clear_pending():
    cache.delete(PENDING_KEY)


def request_rerun():
    """Ask the running refresh to queue one more when it ends (its data may be older)."""
    cache.set(RERUN_KEY, 1, timeout=debounce_seconds() + 3600)


def rerun_if_requested():
    if cache.delete(RERUN_KEY):
        queue_refresh()


def queue_refresh():
    """Enqueue a refresh unless one is already queued in this debounce window.

    Returns True when a task was sent."""
    window = debounce_seconds()
    if not cache.add(PENDING_KEY, 1, timeout=window):
        return False
    try:
        refresh_statistics.apply_async(countdown=window)
    except Exception:
        # The edit is committed; only the refresh is late (beat will catch up).
        logger.exception("Could not queue a statistics refresh; the edit is kept.")
        clear_pending()
        return False
    return True
