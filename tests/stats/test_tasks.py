"""The refresh task (eager mode, the lock, retries) and ``manage.py refresh_stats``."""

import io
import signal
import subprocess
import sys
import time
import types
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from oncoregistry.stats import locks, services, tasks
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.statistics import keys
from oncoregistry.stats.tasks import refresh_statistics, refresh_statistics_if_behind
from tests import factories as f
from tests.stats.freshness import backdate_registry

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
    assert not locks.refresh_running()  # released


def test_the_task_clears_the_pending_flag_when_it_starts():
    cache.set(tasks.PENDING_KEY, 1, 60)
    refresh_statistics.delay().get(timeout=5)
    assert cache.get(tasks.PENDING_KEY) is None


def test_the_lock_is_released_when_the_refresh_fails(monkeypatch):
    monkeypatch.setattr(services, "statistics_compute", mock.Mock(side_effect=RuntimeError))
    with pytest.raises(RuntimeError):
        refresh_statistics.delay()
    assert not locks.refresh_running()


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
    assert not locks.refresh_running()  # the failed attempt released the lock
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


HOLD_THE_LOCK = """
import fcntl, sys, time
if sys.argv[1] == "postgresql":
    import psycopg
    connection = psycopg.connect(sys.argv[2], autocommit=True)
    assert connection.execute("SELECT pg_try_advisory_lock(%s)", [int(sys.argv[3])]).fetchone()[0]
else:
    handle = open(sys.argv[2], "a+b")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("held", flush=True)
time.sleep(600)
"""


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_by_a_killed_process_is_free_at_once():
    """Another process holds the lock (the advisory lock of its session on PostgreSQL, a
    flock elsewhere) and is killed with SIGKILL: the next refresh runs, no TTL to wait."""
    f.OrganizationFactory()
    where = (
        database_url() if connection.vendor == "postgresql" else str(locks.lock_file(connection))
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, connection.vendor, where, str(locks.LOCK_ID)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert locks.refresh_running()
        assert refresh_statistics.delay().get(timeout=5)["refreshed"] is False
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    deadline = time.monotonic() + 10
    while locks.refresh_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert refresh_statistics.delay().get(timeout=5)["refreshed"] is True
    assert StatisticSnapshot.objects.get(key="organizations").payload["total"] == 1


def test_the_catch_up_refreshes_only_a_snapshot_that_missed_a_change(settings):
    """Beat's catch-up: nothing to do while the snapshot has every change (or the refresh a
    change queued is still due); a refresh when a change was missed (its refresh lost)."""
    import datetime

    settings.STATS_REFRESH_DEBOUNCE_SECONDS = 10
    assert refresh_statistics_if_behind()["refreshed"] is False  # empty registry
    f.OrganizationFactory()
    services.statistics_refresh()
    assert refresh_statistics_if_behind()["refreshed"] is False  # up to date
    StatisticSnapshot.objects.update(data_updated_at=backdate_registry(60))
    backdate_registry(0)
    assert refresh_statistics_if_behind()["refreshed"] is False  # its own refresh is due
    missed = backdate_registry(11)
    StatisticSnapshot.objects.update(data_updated_at=missed - datetime.timedelta(seconds=1))
    assert refresh_statistics_if_behind()["refreshed"] is True
    assert StatisticSnapshot.objects.get(key="organizations").data_updated_at == missed


def test_an_in_memory_database_is_locked_for_its_own_process_only(monkeypatch):
    """Parallel test workers each have an in-memory database under one name: a lock file
    named after it made one worker's refresh skip another's. A database file is shared by
    every process that opens it, and so is its lock."""

    def database(name, in_memory):
        return types.SimpleNamespace(
            vendor="sqlite", settings_dict={"NAME": name}, is_in_memory_db=lambda: in_memory
        )

    memory = database("file:memorydb_default?mode=memory&cache=shared", True)
    on_disk = database("/srv/oncoregistry/db.sqlite3", False)
    monkeypatch.setattr(locks.os, "getpid", lambda: 101)
    first = locks.lock_file(memory), locks.lock_file(on_disk)
    monkeypatch.setattr(locks.os, "getpid", lambda: 202)
    second = locks.lock_file(memory), locks.lock_file(on_disk)
    assert first[0] != second[0]
    assert first[1] == second[1]
