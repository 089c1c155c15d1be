"""A real Celery worker (subprocess) against Redis and PostgreSQL refreshes the snapshot
after an editor writes through the API. Skipped locally without the services; a failure
in CI (``ONCOREGISTRY_REQUIRE_SERVICES=1``)."""

import os
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
from oncoregistry.stats import services, tasks
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
        wait_for(lambda: organizations_total() == 2, 60, "the worker's refresh")
        snapshot = StatisticSnapshot.objects.get(key="organizations")
        assert snapshot.computed_at > computed_before
        assert snapshot.payload["by_region"]["astana"] == 2
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
