"""The change feed: every creation, change and deletion of a published record, in the order
they happened, read from the history every record model keeps.

One query reads a page across every history table (``UNION ALL`` ordered by time, resource
and history id, which is also the cursor); one more per resource with changes on the page
reads the versions before them, to name the fields that changed. A change to a record shown
inside another one's detail (an agreement's parties and focus areas, an organisation's
identifiers) is a change of that record.
"""

import datetime
from dataclasses import dataclass

from django.db.models import CharField, F, IntegerField, Q, Value
from django.db.models.functions import Cast

from centers.models import (
    CapacityFigure,
    Designation,
    Equipment,
    Metric,
    Organization,
    OrganizationIdentifier,
    Region,
)
from oncoregistry.core.meta import options
from oncoregistry.core.visibility import published_history
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, AgreementParty, FocusArea, Funding
from therapies.models import CancerType, Therapy, TherapyOffering

#: API route → model (the records the feed reports, by the route that serves them).
RESOURCES = {
    "regions": Region,
    "organizations": Organization,
    "equipment": Equipment,
    "metrics": Metric,
    "capacity-figures": CapacityFigure,
    "designations": Designation,
    "therapies": Therapy,
    "cancer-types": CancerType,
    "therapy-offerings": TherapyOffering,
    "agreements": Agreement,
    "funding": Funding,
    "sources": Source,
    "citations": Citation,
}
#: records shown inside a parent's detail: model → (parent route, the parent's FK, field)
NESTED = {
    "agreement-parties": (AgreementParty, "agreements", "agreement", "parties"),
    "focus-areas": (FocusArea, "agreements", "agreement", "focus_areas"),
    "organization-identifiers": (
        OrganizationIdentifier,
        "organizations",
        "organization",
        "identifiers",
    ),
}
KINDS = {"+": "created", "~": "changed", "-": "deleted"}
#: columns that change with every save and say nothing about the record (derived ones,
#: not editable, are left out too)
UNTRACKED = {"updated_at", "created_at", "date"}


@dataclass(frozen=True)
class Cursor:
    time: datetime.datetime
    source: int
    history_id: int


@dataclass
class Change:
    kind: str
    resource: str
    slug: str | None
    id: int
    time: datetime.datetime
    fields: list
    source: int
    history_id: int

    @property
    def cursor(self):
        return Cursor(self.time, self.source, self.history_id)


def sources():
    """``[(name, model, resource, parent FK)]`` of every history table the feed reads; its
    position orders rows of one instant (a number: collations order names differently)."""
    found = [(route, model, route, None) for route, model in RESOURCES.items()]
    found += [(name, model, route, parent) for name, (model, route, parent, _f) in NESTED.items()]
    return found


def after(cursor, source):
    """History rows after ``cursor`` in (time, source, history id) order, for one source."""
    if cursor is None:
        return Q()
    if source > cursor.source:
        return Q(history_date__gte=cursor.time)
    if source == cursor.source:
        return Q(history_date__gt=cursor.time) | Q(
            history_date=cursor.time, history_id__gt=cursor.history_id
        )
    return Q(history_date__gt=cursor.time)


def page_rows(*, since, cursor, size, resources=None):
    """At most ``size`` rows after ``since`` and ``cursor``, as plain tuples, in order."""
    parts = []
    for position, (_name, model, route, parent) in enumerate(sources()):
        if resources and route not in resources:
            continue
        rows = published_history(model.history.order_by())
        if since is not None:
            rows = rows.filter(history_date__gte=since)
        rows = rows.filter(after(cursor, position))
        if parent is None:
            slug = Cast("id", CharField()) if model is Citation else F("slug")
            record_id = F("id")
            kind = F("history_type")
        else:
            slug = F(f"{parent}__slug")
            record_id = F(f"{parent}_id")
            kind = Value("~")  # a nested record's change changes its parent
        parts.append(
            rows.annotate(
                feed_source=Value(position, output_field=IntegerField()),
                feed_slug=slug,
                feed_id=Cast(record_id, IntegerField()),
                feed_kind=Cast(kind, CharField()),
            ).values_list(
                "history_date", "feed_source", "history_id", "feed_kind", "feed_slug", "feed_id"
            )
        )
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return list(union.order_by("history_date", "feed_source", "history_id")[:size])


def tracked_fields(model):
    return [
        field.attname
        for field in options(model).concrete_fields
        if field.editable and field.attname not in UNTRACKED and not field.primary_key
    ]


def changed_fields(rows):
    """For each changed row, the names of the fields its version changed: one query per
    source with changes, reading the versions just before them."""
    by_source = {}
    for row in rows:
        if row[3] == "~" and sources()[row[1]][3] is None:
            by_source.setdefault(row[1], []).append(row)
    found = {}
    for name, changed in by_source.items():
        model = sources()[name][1]
        fields = tracked_fields(model)
        ids = {row[5] for row in changed}
        newest = max(row[2] for row in changed)
        versions = {}
        history = model.history.filter(id__in=ids, history_id__lte=newest).order_by("history_id")
        for version in history.values("id", "history_id", *fields):
            versions.setdefault(version["id"], []).append(version)
        for row in changed:
            chain = versions.get(row[5], [])
            position = next((i for i, v in enumerate(chain) if v["history_id"] == row[2]), None)
            if not position:
                found[(name, row[2])] = []
                continue
            before, now = chain[position - 1], chain[position]
            found[(name, row[2])] = [
                field.removesuffix("_id") if field.endswith("_id") else field
                for field in fields
                if before[field] != now[field]
            ]
    return found


def change_feed(*, since=None, cursor=None, size=100, resources=None):
    """A page of changes and whether more follow."""
    rows = page_rows(since=since, cursor=cursor, size=size + 1, resources=resources)
    more = len(rows) > size
    rows = rows[:size]
    fields = changed_fields(rows)
    changes = []
    every = sources()
    for time, position, history_id, kind, slug, record_id in rows:
        name, _model, route, parent = every[position]
        if parent is not None:
            changed = [NESTED[name][3]]
        else:
            changed = fields.get((position, history_id), [])
        changes.append(
            Change(KINDS[kind], route, slug, record_id, time, changed, position, history_id)
        )
    return changes, more
