"""Rebuild the commitments from the published records and their history: a draft promise
is not public until a reviewer publishes it.

A fixed number of queries whatever the registry's size (two per kind of record: its rows,
and their first citations), read as rows (``values()``), streamed and never held whole;
then only the difference is written (new commitments inserted, changed ones updated, gone
ones deleted, matched by slug), so a refresh after one edit writes a row or two.
"""

import functools
import operator

from django.db import transaction
from django.utils import timezone

from oncoregistry.core.meta import options

from .kinds import CHUNK, KINDS
from .models import Commitment, commitment_status, due_by

FIELDS = (
    "kind",
    "name",
    "name_ru",
    "name_kk",
    "detail",
    "target_value",
    "target_qualifier",
    "target_unit",
    "organization_id",
    "region_id",
    "modality",
    "record_type",
    "record_slug",
    "page_url",
    "source_id",
    "citation_id",
    "quote",
    "due_year",
    "due_month",
    "due_day",
    "due_precision",
    "due_qualifier",
    "due_by",
    "delivered_on",
    "status",
)
#: A commitment's values in the order of FIELDS.
values_of = operator.itemgetter(*FIELDS)
#: The last day of a stated date, worked out once per date (the rows share a few hundred).
due_by_cached = functools.lru_cache(maxsize=4096)(due_by)
#: Rows written per statement.
BATCH = 500


def _commitments_of(kind, *, today, defaults):
    """Each commitment ``kind`` states, as ``(slug, (value of each of FIELDS))``, with its
    record's first published citation (both streams in record order, merged)."""
    meta = options(kind.model)
    record_type, prefix = f"{meta.app_label}.{meta.model_name}", f"{meta.model_name}-"
    citations = kind.first_citations()
    citation = next(citations, None)
    for row in kind.rows():
        while citation is not None and citation[0] < row["pk"]:
            citation = next(citations, None)
        cited = citation is not None and citation[0] == row["pk"]
        values = {**defaults, **kind.shape(row), "record_type": record_type}
        if cited:
            values["citation_id"], values["source_id"], values["quote"] = citation[1:]
        due = due_by_cached(
            values["due_year"], values["due_month"], values["due_day"], values["due_precision"]
        )
        values["due_by"] = due
        values["status"] = commitment_status(
            delivered_on=values["delivered_on"], due=due, today=today
        )
        yield (prefix + values["record_slug"])[:160], values_of(values)


def commitments_compute(*, today=None):
    """Every commitment the published records state, with its status for ``today``, as
    ``(slug, (value of each of FIELDS))``, one at a time; writes nothing."""
    today = today or timezone.localdate()
    meta = options(Commitment)
    defaults = {field: meta.get_field(field).get_default() for field in FIELDS}
    for kind in KINDS:
        yield from _commitments_of(kind(), today=today, defaults=defaults)


@transaction.atomic
def commitments_refresh(*, today=None):
    """Make the table hold the commitments the records state today, writing only the
    difference: returns how many there are.

    Each stored commitment is matched by slug and compared field by field (through the
    hash of its values: a change goes unnoticed only if two 64-bit hashes collide); only
    new, changed and gone commitments are written, so that the table, its ``created_at``
    and ``updated_at`` say when each commitment appeared and last changed."""
    today = today or timezone.localdate()
    now = timezone.now()
    # The day every status is computed for: one statement, and nothing else to write on
    # the first refresh of a day unless a status changes.
    Commitment.objects.exclude(status_on=today).update(status_on=today)
    stored = {
        row[1]: (row[0], hash(row[2:]))
        for row in Commitment.objects.order_by()
        .values_list("pk", "slug", *FIELDS)
        .iterator(chunk_size=CHUNK)
    }
    total, new, changed = 0, [], []
    for slug, values in commitments_compute(today=today):
        total += 1
        found = stored.pop(slug, None)
        if found is None:
            row = dict(zip(FIELDS, values, strict=True))
            new.append(
                Commitment(slug=slug, status_on=today, created_at=now, updated_at=now, **row)
            )
        elif found[1] != hash(values):
            row = dict(zip(FIELDS, values, strict=True))
            changed.append(Commitment(pk=found[0], status_on=today, updated_at=now, **row))
        if len(new) >= BATCH:
            Commitment.objects.bulk_create(new)
            new = []
        if len(changed) >= BATCH:
            Commitment.objects.bulk_update(changed, [*FIELDS, "updated_at"])
            changed = []
    gone = [pk for pk, _hash in stored.values()]
    for start in range(0, len(gone), BATCH):
        Commitment.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    if new:
        Commitment.objects.bulk_create(new)
    if changed:
        Commitment.objects.bulk_update(changed, [*FIELDS, "updated_at"])
    return total
