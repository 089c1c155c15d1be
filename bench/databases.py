"""The benchmark's PostgreSQL databases: one per scale, cloned from a migrated template,
filled by ``generate_synthetic`` and published; ``manage.py`` run against them."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def log(message):
    print(message, file=sys.stderr, flush=True)


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection(url):
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def recreate(url, name, template=None):
    with admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        clause = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{clause}')


def exists(url, name):
    with admin_connection(url) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def env_for(url, workdir):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return {
        **env,
        "DATABASE_URL": url,
        "ONCOREGISTRY_ENV": "local",
        "DEBUG": "0",
        "API_ANON_RATE": "1000000/second",
        "API_USER_RATE": "1000000/second",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "REGISTRY_VERSION_DIR": str(workdir / "registry-version"),
        "PYTHONPATH": str(ROOT),
    }


def manage(url, workdir, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env_for(url, workdir), check=True, capture_output=capture, text=True,
    )  # fmt: skip


def scale_url(url, scale):
    return with_database(url, f"{urlsplit(url).path.lstrip('/')}_{scale}")


def prepare(url, scale, seed, workdir):
    """A fresh database at this scale, from a migrated template; its URL and the time taken."""
    name = urlsplit(url).path.lstrip("/")
    template = f"{name}_template"
    if not exists(url, template):
        recreate(url, template)
    manage(with_database(url, template), workdir, "migrate", "--noinput", "-v0")
    target = scale_url(url, scale)
    recreate(url, urlsplit(target).path.lstrip("/"), template)
    started = time.perf_counter()
    manage(
        target, workdir, "generate_synthetic", "--organizations", str(scale), "--seed", str(seed)
    )
    generation = time.perf_counter() - started
    with psycopg.connect(target, autocommit=True) as connection:
        # generate_synthetic writes drafts (the model's default); the public registry the
        # benchmark serves is published.
        tables = connection.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'publication_state' AND table_schema = 'public' "
            "AND table_name NOT LIKE '%%historical%%'"
        ).fetchall()
        for (table,) in tables:
            connection.execute(f"UPDATE {table} SET publication_state = 'published'")
        # Published by SQL, without signals: the commitments are derived once, as a load's
        # commit derives them, before the VACUUM ANALYZE that the other tables get too.
        manage(target, workdir, "refresh_commitments", "-v0")
        connection.execute("VACUUM ANALYZE")
    manage(target, workdir, "refresh_stats", "--quiet")
    return target, generation
