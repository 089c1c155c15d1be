"""A real Celery worker (subprocess) against Redis and PostgreSQL refreshes the snapshot
after an editor writes through the API. Skipped locally without the services; a failure
in CI (``ONCOREGISTRY_REQUIRE_SERVICES=1``)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from oncoregistry.celery import app as celery_app
from oncoregistry.stats import locks, services, tasks
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.statistics import keys
from tests import factories as f
from tests.reliability.services import require_services

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.")


def worker_database_url():
    """The pytest test database (test_<name>), which the worker must use too."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def organizations_total():
    snapshot = StatisticSnapshot.objects.filter(key="organizations").first()
    return snapshot.payload["total"] if snapshot else None


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_the_snapshot_after_an_api_write(settings, tmp_path):
    redis_url = require_services(postgres=True, redis=True)
    assert celery_app.conf.broker_url == redis_url, "the test process publishes to REDIS_URL"
    settings.STATS_REFRESH_DEBOUNCE_SECONDS = 1
    celery_app.conf.task_always_eager = False  # restored by the autouse fixture

    region = f.RegionFactory(slug="astana")
    f.OrganizationFactory(region=region)
    editor = f.UserFactory(username="stats-editor", is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="centers"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    services.statistics_refresh()
    assert organizations_total() == 1
    computed_before = StatisticSnapshot.objects.get(key="organizations").computed_at
    celery_app.control.purge()  # drop refreshes queued by the setup's own commits
    tasks.clear_pending()

    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "ONCOREGISTRY_ENV": "test",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(CELERY), "-A", "oncoregistry", "worker", "--pool", "solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: bool(celery_app.control.ping(timeout=0.5)), 60, "the worker to start")
        payload = {"slug": "written-via-api", "name": "Written via the API", "kind": "unit"}
        response = api.post(
            "/api/v1/organizations/", {**payload, "region": "astana"}, format="json"
        )
        assert response.status_code == 201, response.content
        # the commit queued a refresh (countdown 1 s); only the worker can run it
        wait_for(
            lambda: StatisticSnapshot.objects.get(key="organizations").computed_at
            > computed_before,
            60,
            "the worker's refresh",
        )
        snapshot = StatisticSnapshot.objects.get(key="organizations")
        # the API's new record is a draft until a reviewer publishes it: not counted yet
        assert organizations_total() == 1
        assert snapshot.payload["by_region"]["astana"] == 1
        assert StatisticSnapshot.objects.count() == len(keys())
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        log.close()
    output = (tmp_path / "worker.log").read_text()
    assert "Traceback" not in output, output


def start_worker(env, log, name):
    return subprocess.Popen(
        [str(CELERY), "-A", "oncoregistry", "worker", "--pool", "solo", "-l", "warning"]
        + ["-n", f"{name}@{socket.gethostname()}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def answers(name):
    return bool(celery_app.control.ping([f"{name}@{socket.gethostname()}"], timeout=0.5))


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def refresh_blocked_on_the_snapshot():
    """A backend of this database waits for a lock on the snapshot table: the refresh has
    computed every aggregate and is replacing the rows, inside its transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%stats_statisticsnapshot%%'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_refresh_leaves_the_snapshot_whole_and_the_next_refresh_runs(
    settings, tmp_path
):
    """SIGKILL a real worker while its refresh holds the lock and is replacing the snapshot;
    the previous snapshot stays whole, the lock goes with the worker's session, and beat's
    catch-up has another worker refresh within seconds (STATS_CATCH_UP_SECONDS=2 here;
    60 in production)."""
    import psycopg

    redis_url = require_services(postgres=True, redis=True)
    settings.STATS_REFRESH_DEBOUNCE_SECONDS = 1
    celery_app.conf.task_always_eager = False  # restored by the autouse fixture
    region = f.RegionFactory(slug="astana")
    f.OrganizationFactory(region=region)
    services.statistics_refresh()
    before = StatisticSnapshot.objects.get(key="organizations")
    celery_app.control.purge()
    tasks.clear_pending()

    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "ONCOREGISTRY_ENV": "test",
        "STATS_REFRESH_DEBOUNCE_SECONDS": "1",
        "STATS_CATCH_UP_SECONDS": "2",
    }
    log = (tmp_path / "workers.log").open("w")
    # Another session holds the snapshot table in SHARE mode: reads go on, the refresh's
    # DELETE waits, so the worker is killed exactly while it replaces the rows.
    blocker = psycopg.connect(worker_database_url())
    blocker.execute("LOCK TABLE stats_statisticsnapshot IN SHARE MODE")
    first = start_worker(env, log, "first")
    second = beat = None
    try:
        wait_for(lambda: answers("first"), 60, "the first worker")
        f.OrganizationFactory(region=region, slug="added-before-the-kill")  # queues a refresh
        wait_for(refresh_blocked_on_the_snapshot, 60, "the refresh to reach the snapshot")
        assert locks.refresh_running()  # the worker's session holds the advisory lock

        # What production runs beside it: another worker, and beat.
        second = start_worker(env, log, "second")
        wait_for(lambda: answers("second"), 60, "the second worker")
        beat = subprocess.Popen(
            [str(CELERY), "-A", "oncoregistry", "beat", "-l", "warning"]
            + ["--schedule", str(tmp_path / "beat-schedule")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        blocker.rollback()  # the dead worker's transaction may go on: it cannot commit

        wait_for(lambda: not locks.refresh_running(), 30, "the server to release the lock")
        whole = StatisticSnapshot.objects.all()
        assert whole.count() == len(keys())
        assert {s.computed_at for s in whole} == {before.computed_at}
        assert organizations_total() == 1

        wait_for(lambda: organizations_total() == 2, 60, "the next refresh")
        elapsed = time.monotonic() - killed_at
        print(f"\nkilled worker -> next completed refresh: {elapsed:.1f} s")
        assert elapsed < 60
        assert StatisticSnapshot.objects.count() == len(keys())
    finally:
        blocker.close()
        for process in (first, second, beat):
            if process is not None:
                stop(process)
        log.close()
    output = (tmp_path / "workers.log").read_text()
    assert "Traceback" not in output, output
