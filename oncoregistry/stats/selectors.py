"""What the dashboard and the API read: the snapshot, never the registry tables."""

from .models import StatisticSnapshot


def statistic_list():
    return StatisticSnapshot.objects.order_by("key")


def snapshot_payloads():
    """``{key: payload, ..., "computed_at": datetime | None, "data_updated_at": ...}`` in ONE
    query. The times are the newest among the rows (the refresh writes them all at once)."""
    rows = StatisticSnapshot.objects.values_list("key", "payload", "computed_at", "data_updated_at")
    result = {"computed_at": None, "data_updated_at": None}
    for key, payload, computed_at, data_updated_at in rows:
        result[key] = payload
        for name, stamp in (("computed_at", computed_at), ("data_updated_at", data_updated_at)):
            if stamp is not None and (result[name] is None or stamp > result[name]):
                result[name] = stamp
    return result
