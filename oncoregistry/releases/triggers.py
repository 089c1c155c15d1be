"""Queue a release build after the commit of any registry change, debounced as the
statistics refresh is: one on-commit callback per transaction; across transactions one
queued build per ``RELEASE_DEBOUNCE_SECONDS`` window (``cache.add``), run that many seconds
later. In eager mode (no ``REDIS_URL``) the build runs at commit, in-process, and is skipped
when nothing changed since the last release."""

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from oncoregistry.core.meta import options

from .tasks import queue_build


def registry_changed(sender=None, using=DEFAULT_DB_ALIAS, **kwargs):
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        entry[1] is queue_build for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(queue_build, using=using)


def m2m_registry_changed(sender=None, action="", using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_"):
        registry_changed(sender=sender, using=using)


def connect():
    from .selectors import registry_models

    for model in registry_models():
        uid = f"release-build-{options(model).label_lower}"
        post_save.connect(registry_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(registry_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in options(model).local_many_to_many:
            m2m_changed.connect(
                m2m_registry_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}-m2m",
            )
