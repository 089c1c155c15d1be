import pytest
from django.core.cache import cache

from oncoregistry.celery import app as celery_app
from oncoregistry.stats import locks, triggers

STATE_KEYS = (locks.LOCK_KEY, triggers.PENDING_KEY, triggers.RERUN_KEY)


@pytest.fixture(autouse=True)
def clean_refresh_state():
    """Each test starts with no lock, no queued refresh and (unless it says otherwise) eager
    tasks, even when REDIS_URL points the whole run at a real broker and cache."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.delete_many(STATE_KEYS)
    yield
    cache.delete_many(STATE_KEYS)
    celery_app.conf.task_always_eager = eager
