"""Production settings: `check --deploy` is clean, secrets are required, headers are sent."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
PRODUCTION_KEY = "k7Jq2-vX9pL_mN4rT8wY1zB6cD3fG5hJ0kL2nP4qS6uV8xZ0aC2eE4gI6oU8yW0"


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "ONCOREGISTRY_ENV"}
    }
    env.update(
        ONCOREGISTRY_ENV="production",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="registry.example.kz",
        DJANGO_SETTINGS_MODULE="oncoregistry.settings",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run([MANAGE, "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", [None, "", "short-key"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    result = run([MANAGE, "check"], production_env(SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random string of at least 50 characters" in result.stderr


def test_an_unset_environment_means_production():
    env = production_env(ONCOREGISTRY_ENV=None, SECRET_KEY=None)
    result = run([MANAGE, "check"], env)
    assert "SECRET_KEY must be set" in result.stderr


PROBE = """
import django, json
from django.conf import settings
# collectstatic has not run for this throwaway process: serve static names unhashed (set
# before setup, which opens the storages: the import jobs' model names its storage).
settings.STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
django.setup()
from django.test import Client
client = Client()
plain = client.get("/admin/login/", HTTP_HOST="registry.example.kz")
secure = client.get("/admin/login/", HTTP_HOST="registry.example.kz", secure=True)
print(json.dumps({
    "debug": settings.DEBUG,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "secure_status": secure.status_code,
    "headers": dict(secure.headers),
    "cookies": {name: dict(morsel) for name, morsel in secure.cookies.items()},
}))
"""


def test_production_serves_https_only_with_security_headers():
    result = run(["-c", PROBE], production_env(DATABASE_URL="sqlite:///:memory:"))
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://registry.example.kz/admin/login/"
    assert probe["secure_status"] == 200
    headers = probe["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    csrf = probe["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_debug_is_off_unless_local(settings):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)",
        ],
        production_env(),
    )
    assert result.stdout.strip() == "False", result.stderr
    assert settings.DEBUG is False  # the test environment runs as production would


def test_every_response_carries_the_security_headers(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["default-src"] + directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    api = client.get("/api/v1/")
    assert api.headers["Content-Security-Policy"] == policy
    assert api.headers["X-Content-Type-Options"] == "nosniff"
