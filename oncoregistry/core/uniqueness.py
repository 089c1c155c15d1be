"""Natural keys: one record per thing the registry states.

A model lists its :class:`NaturalKey` as ``natural_key_spec`` and puts
``natural_key_spec.constraint()`` in its ``Meta.constraints``. The database refuses a
second record (NULLs and letter case counted as equal, so it holds on SQLite and
PostgreSQL alike); ``clean()`` refuses it first in plain words, naming the record that
already says it, so admin and API can link to it.
"""

import hashlib

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.functions import MD5, Coalesce, Lower
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.meta import default_manager, options

DUPLICATE = "duplicate"


class NaturalKey:
    """The fields that identify a record, and how they compare.

    ``nullable``: fields whose empty value (NULL) counts as a value (no date = no date).
    ``ignore_case``: text compared without letter case ("ProBeam 360" = "Probeam 360").
    ``hashed``: long text compared by its MD5 (a B-tree index entry has a size limit).
    ``label``: the fields in words, for the message ("organisation, metric and date").
    ``api_fields``: the names the API gives these fields (``date_year`` -> ``date``).
    """

    def __init__(
        self, *fields, name, label, nullable=(), ignore_case=(), hashed=(), api_fields=None
    ):
        self.fields = fields
        self.name = name
        self.label = label
        self.nullable = set(nullable)
        self.ignore_case = set(ignore_case)
        self.hashed = set(hashed)
        self.api_fields = list(api_fields or fields)

    def constraint(self):
        if not (self.nullable or self.ignore_case or self.hashed):
            return models.UniqueConstraint(fields=list(self.fields), name=self.name)
        expressions = []
        for field in self.fields:
            if field in self.nullable:
                # NULL never equals NULL in a unique index; 0 is no id, year, month or day.
                expressions.append(
                    Coalesce(field, models.Value(0), output_field=models.BigIntegerField())
                )
            elif field in self.ignore_case:
                expressions.append(Lower(field))
            elif field in self.hashed:
                expressions.append(MD5(field))
            else:
                expressions.append(models.F(field))
        return models.UniqueConstraint(*expressions, name=self.name)

    def value(self, instance):
        """``instance``'s key as the constraint compares it (empty counted as 0, text without
        letter case where it is so compared), or None when a part of it is not filled in."""
        meta = options(instance)
        key = []
        for name in self.fields:
            value = getattr(instance, meta.get_field(name).attname)
            if value is None:
                if name not in self.nullable:
                    return None
                value = 0
            elif name in self.ignore_case and isinstance(value, str):
                value = value.lower()
            key.append(value)
        return tuple(key)

    def lookup(self, instance):
        """The filter that finds another record with ``instance``'s key, or None when a
        part of the key is not filled in yet (the field's own error says so)."""
        meta = options(instance)
        lookup = {}
        for name in self.fields:
            field = meta.get_field(name)
            value = getattr(instance, field.attname)
            if value is None:
                if name not in self.nullable:
                    return None
                lookup[f"{field.attname}__isnull"] = True
            elif name in self.ignore_case:
                lookup[f"{field.attname}__iexact"] = value
            else:
                lookup[field.attname] = value
        return lookup


class KeyIndex:
    """The natural keys of records read at once, so that many records about to be written
    (a spreadsheet's rows) are checked for duplicates without a query each.

    It answers only for keys whose every possible holder it was given: the reader reads all
    the records that share the related records and slugs of the keys it will ask about (the
    import reads them by the file's organisations, metrics…, in one query).
    """

    def __init__(self, spec, records=()):
        self.spec = spec
        self.holders = {}
        for record in records:
            self.add(record)

    def add(self, record):
        key = self.spec.value(record)
        if key is not None:
            self.holders.setdefault(key, []).append(record)

    def find(self, instance):
        """Another record with ``instance``'s key, or None."""
        key = self.spec.value(instance)
        for record in self.holders.get(key, ()) if key is not None else ():
            if instance.pk is None or record.pk != instance.pk:
                return record
        return None


class NaturalKeyModel(models.Model):
    """A model with a natural key (``natural_key_spec``): duplicates refused in ``clean()``
    with the existing record as ``params["existing"]`` of a ``"duplicate"`` error."""

    natural_key_spec: NaturalKey = None
    #: A :class:`KeyIndex` a bulk reader gives this record: ``find_duplicate`` (and so
    #: ``clean()``) answers from it instead of a query. The database's constraint still
    #: refuses a duplicate written between that read and the save.
    key_index: KeyIndex = None

    class Meta:
        abstract = True

    def find_duplicate(self):
        """The record that already has this record's natural key, or None."""
        if self.key_index is not None:
            return self.key_index.find(self)
        lookup = self.natural_key_spec.lookup(self)
        if lookup is None:
            return None
        try:
            others = default_manager(type(self)).filter(**lookup)
            if self.pk is not None:
                others = others.exclude(pk=self.pk)
            return others.first()
        except (TypeError, ValueError, ValidationError):
            return None  # a value that is not yet valid: its field's own error says so

    def duplicate_error(self, existing):
        spec = self.natural_key_spec
        meta = options(type(self))
        message = _(
            "This %(model)s is already in the registry: “%(record)s” has the same "
            "%(fields)s. Edit that record instead of adding another."
        )
        return ValidationError(
            {
                NON_FIELD_ERRORS: ValidationError(
                    message,
                    code=DUPLICATE,
                    params={
                        "model": meta.verbose_name,
                        "record": str(existing),
                        "fields": spec.label,
                        "existing": existing,
                        "api_fields": spec.api_fields,
                    },
                )
            }
        )

    def clean(self):
        super().clean()
        existing = self.find_duplicate()
        if existing is not None:
            raise self.duplicate_error(existing)

    def get_constraints(self):
        # clean() reports a duplicate with the record it duplicates; the constraint's own
        # check would add a second, vaguer message. The database still enforces it.
        name = self.natural_key_spec.name
        return [
            (model, [c for c in constraints if c.name != name])
            for model, constraints in super().get_constraints()
        ]


def duplicates_of(error):
    """``(message, existing record, API field names)`` of each duplicate in a
    ValidationError (model-level errors only)."""
    if not hasattr(error, "error_dict"):
        items = error.error_list
    else:
        items = error.error_dict.get(NON_FIELD_ERRORS, [])
    found = []
    for item in items:
        if item.code == DUPLICATE and item.params and "existing" in item.params:
            message = item.message % item.params
            found.append((message, item.params["existing"], item.params["api_fields"]))
    return found


def refuse_existing_duplicates(app_label, model_name, fields, *, ignore_case=(), hashed=()):
    """A migration step run before a natural key's constraint is added: it lists the
    records that already share a key, in plain words, instead of failing on the index."""

    def check(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        seen, pairs = {}, []
        for pk, *values in model.objects.values_list("pk", *fields).iterator(chunk_size=2000):
            key = []
            for name, value in zip(fields, values, strict=True):
                if name in ignore_case and value is not None:
                    value = value.lower()
                elif name in hashed and value is not None:
                    value = hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()
                key.append(value)
            key = tuple(key)
            if key in seen:
                pairs.append((seen[key], pk))
            else:
                seen[key] = pk
        if pairs:
            listed = ", ".join(f"{first} and {second}" for first, second in pairs[:20])
            raise RuntimeError(
                f"{options(model).verbose_name_plural} with the same {', '.join(fields)} exist "
                f"(ids {listed}{' …' if len(pairs) > 20 else ''}). Merge or delete the "
                "extra records, then run the migration again."
            )

    return check
