"""The statistics refresh: every statistic computed in the database, written as one snapshot.

``statistics_refresh()`` computes each statistic of ``stats.statistics`` (a fixed number
of GROUP BY queries, the same for ten records or ten thousand) and replaces every
``StatisticSnapshot`` row in one transaction, so a reader sees either the previous
snapshot or the new one, never a mix.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.utils import timezone

from commitments.services import commitment_statuses_refresh
from oncoregistry.core.meta import options

from .models import StatisticSnapshot
from .statistics import keys
from .statistics.base import Refresh


def statistics_compute():
    """Every statistic, as ``({key: payload}, data_updated_at)``; writes nothing."""
    refresh = Refresh()
    payloads = refresh.compute_all()
    return payloads, refresh.data_updated_at


def statistics_refresh():
    """Compute every statistic and replace the whole snapshot in one transaction.

    Idempotent: the same data gives the same payloads. A failure while computing or
    writing leaves the previous snapshot as it was. Returns
    ``{"computed_at": datetime, "data_updated_at": datetime | None, "payloads": {...}}``.
    """
    payload_field = options(StatisticSnapshot).get_field("payload")
    with transaction.atomic():
        # The commitments are kept up to date at each commit (stats.triggers); only their
        # status moves with the date alone, so the ``commitments`` statistic reads them
        # for today: one UPDATE of the rows computed for an earlier day, none on the
        # same day (docs/performance.md, "The commitments in the refresh").
        commitment_statuses_refresh()
        # One transaction for the reads too: on PostgreSQL each statement still sees
        # its own snapshot (READ COMMITTED), but nothing is written until all are done.
        payloads, data_updated_at = statistics_compute()
        computed_at = timezone.now()
        StatisticSnapshot.objects.all().delete()
        # Each payload as an expression (a Value), so that Django inserts the rows as
        # VALUES rather than as UNNEST over a jsonb[] array, whose literal psycopg escapes
        # in Python character by character.
        StatisticSnapshot.objects.bulk_create(
            StatisticSnapshot(
                key=key,
                payload=Value(payloads[key], output_field=payload_field),
                computed_at=computed_at,
                data_updated_at=data_updated_at,
            )
            for key in keys()
        )
    return {"computed_at": computed_at, "data_updated_at": data_updated_at, "payloads": payloads}


def statistic_freshness(
    snapshot_computed_at,
    *,
    data_updated_at=None,
    registry_changed_at=None,
    now=None,
    stale_after=None,
):
    """``{"age_seconds": int, "stale": bool, "missing_changes_since": datetime | None}``.

    Stale when older than twice the beat interval (a missed scheduled refresh), or when the
    registry changed after the data the snapshot was computed from and that change is older
    than the debounce plus the time a refresh takes (``STATS_REFRESH_EXPECTED_SECONDS``):
    the refresh it queued should have finished by then.
    """
    now = now or timezone.now()
    stale_after = stale_after or datetime.timedelta(minutes=2 * settings.STATS_REFRESH_MINUTES)
    age = max(now - snapshot_computed_at, datetime.timedelta(0))
    missing = registry_changed_at is not None and (
        data_updated_at is None or registry_changed_at > data_updated_at
    )
    allowance = datetime.timedelta(
        seconds=settings.STATS_REFRESH_DEBOUNCE_SECONDS + settings.STATS_REFRESH_EXPECTED_SECONDS
    )
    late = missing and now - registry_changed_at > allowance
    return {
        "age_seconds": int(age.total_seconds()),
        "stale": age > stale_after or late,
        "missing_changes_since": registry_changed_at if missing else None,
    }
