"""The refresh task: lock, refresh, release (the work lives in ``stats.services``)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


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
    from . import triggers
    from .locks import refresh_lock
    from .services import statistics_refresh

    triggers.clear_pending()  # a change committed from now on queues another refresh
    with refresh_lock() as acquired:
        if not acquired:
            triggers.request_rerun()
            return {"refreshed": False, "detail": "Another refresh is running; skipped."}
        result = statistics_refresh()
    triggers.rerun_if_requested()
    return {"refreshed": True, "computed_at": result["computed_at"].isoformat()}
