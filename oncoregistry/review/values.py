"""What a proposed change holds: field values as JSON (relations by primary key, dates in
ISO form) and back, a change checked on a copy of the record, and citations checked
against their sources' text and written as JSON."""

import copy
import datetime
import decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.records import (
    record_check,
)
from oncoregistry.sources.models import Source

# --- Values as JSON -------------------------------------------------------------------


def json_value(field, value):
    """A field's value as JSON keeps it: relations by primary key, dates in ISO form."""
    if field.many_to_many:
        return sorted(getattr(item, "pk", item) for item in (value or []))
    if field.is_relation:
        return getattr(value, "pk", value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return value


def current_value(record, field):
    if field.many_to_many:
        return sorted(getattr(record, field.name).values_list("pk", flat=True))
    return json_value(field, field.value_from_object(record))


def field_of(record, name):
    field = options(record).get_field(name)
    if field.auto_created or not (field.concrete or field.many_to_many):
        raise ValidationError({name: _("This field cannot be changed.")})
    return field


def changed_values(record, fields):
    """``{name: JSON value}`` of the ``fields`` whose value differs from ``record``'s."""
    changes = {}
    for name, value in fields.items():
        field = field_of(record, name)
        proposed = json_value(field, value)
        if proposed != current_value(record, field):
            changes[field.name] = proposed
    return changes


def stored_values(record, changes):
    """``changes`` as :func:`record_save` takes them (relations by their ``_id`` column)."""
    fields = {}
    for name, value in changes.items():
        field = options(record).get_field(name)
        if field.many_to_many:
            fields[name] = value
        elif field.is_relation:
            fields[field.attname] = value
        else:
            fields[name] = field.to_python(value)
    return fields


def validate_on_copy(record, changes, known=None):
    """The change applied to an unsaved copy of ``record`` and validated as a save would be,
    so the editor learns of an error when proposing, not when a reviewer approves."""
    trial = copy.copy(record)
    many_to_many = {}
    for name, value in stored_values(record, changes).items():
        field = options(record).get_field(name)
        if field.many_to_many:
            many_to_many[name] = value
        else:
            setattr(trial, name, value)
    if known is None:
        trial.full_clean()
    else:
        record_check(trial, known=known)
    for name, pks in many_to_many.items():
        model = options(record).get_field(name).related_model
        known = default_manager(model).filter(pk__in=pks).values_list("pk", flat=True)
        missing = set(pks) - set(known)
        if missing:
            raise ValidationError({name: _("No such record: %(ids)s.") % {"ids": sorted(missing)}})


# --- Citations --------------------------------------------------------------------------


def citation_values(citations):
    """``[{source, quote, field_name, note}]`` with each source as a record, each quote
    checked against its source's text."""
    found, problems = [], []
    for index, given in enumerate(citations or []):
        source = given.get("source")
        if not isinstance(source, Source):
            source = Source.objects.filter(pk=source).first()
        quote = (given.get("quote") or "").strip()
        if source is None:
            problems.append(_("#%(n)s: no such source.") % {"n": index + 1})
        elif not quote:
            problems.append(_("#%(n)s: a citation needs a quote.") % {"n": index + 1})
        elif not source.is_dataset and quote not in source.text:
            problems.append(
                _(
                    "#%(n)s: the quote does not appear in the source '%(source)s'; copy the "
                    "passage exactly as it is written there."
                )
                % {"n": index + 1, "source": source.title}
            )
        else:
            found.append(
                {
                    "source": source,
                    "quote": quote,
                    "field_name": given.get("field_name") or given.get("field") or "",
                    "note": given.get("note") or "",
                }
            )
    if problems:
        raise ValidationError({"citations": problems})
    return found


def citation_json(citations):
    """Checked citations as a proposal keeps them (the source by its id)."""
    return [
        {
            "source": c["source"].pk,
            "quote": c["quote"],
            "field_name": c["field_name"],
            "note": c["note"],
        }
        for c in citations
    ]
