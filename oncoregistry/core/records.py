"""The write step every app's services share: set fields, ``full_clean``, save, set M2M;
and the record's version, which a writer names to say which state its change is based on."""

import datetime
import operator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.meta import default_manager, options, set_change_reason

from .uniqueness import NaturalKeyModel


class StaleRecordError(Exception):
    """The record was saved by someone else after the writer read it."""

    def __init__(self, record):
        self.record = record
        self.version = record_version(record)
        self.changed_by, self.changed_at = last_change(record)
        super().__init__(stale_message(record, self.changed_by, self.changed_at))


def record_version(record):
    """The record's own version: its id and the moment of its last save (``updated_at``).
    Every save changes it; it does not depend on who reads it or in which language."""
    stamp = record.updated_at.astimezone(datetime.UTC)
    return f"{record.pk}-{stamp:%Y%m%d%H%M%S%f}"


def last_change(record):
    """``(user name or None, when)`` of the newest entry in the record's history."""
    entry = record.history.select_related("history_user").first()
    if entry is None:
        return None, record.updated_at
    user = entry.history_user
    return (user.get_username() if user is not None else None), entry.history_date


def stale_message(record, changed_by, changed_at):
    who = changed_by or _("someone without an account (an import or a script)")
    return _(
        "This %(model)s was changed by %(who)s at %(when)s, after you read it. Read it "
        "again and apply your change to the current version."
    ) % {
        "model": options(record).verbose_name,
        "who": who,
        "when": changed_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }


def record_lock(record, *, expected_version=None):
    """Lock ``record``'s row until the transaction ends and reload it, so a change is
    applied to (and validated against) what is saved now, not what was read before.
    Raises :class:`StaleRecordError` when ``expected_version`` is not the current one."""
    manager = default_manager(type(record))
    record.refresh_from_db(from_queryset=manager.select_for_update())
    if expected_version is not None and record_version(record) != expected_version:
        raise StaleRecordError(record)
    return record


@transaction.atomic
def record_save(instance, fields, *, reason="", expected_version=None, known=None):
    """Apply ``fields`` to ``instance``, validate it as the model does, and save it with
    ``reason`` in its history.

    A change to a saved record locks and reloads it first and writes only the fields it
    sets (with ``updated_at``): two editors changing different fields both keep theirs.
    Many-to-many values are set after the save (the record needs its id first).
    Raises django's ``ValidationError`` naming the fields at fault (a duplicate names the
    record it duplicates), or :class:`StaleRecordError`.

    ``known`` (a writer of many records, e.g. a confirmed import): the rules are checked by
    :func:`record_check` with what it read once instead of a query each; the database's
    constraints still refuse what was written by someone else since that read.
    """
    update_fields = None
    if instance.pk is not None:
        record_lock(instance, expected_version=expected_version)
        update_fields = {"updated_at"}
    many_to_many = {}
    for name, value in fields.items():
        field = options(instance).get_field(name)
        if field.many_to_many:
            many_to_many[name] = value
        else:
            setattr(instance, name, value)
            if update_fields is not None:
                update_fields.add(field.name)
    if known is None:
        instance.full_clean()
    else:
        record_check(instance, known=known)
    set_change_reason(instance, reason or None)
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError:
        # Another writer saved the same record between our check and our save.
        existing = instance.find_duplicate() if isinstance(instance, NaturalKeyModel) else None
        if existing is None:
            raise
        raise instance.duplicate_error(existing) from None
    for name, value in many_to_many.items():
        getattr(instance, name).set(value)
    return instance


# --- The same rules, checked from what a bulk writer read once ----------------------------


class Known:
    """What a writer of many records read once, in bulk, to check each without a query:

    * ``related``: ``{model: {pk, …}}``, records known to exist (a foreign key to one of them
      needs no look-up);
    * ``unique``: ``{field name: {value: pk}}``, who holds each value of a unique field the
      records may take (every holder of those values; a value absent is free);
    * ``keys``: a :class:`~oncoregistry.core.uniqueness.KeyIndex` of the natural keys.
    """

    def __init__(self, related=None, unique=None, keys=None):
        self.related = related or {}
        self.unique = unique or {}
        self.keys = keys


class NotEvaluable(Exception):
    """A CHECK condition this module cannot evaluate in Python (the database must)."""


COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def lookup_value(instance, lookup, wanted):
    """SQL's three-valued answer (True, False, None for NULL) of one ``field__lookup``."""
    name, _sep, kind = lookup.partition(LOOKUP_SEP)
    kind = kind or "exact"
    if LOOKUP_SEP in kind or hasattr(wanted, "resolve_expression"):
        raise NotEvaluable(lookup)
    field = options(instance).get_field(name)
    if not field.concrete:
        raise NotEvaluable(lookup)
    value = getattr(instance, field.attname)
    if kind == "isnull":
        return (value is None) == bool(wanted)
    if kind == "exact" and wanted is None:
        return value is None
    if value is None:
        return None
    try:
        if kind == "in":
            return value in list(wanted)
        if kind in COMPARISONS:
            if kind != "exact" and isinstance(value, str):
                # Text orders by the database's collation, not Python's: ask it.
                raise NotEvaluable(lookup)
            return COMPARISONS[kind](value, wanted)
    except TypeError:
        raise NotEvaluable(lookup) from None
    raise NotEvaluable(lookup)


def condition_value(condition, instance):
    """SQL's three-valued answer of a ``Q`` of lookups on ``instance``'s own fields."""
    if not isinstance(condition, models.Q) or condition.connector not in (
        models.Q.AND,
        models.Q.OR,
    ):
        raise NotEvaluable(condition)
    values = []
    for child in condition.children:
        if isinstance(child, models.Q):
            values.append(condition_value(child, instance))
        elif isinstance(child, tuple) and len(child) == 2:
            values.append(lookup_value(instance, *child))
        else:
            raise NotEvaluable(child)
    if condition.connector == models.Q.AND:
        result = False if False in values else (None if None in values else True)
    else:
        result = True if True in values else (None if None in values else False)
    if condition.negated and result is not None:
        result = not result
    return result


def condition_fields(condition):
    """The names of the fields a ``Q``'s lookups read."""
    names = set()
    for child in condition.children:
        if isinstance(child, models.Q):
            names |= condition_fields(child)
        elif isinstance(child, tuple):
            names.add(child[0].split(LOOKUP_SEP)[0])
    return names


def known_to_exist(field, instance, known):
    value = getattr(instance, field.attname)
    return (
        field.many_to_one
        and value is not None
        and not field.remote_field.limit_choices_to
        and value in known.related.get(field.related_model, ())
    )


def record_check(instance, *, exclude=(), known=None):
    """Raise the ``ValidationError`` ``instance.full_clean(exclude=exclude)`` would raise,
    asking the database only what ``known`` does not answer.

    The same steps in the same order: fields (a foreign key to a record in
    ``known.related`` is not looked up), the model's ``clean()`` (its natural key answered
    by ``known.keys``), unique fields (by ``known.unique``), constraints (a CHECK whose
    condition is a ``Q`` of plain lookups on the record's own fields evaluated in Python,
    NULL passing as in the database; any other constraint asked of the database).
    """
    known = known or Known()
    exclude = set(exclude)
    meta = options(instance)
    errors = {}
    skipped = {
        f.name
        for f in meta.concrete_fields
        if f.name not in exclude and known_to_exist(f, instance, known)
    }
    try:
        instance.clean_fields(exclude=exclude | skipped)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    natural = isinstance(instance, NaturalKeyModel) and known.keys is not None
    if natural:
        index, instance.key_index = instance.key_index, known.keys
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    finally:
        if natural:
            instance.key_index = index
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    answered = set()
    for field in meta.concrete_fields:
        if not field.unique or field.primary_key or field.name not in known.unique:
            continue
        answered.add(field.name)
        value = getattr(instance, field.attname)
        holder = known.unique[field.name].get(value)
        if field.name not in exclude and value is not None and holder not in (None, instance.pk):
            errors.setdefault(field.name, []).append(
                instance.unique_error_message(type(instance), (field.name,))
            )
    try:
        # What ``known`` does not answer (another unique field, unique_together), as Django
        # checks it: nothing is asked when nothing is left.
        instance.validate_unique(exclude=exclude | answered)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                check_constraint(constraint, model, instance, exclude)
            except ValidationError as error:
                fields = getattr(constraint, "fields", ())
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def check_constraint(constraint, model, instance, exclude):
    condition = getattr(constraint, "condition", None)
    if isinstance(constraint, models.CheckConstraint) and isinstance(condition, models.Q):
        if condition_fields(condition) & exclude:
            return  # as Django: a constraint on a field already refused is not checked
        try:
            holds = condition_value(condition, instance) is not False
        except NotEvaluable:
            pass
        else:
            if not holds:
                raise ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
            return
    constraint.validate(model, instance, exclude=exclude)
