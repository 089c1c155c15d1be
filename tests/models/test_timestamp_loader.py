"""Timestamps read from PostgreSQL through psycopg's C loader equal Django's own reading."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from psycopg.pq import Format

from oncoregistry.core.db import TIMESTAMPTZ_OID, UtcTimestamptzLoader, use_c_timestamp_loader
from tests.factories import OrganizationFactory
from tests.reliability.services import require_services

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_postgresql_connections_read_timestamps_in_utc_with_the_c_loader():
    require_services(postgres=True)
    connection.ensure_connection()
    adapters = connection.connection.adapters
    assert adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) is UtcTimestamptzLoader
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT '2025-08-28 09:15:42.123456+05'::timestamptz, "
            "'2026-03-01 00:00:00+00'::timestamptz, NULL::timestamptz"
        )
        first, second, missing = cursor.fetchone()
    assert first == datetime.datetime(2025, 8, 28, 4, 15, 42, 123456, tzinfo=UTC)
    assert first.tzinfo is UTC and second.tzinfo is UTC
    assert second == datetime.datetime(2026, 3, 1, tzinfo=UTC)
    assert missing is None


def test_records_round_trip_their_timestamps():
    require_services(postgres=True)
    created = OrganizationFactory()
    read = type(created).objects.values_list("created_at", "updated_at").get(pk=created.pk)
    assert read == (created.created_at, created.updated_at)
    assert all(stamp.tzinfo is UTC for stamp in read)


@pytest.mark.parametrize(
    "vendor, timezone, session_zone",
    [
        ("sqlite", UTC, "UTC"),
        ("postgresql", datetime.timezone(datetime.timedelta(hours=5)), "UTC"),
        ("postgresql", UTC, "Asia/Almaty"),
    ],
)
def test_other_connections_keep_djangos_loader(vendor, timezone, session_zone):
    registered = []
    psycopg_connection = SimpleNamespace(
        info=SimpleNamespace(parameter_status=lambda name: session_zone),
        adapters=SimpleNamespace(register_loader=lambda *args: registered.append(args)),
    )
    fake = SimpleNamespace(vendor=vendor, timezone=timezone, connection=psycopg_connection)
    use_c_timestamp_loader(sender=None, connection=fake)
    assert registered == []
