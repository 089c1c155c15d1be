import contextlib

import pytest
from django.core.cache import cache
from django.db import connection

from oncoregistry.celery import app as celery_app
from oncoregistry.stats import tasks, triggers
from tests import factories as f

STATE_KEYS = (tasks.PENDING_KEY, tasks.RERUN_KEY)


@pytest.fixture(autouse=True)
def clean_refresh_state():
    """Each test starts with no queued refresh and (unless it says otherwise) eager
    tasks, even when REDIS_URL points the whole run at a real broker and cache."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.delete_many(STATE_KEYS)
    yield
    cache.delete_many(STATE_KEYS)
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit() as callbacks:`` — the block acts as one transaction that commits.

    pytest-django keeps each test inside one transaction that never commits, so an earlier
    change's pending refresh callback would stay registered and (correctly) de-duplicate
    every later change. A real commit consumes the callbacks: this fixture does the same,
    before and after the block, then returns what the block registered (and ran, unless
    ``execute=False``)."""

    def consume():
        pending = connection.run_on_commit
        pending[:] = [entry for entry in pending if not isinstance(entry[1], triggers.AfterCommit)]

    @contextlib.contextmanager
    def block(execute=True):
        consume()
        with django_capture_on_commit_callbacks(execute=execute) as callbacks:
            yield callbacks
        consume()

    return block


@pytest.fixture
def regions():
    return {
        slug: f.RegionFactory(slug=slug, name=slug.title())
        for slug in ("almaty", "astana", "shymkent")
    }
