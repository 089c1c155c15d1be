"""What the dashboard and the API read: the snapshot, and when the registry last changed."""

import datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from oncoregistry.core.meta import options

from .models import StatisticSnapshot
from .registry import registry_models


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


def registry_changed_at():
    """The newest ``updated_at`` among the registry's published records (None when empty),
    in ONE query: what tells whether the snapshot has missed a change (its ``freshness``)."""
    from oncoregistry.core.publication import PublicationState


    quote = connection.ops.quote_name
    selects, params = [], []
    for model in registry_models():
        fields = {field.name: field for field in options(model).concrete_fields}
        if "updated_at" not in fields:
            continue
        select = (
            f"SELECT MAX({quote(fields['updated_at'].column)}) AS changed "
            f"FROM {quote(options(model).db_table)}"
        )
        if "publication_state" in fields:
            select += f" WHERE {quote(fields['publication_state'].column)} = %s"
            params.append(PublicationState.PUBLISHED.value)
        selects.append(select)
    with connection.cursor() as cursor:
        sql = f"SELECT MAX(changed) FROM ({' UNION ALL '.join(selects)}) AS changes"
        cursor.execute(sql, params)
        (changed,) = cursor.fetchone()
    if isinstance(changed, str):  # SQLite answers text
        changed = parse_datetime(changed).replace(tzinfo=datetime.UTC)
    return changed
