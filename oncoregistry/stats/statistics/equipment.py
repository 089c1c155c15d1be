"""Equipment by category, status and region, counts summed with their qualifiers.

A record whose source states no number (``count`` empty) is never counted as 1 or 0: it
is counted apart in ``number_not_stated``.
"""

import operator
from typing import TypedDict

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from centers.models import Equipment, EquipmentStatus

from .base import NO_REGION, CountedFigure, figure, per_qualifier

KEY = "equipment"


class EquipmentPayload(TypedDict):
    by_category: dict[str, CountedFigure]
    operating_by_category: dict[str, CountedFigure]  # status "operating" only
    by_region: dict[str, dict[str, CountedFigure]]  # region slug or "none" -> category


def equipment_rows():
    """``(category, region_slug | None, operating, total, records, *stated per qualifier)``.

    Grouped by whether the equipment is operating, not by status: no payload tells the
    other statuses apart. ``total`` sums the stated counts; ``records`` counts every
    record; the per-qualifier counts count the records that state a number
    (``COUNT(count)`` skips NULLs), so their sum is those records.
    """
    operating = Q(status=EquipmentStatus.OPERATING)
    return (
        Equipment.objects.published().annotate(
            operating=ExpressionWrapper(operating, output_field=BooleanField())
        )
        .values_list("category", "organization__region__slug", "operating")
        .annotate(
            total=Sum("count"),
            records=Count("id"),
            **per_qualifier("count_qualifier", counted="count"),
        )
        .order_by()
    )


def compute(refresh) -> EquipmentPayload:
    # (payload name, *path) -> the column sums of its rows: (total, records, *per qualifier)
    cells = {}
    for category, region, operating, total, records, *counts in refresh.rows(equipment_rows):
        row = (total or 0, records, *counts)
        keys = [("by_category", category), ("by_region", region or NO_REGION, category)]
        if operating:
            keys.append(("operating_by_category", category))
        for key in keys:
            cell = cells.get(key)
            cells[key] = row if cell is None else tuple(map(operator.add, cell, row))
    result = {"by_category": {}, "operating_by_category": {}, "by_region": {}}
    for (name, *path), (total, records, *counts) in cells.items():
        node = result[name]
        for part in path[:-1]:
            node = node.setdefault(part, {})
        stated = sum(counts)  # the per-qualifier counts count the records stating a number
        node[path[-1]] = {**figure(total, stated, counts), "number_not_stated": records - stated}
    return result
