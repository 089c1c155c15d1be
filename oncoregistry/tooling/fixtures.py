"""Load the registry's JSON fixtures: natural keys, atomic, idempotent.

A fixture file is a JSON list of records::

    {"model": "centers.organization", "slug": "nsoc",
     "fields": {"name": "...", "region": "astana", "parent": null},
     "citations": [{"source": "astana-times-...", "quote": "...", "field": "", "note": ""}]}

Foreign keys and many-to-many fields name their targets by slug. Models without
a slug are keyed by the fields in ``NATURAL_KEYS``. Every record goes through
``full_clean()``, so a fixture obeys the same rules as the admin and the API.
Loading the same files twice changes nothing: unchanged records are not saved
again and no history is written for them. The fixtures are the registry's reviewed seed
(every record checked against its article by the seed tests), so records and their
citations load as published; sources are published with the records that cite them.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction

from oncoregistry.core.meta import default_manager, options, set_change_reason
from oncoregistry.core.records import record_save

NATURAL_KEYS = {
    "partnerships.agreementparty": ("agreement", "organization", "role"),
    "partnerships.focusarea": ("agreement", "order"),
    "centers.organizationidentifier": ("system", "value"),
}

CHANGE_REASON = "Loaded from fixtures"
PUBLISHED = "published"


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message names the file, record and field."""


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: int = 0
    citations_created: int = 0

    def count(self, bucket, label):
        bucket[label] = bucket.get(label, 0) + 1

    @property
    def changed(self):
        return bool(self.created or self.updated or self.citations_created)

    def summary(self):
        created = sum(self.created.values())
        updated = sum(self.updated.values())
        return (
            f"{created} created, {updated} updated, {self.unchanged} unchanged, "
            f"{self.citations_created} citations added"
        )


def _slug_lookup(model, value, where, cache=None):
    if value is None:
        return None
    if cache is not None and (model, value) in cache:
        return cache[model, value]
    try:
        obj = default_manager(model).get(slug=value)
    except ObjectDoesNotExist:
        raise FixtureError(
            f"{where}: refers to {options(model).label_lower} '{value}', which does not exist. "
            "Define it earlier in the fixtures or correct the slug."
        ) from None
    if cache is not None:
        cache[model, value] = obj
    return obj


def _resolve(model, raw_fields, where, cache):
    """Turn slugs into objects; returns (plain field values, many-to-many slugs)."""
    values, many = {}, {}
    for name, raw in raw_fields.items():
        try:
            model_field = options(model).get_field(name)
        except Exception:
            label = options(model).label_lower
            raise FixtureError(f"{where}: {label} has no field '{name}'.") from None
        if model_field.many_to_many:
            if not isinstance(raw, list):
                raise FixtureError(f"{where}: '{name}' must be a list of slugs.")
            many[name] = [
                _slug_lookup(model_field.related_model, slug, f"{where}, field '{name}'", cache)
                for slug in raw
            ]
        elif isinstance(model_field, models.ForeignKey):
            values[name] = _slug_lookup(
                model_field.related_model, raw, f"{where}, field '{name}'", cache
            )
        else:
            values[name] = raw
    return values, many


def _find_existing(model, spec, values, where):
    label = options(model).label_lower
    if label in NATURAL_KEYS:
        lookup = {}
        for key in NATURAL_KEYS[label]:
            if key not in values:
                raise FixtureError(f"{where}: {label} needs '{key}' to identify it.")
            lookup[key] = values[key]
        return default_manager(model).filter(**lookup).first(), lookup
    slug = spec.get("slug")
    if not slug:
        raise FixtureError(f"{where}: {label} records need a 'slug'.")
    return default_manager(model).filter(slug=slug).first(), {"slug": slug}


def _field_differs(obj, name, value):
    current = getattr(obj, name)
    model_field = options(obj).get_field(name)
    if isinstance(model_field, models.ForeignKey):
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    if value is not None and not isinstance(current, type(value)):
        value = model_field.to_python(value)
    return current != value


