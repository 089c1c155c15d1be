"""A proposed change as a reviewer reads it: field by field, the published value beside the
proposed one, in words (a related record by its name, a choice by its label)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from oncoregistry.core.meta import default_manager, options
from oncoregistry.sources.models import Source

from .values import stored_values

EMPTY = "—"


@dataclass
class FieldChange:
    name: str
    label: str
    published: str
    proposed: str


def in_words(field, value):
    """A stored value as people read it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def related_names(field, pks):
    """``{pk: name}`` of the related records in one query."""
    model = field.related_model
    return {pk: str(record) for pk, record in default_manager(model).in_bulk(pks).items()}


def field_changes(change):
    """The rows of the review screen, in the record's field order."""
    record = change.record
    opts = options(record)
    proposed = stored_values(record, change.changes)
    order = {f.name: i for i, f in enumerate([*opts.concrete_fields, *opts.many_to_many])}
    rows = []
    for name in sorted(change.changes, key=lambda n: order.get(n, len(order))):
        field = opts.get_field(name)
        label = str(field.verbose_name).capitalize()
        if field.many_to_many:
            current = list(getattr(record, name).all())
            names = related_names(field, change.changes[name])
            rows.append(
                FieldChange(
                    name,
                    label,
                    ", ".join(str(r) for r in current) or EMPTY,
                    ", ".join(names.get(pk, str(pk)) for pk in change.changes[name]) or EMPTY,
                )
            )
        elif field.is_relation:
            pk = change.changes[name]
            new = related_names(field, [pk]).get(pk) if pk is not None else None
            rows.append(
                FieldChange(name, label, in_words(field, getattr(record, name)), new or EMPTY)
            )
        else:
            rows.append(
                FieldChange(
                    name,
                    label,
                    in_words(field, getattr(record, name)),
                    in_words(field, proposed[name]),
                )
            )
    return rows


def proposed_citations(change):
    """The citations the change would add, each with its source (one query)."""
    sources = Source.objects.in_bulk([c["source"] for c in change.citations])
    return [
        {**citation, "source": sources.get(citation["source"])} for citation in change.citations
    ]
