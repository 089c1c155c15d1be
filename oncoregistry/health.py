"""``/healthz`` and ``/readyz`` for operators, load balancers and docker-compose.

* ``/healthz``: the process answers (no database, no Redis): restart it if this fails.
* ``/readyz``: the database answers and its migrations are applied, the cache and the
  broker are reachable; with the statistics snapshot's age. JSON, ``503`` when not ready.

Both are answered by a middleware placed first, before host validation, the HTTPS redirect,
sessions and locale: a probe from inside the container (``Host: 127.0.0.1``, plain HTTP)
gets the answer, not a 400 or a 301. They are not DRF views, so never throttled, and they
are sent with ``Cache-Control: no-store``. They say what failed, never where (no host
names or addresses).
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone

_migrations_applied = False  # once applied, they stay applied for this code


def _timed(check):
    started = time.monotonic()
    try:
        result = check()
    except Exception as error:  # a probe reports every failure, whatever its kind
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def check_migrations():
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return {"ok": False, "pending": len(pending)}
        _migrations_applied = True
    return {"ok": True, "pending": 0}


def check_cache():
    if isinstance(cache, LocMemCache) or not settings.REDIS_URL:
        return {"ok": True, "detail": "local memory"}
    # The cache answers a miss while Redis is down (core/cache.py): a round trip tells.
    probe = uuid.uuid4().hex
    cache.set("health:probe", probe, timeout=10)
    if cache.get("health:probe") != probe:
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def check_broker():
    from oncoregistry.celery import app

    if app.conf.task_always_eager:
        return {"ok": True, "detail": "tasks run in-process"}
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    return {"ok": True}


def check_statistics():
    """Informative, not a condition of readiness: pages answer from an old snapshot too."""
    from oncoregistry.stats.models import StatisticSnapshot
    from oncoregistry.stats.selectors import registry_changed_at
    from oncoregistry.stats.services import statistic_freshness

    snapshot = StatisticSnapshot.objects.order_by("-computed_at").first()
    if snapshot is None:
        return {"ok": True, "computed_at": None, "detail": "not computed yet"}
    freshness = statistic_freshness(
        snapshot.computed_at,
        data_updated_at=snapshot.data_updated_at,
        registry_changed_at=registry_changed_at(),
    )
    since = freshness["missing_changes_since"]
    return {
        "ok": True,
        "computed_at": snapshot.computed_at.isoformat(),
        "age_seconds": freshness["age_seconds"],
        "stale": freshness["stale"],
        "missing_changes_since": since.isoformat() if since else None,
    }


READINESS = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "broker": check_broker,
}


def _answer(body, status=200):
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request):
    return _answer({"status": "ok", "time": timezone.now().isoformat()})


def readyz(request):
    checks = {name: _timed(check) for name, check in READINESS.items()}
    if checks["database"]["ok"]:
        checks["statistics"] = _timed(check_statistics)
    ready = all(checks[name]["ok"] for name in READINESS)
    return _answer(
        {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
    )


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers the probes before any other middleware (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return probe(request)
