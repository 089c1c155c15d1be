"""The import job's task, and where it runs: a Celery worker, or this process's thread."""

import threading
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from .services import run_job


@shared_task(soft_time_limit=3600, time_limit=3660)
def run_import_job(job_id):
    """Run an import job (a preview or a confirmed import); its state when it ends."""
    return run_job(job_id).state


def start_job(job_id):
    """Start the job without making the request wait: a worker runs it in production; under
    the embedded default (no Redis, no worker: tasks are eager) a daemon thread of this
    process does, with its own database connection, closed when it ends."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        thread = threading.Thread(
            target=_in_thread, args=(job_id,), name=f"import-job-{job_id}", daemon=True
        )
        thread.start()
        return thread
    return run_import_job.delay(job_id)


def start_after_commit(job):
    """Start the job once the transaction that created it is committed (the runner reads it)."""
    transaction.on_commit(partial(start_job, job.pk))


def _in_thread(job_id):
    close_old_connections()
    try:
        run_import_job(job_id)
    finally:
        connection.close()
