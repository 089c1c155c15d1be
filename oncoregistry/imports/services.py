"""Writes of import jobs: a job is created on an upload (or on a preview, to confirm it), run
chunk by chunk with its progress in the cache, and finished with its report in the database."""

import logging
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import ImportJob
from .reports import run_file
from .resources import RegistryResource
from .selectors import progress_key
from .tables import CHUNK_ROWS, ImportFileError, Table

logger = logging.getLogger(__name__)

#: A previewed file not confirmed within this time is deleted (the editor chooses it again).
KEEP_UPLOADS = timedelta(days=1)
#: How long a running job's progress stays in the cache (longer than any job runs).
PROGRESS_SECONDS = 6 * 3600
#: A job not finished so long after it was created has stopped (its process ended): the
#: task's time limit is an hour.
STALLED_AFTER = timedelta(hours=2)


def resource_path(resource_class):
    return f"{resource_class.__module__}.{resource_class.__qualname__}"


def create_preview_job(resource_class, upload, *, user, language=""):
    """A preview job of an uploaded file; the file is streamed to the imports storage."""
    forget_stale_uploads()
    job = ImportJob(
        resource=resource_path(resource_class),
        file_name=PurePath(upload.name).name[:255],
        user=user,
        language=language,
        kind=ImportJob.Kind.PREVIEW,
    )
    suffix = PurePath(upload.name).suffix.lower()[:10]
    job.upload.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    job.save()
    return job


def create_import_job(preview, *, language=""):
    """The confirmed import of a previewed file (its stored file); one per preview."""
    existing = ImportJob.objects.filter(preview=preview).first()
    if existing is not None:
        return existing  # confirmed twice (a double click): the one import
    return ImportJob.objects.create(
        resource=preview.resource,
        file_name=preview.file_name,
        upload=preview.upload.name,
        user=preview.user,
        language=language or preview.language,
        kind=ImportJob.Kind.IMPORT,
        preview=preview,
    )


def report_progress(job_id, done, total):
    cache.set(progress_key(job_id), {"done": done, "total": total}, PROGRESS_SECONDS)


def run_job(job_id, *, chunk_rows=CHUNK_ROWS):
    """Run a queued job: count the file's rows, run it chunk by chunk (the progress in the
    cache after each), then write its state and report. A job runs once."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job  # already run (a task delivered twice)
    with translation.override(job.language or None):
        outcome = _run(job, chunk_rows)
    # Only a preview that can be confirmed keeps its file (for the import job).
    keep = outcome.pop("ok", False) and job.kind == ImportJob.Kind.PREVIEW
    job.finished_at = timezone.now()
    for name, value in outcome.items():
        setattr(job, name, value)
    job.save()
    cache.delete(progress_key(job.pk))
    if not keep:
        remove_upload(job)
    return job


def _run(job, chunk_rows):
    if not job.upload:
        return file_gone()
    try:
        resource_class = import_string(job.resource)
        if not issubclass(resource_class, RegistryResource):
            raise TypeError(f"{job.resource} is not a registry resource")
        with job.upload.open("rb") as file:
            table = Table(file, job.file_name)
            total = table.count()
            ImportJob.objects.filter(pk=job.pk).update(rows_total=total)
            report_progress(job.pk, 0, total)
            report = run_file(
                resource_class,
                table,
                file_name=job.file_name,
                user=job.user,
                dry_run=job.kind == ImportJob.Kind.PREVIEW,
                chunk_rows=chunk_rows,
                progress=lambda done: report_progress(job.pk, done, total),
            )
    except ImportFileError as error:
        return {"state": ImportJob.State.FAILED, "error": str(error)}
    except FileNotFoundError:
        return file_gone()
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        return {
            "state": ImportJob.State.FAILED,
            "error": _("The import stopped on an unexpected error: %(error)s") % {"error": error},
        }
    return {
        "state": ImportJob.State.DONE,
        "rows_total": total,
        "rows_done": total,
        "report": report.as_json(),
        "ok": report.ok,
    }


def file_gone():
    return {
        "state": ImportJob.State.FAILED,
        "error": _("The stored file is no longer there: choose the file again."),
    }


def give_up_if_stalled(job):
    """Mark a job failed when it has not finished long after it was created (the server or
    the worker that ran it stopped), so its page stops waiting; the job as it is now."""
    if job.finished or job.created_at > timezone.now() - STALLED_AFTER:
        return job
    stopped = ImportJob.objects.filter(pk=job.pk, state=job.state).update(
        state=ImportJob.State.FAILED,
        finished_at=timezone.now(),
        error=_(
            "The job stopped before it finished (the server restarted): choose the file again."
        ),
    )
    job.refresh_from_db()
    if stopped:
        remove_upload(job)
    return job


def remove_upload(job):
    """Delete the job's stored file (an import done, a preview that cannot be confirmed)."""
    if job.upload:
        name = job.upload.name
        job.upload.storage.delete(name)
        ImportJob.objects.filter(upload=name).update(upload="")
        job.upload = ""


def forget_stale_uploads():
    """Delete the files of previews left unconfirmed for longer than ``KEEP_UPLOADS``."""
    stale = ImportJob.objects.filter(
        kind=ImportJob.Kind.PREVIEW, created_at__lt=timezone.now() - KEEP_UPLOADS
    ).exclude(upload="")
    for job in stale:
        if not ImportJob.objects.filter(preview=job, finished_at__isnull=True).exists():
            remove_upload(job)
