"""Django's PostgreSQL backend with ``CONN_HEALTH_CHECKS``: a persistent connection the
server has ended is replaced before the next request's first query instead of failing it."""

import psycopg
import pytest
from django.core.signals import request_started
from django.db import connection

from .services import require_services

pytestmark = pytest.mark.django_db(transaction=True)


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_stock_backend_checks_persistent_connections():
    require_services(postgres=True)
    assert connection.settings_dict["ENGINE"] == "django.db.backends.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0


def test_a_connection_the_server_ended_is_replaced_at_the_next_request():
    require_services(postgres=True)
    pid = backend_pid()
    with psycopg.connect(connection.connection.info.dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    request_started.send(sender=__name__)  # what a new request does: check before reuse
    assert backend_pid() != pid
