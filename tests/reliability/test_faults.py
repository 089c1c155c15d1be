"""Faults: Redis down, PostgreSQL connections dropped. The app keeps serving and recovers
without a restart."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from centers.models import Organization
from tests import factories

from .services import require_services

pytestmark = pytest.mark.django_db
CLOSED_PORT_REDIS = "redis://127.0.0.1:6390/7"  # nothing listens here: Redis is "down"


def redis_cache(url):
    return {
        "default": {
            "BACKEND": "oncoregistry.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "oncoregistry-fault-test",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def editor_api(db):
    user = factories.UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="centers"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_redis_down_pages_and_api_keep_serving_and_edits_are_kept(client, editor_api):
    region = factories.RegionFactory(slug="astana")
    with override_settings(CACHES=redis_cache(CLOSED_PORT_REDIS)):
        assert cache.get("anything", "default") == "default"  # a miss, not an error
        for url in ("/api/v1/organizations/", "/api/v1/regions/astana/", "/admin/login/"):
            assert client.get(url).status_code == 200, url
        payload = {"slug": "kept", "name": "Kept while Redis is down", "kind": "unit"}
        payload["region"] = region.slug
        response = editor_api.post("/api/v1/organizations/", payload, format="json")
        assert response.status_code == 201, response.content
        assert editor_api.get("/api/v1/organizations/kept/").status_code == 200  # a draft
    assert Organization.objects.get(slug="kept").history.count() == 1


def test_the_cache_resumes_when_redis_returns(db):
    url = require_services(redis=True)
    with override_settings(CACHES=redis_cache(url)):
        cache.set("probe", "before", 30)
        assert cache.get("probe") == "before"
    with override_settings(CACHES=redis_cache(CLOSED_PORT_REDIS)):
        cache.set("probe", "while down", 30)  # dropped, not raised
        assert cache.get("probe") is None
    with override_settings(CACHES=redis_cache(url)):
        assert cache.get("probe") == "before"
        cache.set("probe", "after", 30)
        assert cache.get("probe") == "after"
        cache.delete("probe")


def free_port():
    for port in range(8170, 8180):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("No free port in 8170-8179")


APP_NAME = "oncoregistry-fault-test"


def server_backends(cursor):
    cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
    return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_app_reconnects_after_its_postgresql_connections_are_dropped():
    require_services(postgres=True)
    factories.RegionFactory(slug="astana")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        f"?application_name={APP_NAME}"
    )
    port = free_port()
    env = {**os.environ, "ONCOREGISTRY_ENV": "test", "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oncoregistry.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--timeout",
            "30",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                first = httpx.get(f"{base}/api/v1/regions/astana/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert first.status_code == 200
        with connection.cursor() as cursor:
            before = server_backends(cursor)
            assert before, "the server keeps a persistent connection"
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [APP_NAME],
            )
            for _ in range(50):
                if not server_backends(cursor):
                    break
                time.sleep(0.05)
            # Every request after the drop is served: the health check reconnects. (Paths
            # not asked before, so the response cache cannot answer them without the database.)
            for path in ("/api/v1/regions/", "/api/v1/organizations/", "/api/v1/sources/"):
                response = httpx.get(f"{base}{path}", timeout=5)
                assert response.status_code == 200, response.text[:500]
            after = server_backends(cursor)
        assert after and not (after & before)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


KILLED_REFRESH = """
import os, sys, time
import django
django.setup()
from oncoregistry.stats import services
from oncoregistry.stats.models import StatisticSnapshot

manager = StatisticSnapshot.objects
original = manager.bulk_create

def stalled(*args, **kwargs):
    # The old snapshot is deleted inside the refresh's transaction: the worst moment to die.
    print("midway", flush=True)
    time.sleep(60)
    return original(*args, **kwargs)

