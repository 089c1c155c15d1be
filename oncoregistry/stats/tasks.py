"""The refresh task (lock, refresh, release) and how it is queued, debounced.

The work lives in ``stats.services``; the signal receivers that queue it, in ``stats.triggers``.
If Redis (the broker, or the cache that debounces) is unreachable, the edit is kept and the
refresh runs in this process instead, once per debounce window, in a thread; the condition
is logged once when it starts and once when it ends, not per edit. Beat's catch-up
(``refresh_statistics_if_behind``) covers whatever is still missed.
"""

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from oncoregistry.core.cache import redis_available
from oncoregistry.core.response_cache import bump_registry_version

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
    bump_registry_version()  # the dashboard shows the new snapshot
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


_in_process = {"timer": None, "degraded": False}
_in_process_lock = threading.Lock()


def _degraded(reason):
    with _in_process_lock:
        started, _in_process["degraded"] = not _in_process["degraded"], True
    if started:
        logger.error(
            "Statistics refreshes cannot be queued (%s): they run in the web process after "
            "each edit until Redis answers again.",
            reason,
        )


def _recovered():
    with _in_process_lock:
        ended, _in_process["degraded"] = _in_process["degraded"], False
    if ended:
        logger.warning("Statistics refreshes are queued on the broker again.")


def _run_in_process():
    from django.db import connections

    try:
        refresh_statistics.apply(throw=True)
    except Exception:
        logger.exception("The in-process statistics refresh failed; beat's catch-up retries.")
    finally:
        connections.close_all()  # this thread's own connections


def refresh_in_process():
    """Refresh in a thread of this process after the debounce, once per window.

    Returns True when a refresh was scheduled."""
    with _in_process_lock:
        timer = _in_process["timer"]
        if timer is not None and timer.is_alive():
            return False
        timer = threading.Timer(debounce_seconds(), _run_in_process)
        timer.daemon = True
        _in_process["timer"] = timer
    timer.start()
    return True


def queue_refresh():
    """Enqueue a refresh unless one is already queued in this debounce window; refresh in
    this process when Redis cannot take it.

    Returns True when a task was sent."""
    window = debounce_seconds()
    if not cache.add(PENDING_KEY, 1, timeout=window):
        if redis_available():
            return False  # already queued in this window
        _degraded("the cache is unreachable")
        refresh_in_process()
        return False
    try:
        refresh_statistics.apply_async(countdown=window)
    except Exception as error:
        clear_pending()
        if refresh_statistics.app.conf.task_always_eager:  # it ran here, and failed
            logger.exception("The statistics refresh failed; the edit is kept.")
            return False
        # The edit is committed; the refresh runs here instead.
        _degraded(f"the broker is unreachable: {type(error).__name__}")
        refresh_in_process()
        return False
    _recovered()
    return True


@shared_task
def refresh_statistics_if_behind():
    """Beat's catch-up (every ``STATS_CATCH_UP_SECONDS``): refresh when the snapshot misses
    a registry change older than the debounce, i.e. one whose queued refresh was lost (its
    worker died, the broker was down)."""
    import datetime

    from django.db.models import Max
    from django.utils import timezone

    from .models import StatisticSnapshot
    from .selectors import registry_changed_at

    changed = registry_changed_at()
    if changed is None:
        return {"refreshed": False, "detail": "The registry is empty."}
    seen = StatisticSnapshot.objects.aggregate(seen=Max("data_updated_at"))["seen"]
    due = changed + datetime.timedelta(seconds=settings.STATS_REFRESH_DEBOUNCE_SECONDS)
    if (seen is not None and changed <= seen) or timezone.now() < due:
        return {"refreshed": False, "detail": "The snapshot is up to date or a refresh is due."}
    return refresh_statistics()
