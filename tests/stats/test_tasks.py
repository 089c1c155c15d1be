"""The refresh task (eager mode, the lock, retries) and ``manage.py refresh_stats``."""

import io
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import override_settings

from oncoregistry.stats import locks, services, tasks
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.statistics import keys
from oncoregistry.stats.tasks import refresh_statistics
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_without_redis_the_task_runs_in_process():
    f.OrganizationFactory()
    result = refresh_statistics.delay().get(timeout=5)
    assert result["refreshed"] is True
    snapshot = StatisticSnapshot.objects.get(key="organizations")
    assert snapshot.payload["total"] == 1
    assert result["computed_at"] == snapshot.computed_at.isoformat()


def test_a_second_refresh_while_one_runs_returns_without_work():
    f.OrganizationFactory()
    with locks.refresh_lock() as held:
        assert held is True
        result = refresh_statistics.delay().get(timeout=5)
        assert result == {"refreshed": False, "detail": "Another refresh is running; skipped."}
        assert not StatisticSnapshot.objects.exists()
        with locks.refresh_lock() as again:
            assert again is False
    # the skipped call asked for a rerun; the next refresh queues (here: runs) it
    assert cache.get(tasks.RERUN_KEY) == 1
    with mock.patch.object(tasks, "queue_refresh") as queue:
        assert refresh_statistics.delay().get(timeout=5)["refreshed"] is True
    queue.assert_called_once()
    assert cache.get(tasks.RERUN_KEY) is None
    assert cache.get(locks.LOCK_KEY) is None  # released


def test_the_task_clears_the_pending_flag_when_it_starts():
    cache.set(tasks.PENDING_KEY, 1, 60)
    refresh_statistics.delay().get(timeout=5)
    assert cache.get(tasks.PENDING_KEY) is None


def test_release_never_frees_a_lock_another_worker_took_over():
    with locks.refresh_lock() as held:
        assert held
        cache.set(locks.LOCK_KEY, "another worker's token", 60)  # ours expired meanwhile
    assert cache.get(locks.LOCK_KEY) == "another worker's token"


def test_the_lock_is_released_when_the_refresh_fails(monkeypatch):
    monkeypatch.setattr(services, "statistics_compute", mock.Mock(side_effect=RuntimeError))
    with pytest.raises(RuntimeError):
        refresh_statistics.delay()
    assert cache.get(locks.LOCK_KEY) is None


def test_database_errors_are_retried_with_backoff(monkeypatch):
    assert {OperationalError.__name__, "InterfaceError"} <= {
        error.__name__ for error in refresh_statistics.autoretry_for
    }
    assert refresh_statistics.retry_backoff and refresh_statistics.max_retries == 5
    real = services.statistics_refresh
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real()

    monkeypatch.setattr(services, "statistics_refresh", flaky)
    retry = mock.Mock(side_effect=Retry("retrying"))
    monkeypatch.setattr(refresh_statistics, "retry", retry)
    with pytest.raises(Retry):
        refresh_statistics()  # what the worker runs
    (kwargs,) = [call.kwargs for call in retry.call_args_list]
    assert isinstance(kwargs["exc"], OperationalError)
    assert 0 <= kwargs["countdown"] <= 2  # first retry: 2 s at most (jittered), then 4, 8…
    assert cache.get(locks.LOCK_KEY) is None  # the failed attempt released the lock
    assert refresh_statistics()["refreshed"] is True  # the retry succeeds
    assert StatisticSnapshot.objects.count() == len(keys())


def test_refresh_stats_prints_what_it_computed():
    f.EquipmentFactory(count=3, organization=f.OrganizationFactory(kind="oncology_center"))
    out = io.StringIO()
    call_command("refresh_stats", stdout=out)
    text = out.getvalue()
    for key in keys():
        assert f"\n{key}: " in f"\n{text}"
    assert "1 centers, 3 linear accelerators" in text
    assert "Statistics computed at" in text
    assert StatisticSnapshot.objects.count() == len(keys())


def test_refresh_stats_quiet_prints_nothing_and_refuses_while_locked():
    out = io.StringIO()
    call_command("refresh_stats", "--quiet", stdout=out)
    assert out.getvalue() == ""
    assert StatisticSnapshot.objects.count() == len(keys())
    with locks.refresh_lock(), pytest.raises(CommandError, match="Another statistics refresh"):
        call_command("refresh_stats", stdout=out)


def test_the_lock_on_redis_is_exclusive_and_released_only_by_its_owner(db):
    from tests.reliability.services import require_services

    url = require_services(redis=True)
    redis_cache = {
        "default": {
            "BACKEND": "oncoregistry.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "oncoregistry-stats-lock-test",
        }
    }
    with override_settings(CACHES=redis_cache):
        cache.delete(locks.LOCK_KEY)
        with locks.refresh_lock() as held:
            assert held is True
            with locks.refresh_lock() as second:
                assert second is False
            assert cache.get(locks.LOCK_KEY)  # the refused caller did not release ours
        assert cache.get(locks.LOCK_KEY) is None  # released by its owner's script
        with locks.refresh_lock() as held:
            cache.set(locks.LOCK_KEY, "taken over", 60)
        assert cache.get(locks.LOCK_KEY) == "taken over"
        cache.delete(locks.LOCK_KEY)