manager.bulk_create = stalled
services.statistics_refresh()
"""


@pytest.mark.django_db(transaction=True)
def test_a_refresh_killed_midway_leaves_the_previous_snapshot_and_the_next_run_completes():
    require_services(postgres=True)
    from oncoregistry.stats.models import StatisticSnapshot
    from oncoregistry.stats.services import statistics_refresh

    factories.OrganizationFactory(slug="first-center")
    statistics_refresh()
    before = {s.key: (s.payload, s.computed_at) for s in StatisticSnapshot.objects.all()}
    assert before

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "ONCOREGISTRY_ENV": "test", "DATABASE_URL": url}
    env["DJANGO_SETTINGS_MODULE"] = "oncoregistry.settings"
    worker = subprocess.Popen(
        [sys.executable, "-c", KILLED_REFRESH],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "midway", worker.stderr.read()
        worker.send_signal(signal.SIGKILL)  # no cleanup, no rollback sent by the worker
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -signal.SIGKILL

    after = {s.key: (s.payload, s.computed_at) for s in StatisticSnapshot.objects.all()}
    assert after == before  # the previous snapshot, whole

    factories.OrganizationFactory(slug="second-center")  # the next refresh has news
    result = statistics_refresh()
    latest = {s.key: s.computed_at for s in StatisticSnapshot.objects.all()}
    assert set(latest) == set(before)
    assert all(computed == result["computed_at"] for computed in latest.values())
    headline = StatisticSnapshot.objects.get(key="organizations").payload
    assert headline != before["organizations"][0]


def start(command, env, port=None, log=None):
    process = subprocess.Popen(
        command,
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    if port is not None:
        for _ in range(150):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v1/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
    return process


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_site_serves_and_edits_and_refreshes_resume_when_it_returns(
    tmp_path,
):
    """A real server with REDIS_URL pointing at nothing (cache, broker, results all down):
    edits are kept and refresh the statistics in-process, the outage logged once; then the
    same with Redis back and a Celery worker running."""
    redis_url = require_services(postgres=True, redis=True)
    from oncoregistry.stats.models import StatisticSnapshot

    factories.RegionFactory(slug="astana")
    user = factories.UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="centers"))
    token = Token.objects.create(user=user).key
    db = connection.settings_dict
    env = {
        **os.environ,
        "ONCOREGISTRY_ENV": "test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "STATS_REFRESH_DEBOUNCE_SECONDS": "1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [sys.executable, "-m", "gunicorn", "oncoregistry.wsgi", "-b", f"127.0.0.1:{port}"]
    headers = {"Authorization": f"Token {token}"}

    log_path = tmp_path / "server.log"
    log = log_path.open("w")
    server = start(gunicorn, {**env, "REDIS_URL": CLOSED_PORT_REDIS}, port, log)
    try:
        for path in ("/api/v1/regions/", "/api/v1/regions/astana/", "/admin/login/"):
            assert httpx.get(base + path, timeout=10).status_code == 200, path
        started = time.perf_counter()
        payload = {"slug": "down-edit", "name": "Edited while Redis is down", "kind": "unit"}
        response = httpx.post(f"{base}/api/v1/organizations/", json=payload, headers=headers)
        assert response.status_code == 201, response.text[:500]
        assert time.perf_counter() - started < 5  # no long wait on the missing broker
        # a new record is a draft: its editor sees it, anonymous readers do not yet
        assert (
            httpx.get(f"{base}/api/v1/organizations/down-edit/", headers=headers).status_code == 200
        )
        second = {"slug": "down-edit-2", "name": "Edited again while down", "kind": "unit"}
        response = httpx.post(f"{base}/api/v1/organizations/", json=second, headers=headers)
        assert response.status_code == 201, response.text[:500]
        for _ in range(300):  # refreshed in the server's process, after the debounce
            snapshot = StatisticSnapshot.objects.filter(key="organizations").first()
            if snapshot:
                break
            time.sleep(0.1)
        assert snapshot, "no in-process refresh"
        assert snapshot.payload["total"] == 0  # both drafts await review: not counted yet
    finally:
        stop(server)
        log.close()
    assert Organization.objects.filter(slug="down-edit").exists()
    output = log_path.read_text()
    # Logged once each, not per request (a dozen requests above).
    assert output.count("Redis is unreachable") == 1, output
    assert output.count("Statistics refreshes cannot be queued") == 1, output

    up = {**env, "REDIS_URL": redis_url}
    worker = start(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "oncoregistry",
            "worker",
            "--concurrency",
            "1",
            "--pool",
            "solo",
            "-l",
            "warning",
        ],
        up,
    )
    server = start(gunicorn, up, port)
    try:
        before = set(StatisticSnapshot.objects.values_list("computed_at", flat=True))
        payload = {"slug": "back-edit", "name": "Edited after Redis returned", "kind": "unit"}
        response = httpx.post(f"{base}/api/v1/organizations/", json=payload, headers=headers)
        assert response.status_code == 201, response.text[:500]
        for _ in range(300):  # the worker picks the queued refresh up after the debounce
            snapshots = StatisticSnapshot.objects.all()
            computed = set(snapshots.values_list("computed_at", flat=True))
            if computed and computed != before:
                break
            time.sleep(0.1)
        assert computed and computed != before, "no refresh ran after Redis returned"
        # One whole snapshot, every key from the same refresh (read once: the debounce may
        # let a second refresh replace the first between two reads).
        assert len(computed) == 1 and not computed & before, computed
    finally:
        stop(server)
        stop(worker)
