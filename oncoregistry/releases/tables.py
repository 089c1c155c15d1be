"""The tables of a release: one per resource, its columns drawn from the model, flat.

A related record is two columns (``organization``: its slug, ``organization_name``); a
record tied to an organisation also carries that organisation's ``region`` and
``region_name``; a many-to-many field is its slugs joined by ``; ``. Each column's
description in English, Russian and Kazakh comes from the model's own (translated)
field names and help texts.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

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
from oncoregistry.core.visibility import published
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, AgreementParty, FocusArea, Funding
from therapies.models import CancerType, Therapy, TherapyOffering

LANGUAGES = ("en", "ru", "kk")
CHUNK = 2000

#: release file name (without .csv) → model, in the order of the API
MODELS = {
    "regions": Region,
    "organizations": Organization,
    "organization-identifiers": OrganizationIdentifier,
    "equipment": Equipment,
    "metrics": Metric,
    "capacity-figures": CapacityFigure,
    "designations": Designation,
    "therapies": Therapy,
    "cancer-types": CancerType,
    "therapy-offerings": TherapyOffering,
    "agreements": Agreement,
    "agreement-parties": AgreementParty,
    "focus-areas": FocusArea,
    "funding": Funding,
    "sources": Source,
    "citations": Citation,
}


def type_of(model_field):
    if isinstance(model_field, models.DecimalField):
        return "decimal"
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return "integer"
    if isinstance(model_field, models.FloatField):
        return "number"
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, models.DateField):
        return "date"
    if isinstance(model_field, models.BooleanField):
        return "boolean"
    return "text"


@dataclass
class Column:
    name: str
    #: ``values_list`` lookup; None for a many-to-many column (filled separately)
    path: str | None
    kind: str
    #: lazy texts joined into the description (each translated on its own)
    parts: tuple
    many_to_many: str = ""

    def description(self, language):
        with override(language):
            return " — ".join(str(part) for part in self.parts if str(part))


def label_of(model):
    for name in ("name", "title"):
        try:
            options(model).get_field(name)
        except Exception:  # noqa: BLE001 (FieldDoesNotExist: try the next)
            continue
        return name
    return None


@dataclass
class Table:
    name: str
    model: type
    columns: list = field(default_factory=list)

    @property
    def header(self):
        return [column.name for column in self.columns]


def build_table(name, model):
    table = Table(name, model)
    add = table.columns.append
    has_slug = any(f.name == "slug" for f in options(model).concrete_fields)
    for model_field in options(model).concrete_fields:
        if model_field.primary_key and has_slug:
            continue
        parts = (model_field.verbose_name, model_field.help_text)
        if model_field.is_relation:
            related = model_field.related_model
            if options(related).label == "contenttypes.ContentType":
                add(Column("record_type", f"{model_field.name}__model", "text", parts))
                continue
            key = "slug" if any(f.name == "slug" for f in options(related).fields) else "pk"
            add(Column(model_field.name, f"{model_field.name}__{key}", "text", parts))
            if label := label_of(related):
                add(
                    Column(
                        f"{model_field.name}_name",
                        f"{model_field.name}__{label}",
                        "text",
                        (model_field.verbose_name, _("name")),
                    )
                )
            if model_field.name == "organization" and related is Organization:
                region = options(Organization).get_field("region").verbose_name
                add(Column("region", "organization__region__slug", "text", (region,)))
                add(
                    Column("region_name", "organization__region__name", "text", (region, _("name")))
                )
            continue
        add(Column(model_field.name, model_field.attname, type_of(model_field), parts))
    for m2m in options(model).local_many_to_many:
        if options(m2m.remote_field.through).auto_created:
            add(Column(m2m.name, None, "slug list", (m2m.verbose_name,), many_to_many=m2m.name))
    if model is Citation:
        add(Column("record", None, "text", (_("slug"),), many_to_many="record"))
    return table


def tables():
    return [build_table(name, model) for name, model in MODELS.items()]


def many_to_many_values(table, column):
    """``{record id: "slug; slug"}`` for a many-to-many column, in one query."""
    through = options(table.model).get_field(column.many_to_many).remote_field.through
    source = f"{options(table.model).model_name}_id"
    target = next(
        f.name
        for f in options(through).concrete_fields
        if f.is_relation and f.attname != source and f.name != "id"
    )
    found = {}
    rows = through.objects.order_by(source, f"{target}__slug").values_list(
        source, f"{target}__slug"
    )
    for record_id, slug in rows:
        found.setdefault(record_id, []).append(slug)
    return {record_id: "; ".join(slugs) for record_id, slugs in found.items()}


def cited_slugs():
    """``{(content type model, object id): slug}`` of every cited record with a slug."""
    found = {}
    for model in MODELS.values():
        if model is Citation or not any(f.name == "slug" for f in options(model).fields):
            continue
        records = published(model.objects.all()).values_list("pk", "slug")
        for pk, slug in records.iterator(chunk_size=CHUNK):
            found[(options(model).model_name, pk)] = slug
    return found


def rows(table):
    """The table's rows (lists of Python values), published records only, in slug/id order.

    Many-to-many and cited-record columns come after the model's own (``build_table``), so
    a row is the database row followed by them."""
    direct = [column for column in table.columns if column.path]
    assert table.columns[: len(direct)] == direct
    names = [column.name for column in direct]
    extras = []
    for column in table.columns[len(direct) :]:
        if column.many_to_many == "record":
            slugs, kind, record = (
                cited_slugs(),
                names.index("record_type"),
                names.index("object_id"),
            )
            extras.append(
                lambda pk, values, s=slugs, k=kind, r=record: s.get((values[k], values[r]), "")
            )
        else:
            values_of = many_to_many_values(table, column)
            extras.append(lambda pk, values, v=values_of: v.get(pk, ""))
    order = "slug" if "slug" in names else "pk"
    queryset = published(table.model.objects.order_by(order)).values_list(
        "pk", *table_paths(direct)
    )
    for pk, *values in queryset.iterator(chunk_size=CHUNK):
        if extras:
            values.extend(extra(pk, values) for extra in extras)
        yield values


def table_paths(direct):
    return [column.path for column in direct]


def converter(columns, convert, kinds):
    """``row -> row`` applying ``convert`` to the cells of columns of ``kinds`` only."""
    indexes = [i for i, column in enumerate(columns) if column.kind in kinds]

    def apply(row):
        for i in indexes:
            row[i] = convert(row[i])
        return row

    return apply


def json_value(value):
    """A cell as JSON: decimals as numbers without loss (whole ones as integers; a fraction as
    a float only when the float reads back as the same decimal, else as its exact text)."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value.normalize() else str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value
