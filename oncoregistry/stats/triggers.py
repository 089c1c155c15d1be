"""Queue a statistics refresh after the commit of any registry change, debounced.

* Within one transaction, any number of saves, deletes and m2m changes register ONE
  on-commit callback (so ``load_registry``, one transaction, triggers one refresh; a
  rolled-back transaction triggers none).
* Across transactions, the callback enqueues the task (``tasks.queue_refresh``) only if
  no refresh is already queued: ``cache.add(PENDING_KEY,
  timeout=STATS_REFRESH_DEBOUNCE_SECONDS)`` succeeds once per window, and the task runs
  ``countdown`` seconds later, so a burst of 500 edits causes a handful of refreshes.
  The task clears the flag when it starts, so a change committed while it runs queues
  another refresh and is not lost.
* In eager mode (no ``REDIS_URL``) the countdown is ignored and the refresh runs at
  commit, in-process.
* If Redis (the broker, or the cache that debounces) is unreachable, the edit is kept and
  the refresh runs in this process instead (``tasks.queue_refresh``).
* That callback (an ``AfterCommit``) also collects which records the transaction saved or
  deleted, and at the commit, before queueing the refresh, re-derives the commitments they
  can change (``commitments.services.commitments_update``); after a bulk tool's block
  (``statistics_refresh_suspended``), the whole table (``commitments_refresh``).
"""

import contextlib
import contextvars
import logging

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from commitments.services import INCREMENTAL_LIMIT, commitments_refresh, commitments_update
from oncoregistry.core.meta import options
from oncoregistry.core.response_cache import registry_written

from .registry import REGISTRY_APPS, registry_models  # noqa: F401 (where callers look)
from .tasks import clear_pending, queue_refresh, refresh_statistics

logger = logging.getLogger(__name__)

_suspended = contextvars.ContextVar("statistics_refresh_suspended", default=0)


def _queue_after_commit():
    if refresh_statistics.app.conf.task_always_eager:
        clear_pending()  # in-process: no countdown, refresh at every commit
    try:
        queue_refresh()
    except Exception:
        logger.exception("The statistics refresh after a commit failed; the edit is kept.")


class AfterCommit:
    """One transaction's on-commit callback: the records it changed (``{model: pks}``), or
    ``everything`` after a bulk tool's block or past ``INCREMENTAL_LIMIT`` records; at the
    commit, their commitments, then the statistics refresh. A rolled-back transaction drops
    it with its changes."""

    def __init__(self):
        self.changed, self.everything = {}, False

    def add(self, model, pk):
        if self.everything or pk is None:
            return
        self.changed.setdefault(model, set()).add(pk)
        if sum(len(pks) for pks in self.changed.values()) > INCREMENTAL_LIMIT:
            self.changed, self.everything = {}, True  # the whole table: no need to keep ids

    def __call__(self):
        try:
            if self.everything:
                commitments_refresh()
            elif self.changed:
                commitments_update(self.changed)
        except Exception:
            # The daily rebuild (commitments.tasks) repairs what this missed.
            logger.exception("Updating the commitments after a commit failed; the edit is kept.")
        _queue_after_commit()


def after_commit(using=DEFAULT_DB_ALIAS):
    """This transaction's ``AfterCommit``, registered with its first change."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:
            if isinstance(entry[1], AfterCommit):
                return entry[1]
    callback = AfterCommit()
    if connection.in_atomic_block:
        transaction.on_commit(callback, using=using)
    return callback


def registry_changed(sender=None, using=DEFAULT_DB_ALIAS, instance=None, **kwargs):
    """Signal receiver: note the record and register (once per transaction) the commitments'
    update and a refresh after commit."""
    if _suspended.get():
        return
    registry_written(using)  # cached answers: a new registry version (core/response_cache.py)
    callback = after_commit(using)
    if instance is not None:
        callback.add(type(instance), instance.pk)
    if not transaction.get_connection(using).in_atomic_block:
        callback()  # autocommit: the change is committed already


def m2m_registry_changed(sender=None, action="", using=DEFAULT_DB_ALIAS, instance=None, **kwargs):
    if action.startswith("post_"):
        registry_changed(sender=sender, using=using, instance=instance)


def connect():
    """Connect the receivers (called once from ``StatsConfig.ready``)."""
    for model in registry_models():
        uid = f"stats-refresh-{options(model).label_lower}"
        post_save.connect(registry_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(registry_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in options(model).local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                m2m_registry_changed, sender=through, dispatch_uid=f"{uid}-{field.name}-m2m"
            )


@contextlib.contextmanager
def statistics_refresh_suspended():
    """Bulk tools: no refresh per change inside the block; after it, at the commit, the whole
    commitments table derived again and one refresh queued."""
    token = _suspended.set(_suspended.get() + 1)
    try:
        yield
    finally:
        _suspended.reset(token)
        if not _suspended.get():
            registry_written()
            callback = after_commit()
            callback.everything = True
            if not transaction.get_connection().in_atomic_block:
                callback()
