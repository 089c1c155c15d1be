"""The load test, scaled down to stay bounded: 20 readers for 5 s while an editor writes.
(The full-size figures, 50 clients for 60 s, are in docs/performance.md.)"""

import psycopg
import pytest
from django.db import connection

from .loadtest import run


@pytest.fixture
def load_database_url():
    """A database of its own for the server: SQLite file, or a PostgreSQL database."""
    if connection.vendor != "postgresql":
        yield None  # run() makes a fresh SQLite file
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_load"
    admin_dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']}"
    with psycopg.connect(f"{admin_dsn} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with psycopg.connect(f"{admin_dsn} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_mixed_reads_while_an_editor_writes_no_errors_no_lost_writes(load_database_url):
    figures = run(clients=20, seconds=5, database_url=load_database_url)
    # A floor that proves the load ran, not a throughput target (those live in `make bench`).
    assert figures["reads"] > 20, figures
    assert figures["writes"] >= 1, figures
    assert figures["read_errors"] == 0, figures
    assert figures["write_errors"] == 0, figures
    assert figures["lost_writes"] == 0, figures
