"""/healthz and /readyz: what an operator (and docker-compose) asks the app."""

import json

import pytest
from django.test import override_settings

from oncoregistry import health
from oncoregistry.celery import app as celery_app
from oncoregistry.stats.services import statistics_refresh
from tests import factories as f

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")  # no django_db mark: a query would raise
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_readyz_reports_each_dependency_and_the_snapshot_age(client):
    f.OrganizationFactory()
    statistics_refresh()
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "migrations",
        "cache",
        "broker",
        "statistics",
    }
    assert body["checks"]["migrations"]["pending"] == 0
    assert body["checks"]["statistics"]["stale"] is False
    assert 0 <= body["checks"]["statistics"]["age_seconds"] < 60


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["registry.example.kz"], SECURE_SSL_REDIRECT=True)
def test_probes_from_inside_the_container_are_neither_refused_nor_redirected(client):
    """Plain HTTP with Host 127.0.0.1, as the compose health check sends: answered, where
    any other page is a 400 (host not allowed)."""
    assert client.get("/readyz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/api/v1/", HTTP_HOST="127.0.0.1:8000").status_code == 400


@pytest.mark.django_db
def test_readyz_is_503_and_says_what_is_down_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, UNREACHABLE_REDIS
    caches = {
        "default": {
            "BACKEND": "oncoregistry.core.cache.ResilientRedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    try:
        with override_settings(CACHES=caches):
            response = client.get("/readyz")
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, broker
    print("\n/readyz with Redis down:", json.dumps(response.json(), indent=2))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"] == {
        "ok": False,
        "error": "unreachable",
        "ms": body["checks"]["cache"]["ms"],
    }
    assert body["checks"]["broker"]["ok"] is False
    assert "127.0.0.1" not in response.content.decode()  # what failed, never where


@pytest.mark.django_db
def test_readyz_is_503_while_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("a", False)]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "pending": 1,
        "ms": response.json()["checks"]["migrations"]["ms"],
    }


def test_the_compose_file_probes_readyz():
    from pathlib import Path

    import yaml
    from django.conf import settings as django_settings

    compose = yaml.safe_load((Path(django_settings.BASE_DIR) / "docker-compose.yml").read_text())
    web = compose["services"]["web"]["healthcheck"]
    assert "http://127.0.0.1:8000/readyz" in " ".join(web["test"])
    assert "inspect ping" in " ".join(compose["services"]["worker"]["healthcheck"]["test"])
