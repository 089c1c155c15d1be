"""Reads of import jobs: a job as its user may see it, and its progress while it runs."""

from django.core.cache import cache
from django.utils.translation import gettext as _

from .models import ImportJob


def progress_key(job_id):
    """The cache key of a running job's progress (the default cache: every process sees it)."""
    return f"imports:job:{job_id}:progress"


def visible_job(user, pk, resource):
    """The job of ``resource`` with this id if ``user`` started it (or is a superuser)."""
    job = ImportJob.objects.filter(pk=pk, resource=resource).first()
    if job is None or not (job.user_id == user.pk or user.is_superuser):
        return None
    return job


def job_progress(job):
    """``{state, finished, done, total, text}``: the cache's count while the job runs (its
    transaction is not committed yet), the database's once it is finished."""
    done, total = job.rows_done, job.rows_total
    if not job.finished:
        current = cache.get(progress_key(job.pk))
        if current:
            done, total = current["done"], current["total"]
    if job.state == ImportJob.State.QUEUED:
        text = _("Waiting to start…")
    elif total is None:
        text = _("Counting the rows…")
    else:
        text = _("%(done)s of %(total)s rows") % {"done": done, "total": total}
    return {
        "state": job.state,
        "finished": job.finished,
        "done": done,
        "total": total,
        "text": text,
    }
