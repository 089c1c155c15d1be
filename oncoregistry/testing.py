"""Loaded by pytest (``-p oncoregistry.testing``) before Django starts.

It selects the test environment so that settings allow an insecure local
SECRET_KEY without the caller exporting anything.

Under ``pytest -n`` (pytest-xdist, as ``make test`` runs) each worker gets its own Redis
database, registry-version folder and releases folder (new for each run), as pytest-django
gives each its own PostgreSQL database: two workers never share a cache, a queue or a file.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("ONCOREGISTRY_ENV", "test")

#: Redis has 16 databases (0-15): worker k uses the configured one plus 8 * k.
REDIS_DATABASES_PER_WORKER = 8


def worker_redis_url(url, worker_index):
    parts = urlsplit(url)
    database = int(parts.path.lstrip("/") or 0) + REDIS_DATABASES_PER_WORKER * worker_index
    return urlunsplit(parts._replace(path=f"/{database}"))


worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... only under pytest -n
if worker:
    index = int(worker.removeprefix("gw"))
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], index)
    # A folder of this run's own: two suites on one machine (two checkouts) must not bump
    # each other's registry version.
    scratch = Path(tempfile.mkdtemp(prefix=f"oncoregistry-test-{worker}-"))
    os.environ.setdefault("REGISTRY_VERSION_DIR", str(scratch / "registry-version"))
    os.environ.setdefault("RELEASES_ROOT", str(scratch / "releases"))
