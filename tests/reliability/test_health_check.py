"""The database health check: a quiet connection is reused without a round trip; one the
server has ended, or one in an unusual state, is checked by asking the server."""

import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

from oncoregistry.core.postgresql.base import has_unread_input

from .services import require_services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pings(monkeypatch):
    """Counts the checks that ask the server (Django's own ``is_usable``)."""
    require_services(postgres=True)
    calls = []
    original = DjangoWrapper.is_usable

    def counted(self):
        calls.append(self.alias)
        return original(self)

    monkeypatch.setattr(DjangoWrapper, "is_usable", counted)
    connection.ensure_connection()
    return calls


def test_a_quiet_connection_is_reused_without_asking_the_server(pings):
    assert connection.is_usable() is True
    assert pings == []


def test_a_connection_inside_a_transaction_is_checked_by_the_server(pings):
    connection.connection.execute("BEGIN")
    try:
        assert connection.is_usable() is True
        assert pings == ["default"]
    finally:
        connection.connection.execute("ROLLBACK")


def test_a_connection_the_server_ended_is_not_usable(pings):
    pid = connection.connection.info.backend_pid
    with psycopg.connect(connection.connection.info.dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(100):  # the server's goodbye reaches the socket
        if has_unread_input(connection.connection):
            break
        time.sleep(0.01)
    try:
        assert connection.is_usable() is False
        assert pings == ["default"]
    finally:
        connection.close()
    # The next query reconnects.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_configured_backend_is_this_one():
    require_services(postgres=True)
    assert connection.settings_dict["ENGINE"] == "oncoregistry.core.postgresql"
    assert connection.vendor == "postgresql"
