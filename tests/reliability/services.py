"""Real PostgreSQL and Redis for the fault tests: skipped locally when absent, a failure
in CI (``ONCOREGISTRY_REQUIRE_SERVICES=1``, set by .ci/run) so they can never be skipped
there."""

import os

import pytest
from django.db import connection


def _missing(reason):
    if os.environ.get("ONCOREGISTRY_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}, but ONCOREGISTRY_REQUIRE_SERVICES=1 requires it.")
    pytest.skip(reason)


def require_services(*, postgres=False, redis=False):
    """Return the Redis URL (or None); skip or fail when a required service is absent."""
    if postgres and connection.vendor != "postgresql":
        _missing("This test needs PostgreSQL (DATABASE_URL=postgres://…)")
    if not redis:
        return None
    url = os.environ.get("REDIS_URL", "")
    if not url:
        _missing("This test needs Redis (REDIS_URL=redis://…)")
    import redis as redis_client

    try:
        redis_client.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis_client.exceptions.RedisError as error:
        _missing(f"Redis at {url} does not answer ({error})")
    return url
