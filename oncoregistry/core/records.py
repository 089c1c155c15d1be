"""The write step every app's services share: set fields, ``full_clean``, save, set M2M;
and the record's version, which a writer names to say which state its change is based on."""

import datetime

from django.db import IntegrityError, transaction
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
def record_save(instance, fields, *, reason="", expected_version=None):
    """Apply ``fields`` to ``instance``, validate it as the model does, and save it with
    ``reason`` in its history.

    A change to a saved record locks and reloads it first and writes only the fields it
    sets (with ``updated_at``): two editors changing different fields both keep theirs.
    Many-to-many values are set after the save (the record needs its id first).
    Raises django's ``ValidationError`` naming the fields at fault (a duplicate names the
    record it duplicates), or :class:`StaleRecordError`.
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
    instance.full_clean()
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