def _load_record(spec, where, report, cache):
    try:
        model = apps.get_model(spec["model"])
    except (KeyError, LookupError, ValueError):
        raise FixtureError(f"{where}: unknown or missing model '{spec.get('model')}'.") from None
    values, many = _resolve(model, spec.get("fields", {}), where, cache)
    obj, lookup = _find_existing(model, spec, values, where)
    label = options(model).label_lower
    values["publication_state"] = PUBLISHED
    if obj is None:
        obj = model(**lookup)
        changed_fields, bucket = list(values), report.created
    else:
        changed_fields = [n for n, v in values.items() if _field_differs(obj, n, v)]
        bucket = report.updated
    changed = bool(changed_fields)
    if changed:
        try:
            record_save(obj, {n: values[n] for n in changed_fields}, reason=CHANGE_REASON)
        except ValidationError as error:
            raise FixtureError(
                f"{where}: {label} '{lookup}' is invalid: {error.message_dict}"
            ) from None
    m2m_changed = False
    for name, targets in many.items():
        manager = getattr(obj, name)
        if {t.pk for t in manager.all()} != {t.pk for t in targets}:
            manager.set(targets)
            m2m_changed = True
    if changed or m2m_changed:
        report.count(bucket, label)
    else:
        report.unchanged += 1
    if "slug" in lookup:
        cache[model, lookup["slug"]] = obj
    _load_citations(obj, spec.get("citations", []), where, report, cache)
    return obj


def _load_citations(obj, citations, where, report, cache):
    if not citations:
        return
    Citation = apps.get_model("sources", "Citation")
    Source = apps.get_model("sources", "Source")
    content_type = ContentType.objects.get_for_model(obj)
    existing = {
        (c.source_id, c.quote, c.field_name): c
        for c in Citation.objects.filter(content_type=content_type, object_id=obj.pk)
    }
    for number, cited in enumerate(citations, start=1):
        cite_where = f"{where}, citation {number}"
        source = _slug_lookup(Source, cited.get("source"), cite_where, cache)
        quote = cited.get("quote", "")
        field_name = cited.get("field", "")
        note = cited.get("note", "")
        citation = existing.get((source.pk, quote, field_name))
        if citation is not None:
            if citation.note != note or citation.publication_state != PUBLISHED:
                citation.note = note
                citation.publication_state = PUBLISHED
                set_change_reason(citation, CHANGE_REASON)
                citation.save()
            continue
        citation = Citation(
            source=source,
            content_type=content_type,
            object_id=obj.pk,
            quote=quote,
            field_name=field_name,
            note=note,
            publication_state=PUBLISHED,
        )
        try:
            # The source and record were just resolved: only the values and the
            # verbatim-quote rule need checking, which skips two lookups per citation.
            citation.clean_fields(exclude=["source", "content_type"])
            citation.clean()
        except ValidationError as error:
            messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
            raise FixtureError(f"{cite_where}: {messages}") from None
        set_change_reason(citation, CHANGE_REASON)
        citation.save()
        report.citations_created += 1


def read_fixture_file(path):
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise FixtureError(f"{path.name}: not valid JSON ({error}).") from None
    if not isinstance(data, list):
        raise FixtureError(f"{path.name}: a fixture file holds a JSON list of records.")
    return data


def default_fixture_paths():
    from django.conf import settings

    return sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))


@transaction.atomic
def load_fixture_files(paths=None):
    """Load fixture files in name order, all or nothing."""
    report = LoadReport()
    cache = {}
    for path in paths or default_fixture_paths():
        for index, spec in enumerate(read_fixture_file(path), start=1):
            if not isinstance(spec, dict):
                raise FixtureError(f"{Path(path).name}, record {index}: a record is a JSON object.")
            key = spec.get("slug") or spec.get("fields", {})
            _load_record(spec, f"{Path(path).name}, record {index} ({key})", report, cache)
    return report
