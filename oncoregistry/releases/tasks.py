"""The release task: build the next release if the registry changed (``services``)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
)
def build_release(self):
    from . import triggers
    from .services import release_build

    triggers.clear_pending()  # a change committed from now on queues another build
    release = release_build()
    return {"built": release is not None, "version": release.version if release else None}
