"""Dockerfile and docker-compose.yml agree with settings.py (no Docker engine runs here)."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def settings_variables():
    source = (ROOT / "oncoregistry" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))


def test_web_worker_and_beat_share_one_definition():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    app = [services[name] for name in ("web", "worker", "beat")]
    assert all(s["image"] == app[0]["image"] and s["build"] == "." for s in app)
    assert all(s["environment"] == app[0]["environment"] for s in app)
    assert all(set(s["depends_on"]) == {"postgres", "redis"} for s in app)
    environment = app[0]["environment"]
    assert environment["ONCOREGISTRY_ENV"] == "production"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
    assert set(environment) <= settings_variables(), set(environment) - settings_variables()
    # SECRET_KEY has no default: compose refuses to start without one.
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_the_web_start_migrates_first_and_workers_run_celery():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web = services["web"]["command"]
    assert web.index("migrate --noinput") < web.index("gunicorn oncoregistry.wsgi")
    assert services["worker"]["command"].startswith("celery -A oncoregistry worker")
    assert services["beat"]["command"].startswith("celery -A oncoregistry beat")
    assert "pg_isready" in str(services["postgres"]["healthcheck"])


def test_the_image_collects_static_files_and_serves_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --noinput" in dockerfile
    build_key = re.search(r"SECRET_KEY=(\S+)", dockerfile).group(1)
    assert len(build_key) >= 50  # production settings refuse shorter keys
    assert '"gunicorn", "oncoregistry.wsgi"' in dockerfile
    assert "USER oncoregistry" in dockerfile  # not root
