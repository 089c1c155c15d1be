"""Derive the commitments from the published records and their history: a draft promise
is not public until a reviewer publishes it.

* ``commitments_update(changed)``: at the commit of a change (``stats.triggers``), only the
  commitments of the changed records and of the records that read them (``scopes.py``);
* ``commitments_refresh()``: the whole table, after a bulk load and once a day;
* ``commitment_statuses_refresh()``: each status for today, one UPDATE (a status moves
  with the date alone: due this year, then overdue).

Both derivations run a fixed number of queries (two per kind of record in play: its rows,
and their first citations), read as rows (``values()``), streamed; then only the
difference is written (new commitments inserted, changed ones updated, gone ones deleted,
matched by slug), so an edit writes a row or two.
"""

import datetime
import functools
import operator

from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from oncoregistry.core.meta import default_manager, options

from .kinds import CHUNK, KINDS
from .models import Commitment, CommitmentStatus, commitment_status, due_by
from .scopes import scope

#: What a commitment is made of: every field derived from the records, compared to tell a
#: changed commitment from an unchanged one (``status_on``, ``created_at`` and
#: ``updated_at`` are the writer's own).
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
    "record_id",
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
#: Records changed by one transaction above which the whole table is derived again: one
#: query per kind either way, but a scope of thousands of ids costs more than the table.
INCREMENTAL_LIMIT = 500
#: The PostgreSQL advisory lock (a transaction's) held while commitments are written.
WRITER_LOCK = 0x636F6D6D69746D


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
        values = {**defaults, **kind.shape(row), "record_type": record_type, "record_id": row["pk"]}
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


def field_defaults():
    """Each of FIELDS's default, under what a kind's row does not set."""
    meta = options(Commitment)
    return {field: meta.get_field(field).get_default() for field in FIELDS}


def commitments_compute(*, today=None):
    """Every commitment the published records state, with its status for ``today``, as
    ``(slug, (value of each of FIELDS))``, one at a time; writes nothing."""
    today = today or timezone.localdate()
    defaults = field_defaults()
    for kind in KINDS:
        yield from _commitments_of(kind(), today=today, defaults=defaults)


def _stored(commitments):
    """``{slug: (pk, hash of the values of FIELDS)}`` of these stored commitments."""
    return {
        row[1]: (row[0], hash(row[2:]))
        for row in commitments.order_by()
        .values_list("pk", "slug", *FIELDS)
        .iterator(chunk_size=CHUNK)
    }


def _write_difference(stored, computed, *, today):
    """Write what differs between ``stored`` (``_stored()``) and ``computed`` (``(slug,
    values)``): new commitments inserted, changed ones updated, the stored ones not computed
    deleted. Returns how many were computed."""
    now = timezone.now()
    total, new, changed = 0, [], []
    for slug, values in computed:
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
    # Gone first: a record whose slug changed frees its old commitment's slug.
    gone = [pk for pk, _hash in stored.values()]
    for start in range(0, len(gone), BATCH):
        Commitment.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    if new:
        Commitment.objects.bulk_create(new)
    if changed:
        Commitment.objects.bulk_update(changed, [*FIELDS, "updated_at"])
    return total


def _one_writer_at_a_time():
    """On PostgreSQL, wait for any other transaction deriving commitments to end (a lock
    released with this transaction): two commits' updates of the same record then run one
    after the other, the later reading the later data. SQLite serialises writers itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])


@transaction.atomic
def commitments_refresh(*, today=None):
    """Make the table hold the commitments the records state today, writing only the
    difference: returns how many there are.

    Each stored commitment is matched by slug and compared field by field (through the
    hash of its values: a change goes unnoticed only if two 64-bit hashes collide); only
    new, changed and gone commitments are written, so that the table, its ``created_at``
    and ``updated_at`` say when each commitment appeared and last changed."""
    today = today or timezone.localdate()
    _one_writer_at_a_time()
    # The day every status is computed for: one statement, and nothing else to write on
    # the first refresh of a day unless a status changes.
    Commitment.objects.exclude(status_on=today).update(status_on=today)
    stored = _stored(Commitment.objects.all())
    return _write_difference(stored, commitments_compute(today=today), today=today)


@transaction.atomic
def commitments_update(changed, *, today=None):
    """Bring up to date the commitments that ``changed`` (``{model: record pks}``, the
    records saved or deleted by a transaction) can change: those the changed records state
    and those of the records that read them (``scopes.py``). A record deleted, or no longer
    stating a commitment, loses it. More than ``INCREMENTAL_LIMIT`` records: the whole
    table instead (``commitments_refresh``). Returns how many commitments were derived."""
    if sum(len(pks) for pks in changed.values()) > INCREMENTAL_LIMIT:
        return commitments_refresh(today=today)
    today = today or timezone.localdate()
    defaults = field_defaults()
    computed, mine = [], None
    for make in KINDS:
        kind = make()
        selected = scope(kind.model, changed)
        if selected is None:
            continue
        kind.records = kind.records.filter(selected)
        computed += _commitments_of(kind, today=today, defaults=defaults)
        # Its stored commitments: of the records in scope, and of the changed ones deleted.
        kind_meta = options(kind.model)
        records = default_manager(kind.model).filter(selected).values("pk")
        theirs = Q(record_type=kind_meta.label_lower) & (
            Q(record_id__in=records) | Q(record_id__in=changed.get(kind.model, ()))
        )
        mine = theirs if mine is None else mine | theirs
    if mine is None:
        return 0
    _one_writer_at_a_time()
    # And any stored under a slug derived now (one stored before it had a record id).
    stored = _stored(Commitment.objects.filter(mine | Q(slug__in=[s for s, _v in computed])))
    return _write_difference(stored, computed, today=today)


def commitment_statuses_refresh(*, today=None):
    """Each status for ``today``, where it was computed for an earlier day: one UPDATE
    (``commitment_status`` in SQL), which touches no row twice on the same day. Returns how
    many rows moved to today."""
    today = today or timezone.localdate()
    status = Case(
        When(delivered_on__isnull=False, then=Value(CommitmentStatus.DELIVERED)),
        When(due_by__isnull=True, then=Value(CommitmentStatus.NO_DATE)),
        When(due_by__lt=today, then=Value(CommitmentStatus.OVERDUE)),
        When(
            due_by__lte=datetime.date(today.year, 12, 31),
            then=Value(CommitmentStatus.DUE_THIS_YEAR),
        ),
        default=Value(CommitmentStatus.ON_TRACK),
    )
    # ``updated_at`` says when a commitment last changed: only where its status does.
    return Commitment.objects.filter(status_on__lt=today).update(
        status=status,
        status_on=today,
        updated_at=Case(When(status=status, then=F("updated_at")), default=Value(timezone.now())),
    )
