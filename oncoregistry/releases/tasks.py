"""The release task (build the next release if the registry changed, ``services``) and how
it is queued, debounced; the signal receivers that queue it are in ``triggers``."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
)
def build_release(self):
    from .services import release_build

    clear_pending()  # a change committed from now on queues another build
    release = release_build()
    return {"built": release is not None, "version": release.version if release else None}


PENDING_KEY = "releases:build-queued"


def clear_pending():
    cache.delete(PENDING_KEY)


def queue_build():
    if not settings.RELEASES_AUTOMATIC:
        return
    try:
        if build_release.app.conf.task_always_eager:
            build_release.apply()
            return
        window = settings.RELEASE_DEBOUNCE_SECONDS
        if cache.add(PENDING_KEY, 1, timeout=window):
            build_release.apply_async(countdown=window)
    except Exception:
        # The edit is committed; the release follows on the next change or beat.
        logger.exception("Could not build or queue a release; the edit is kept.")
        clear_pending()
