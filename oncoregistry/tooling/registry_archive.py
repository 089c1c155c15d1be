"""The registry as a portable archive: export it, restore it exactly into an empty database.

An archive is a zip file::

    manifest.json                 format, when, from which database, rows per table
    groups.json                   the permission groups (names and permissions, no members)
    data/<app_label>.<model>.json one file per table: {"fields": [...], "rows": [[...], ...]}

It holds every table of the registry's apps (records, many-to-many links,
citations, the simple_history rows of every change and the statistics
snapshots). Primary keys are kept, so generic relations (citations) and
history stay attached to their records. References to tables every migrated
database already has (content types, permissions, groups) are written by
natural key and looked up again on import, because their ids differ between
databases.  Values are written as text where JSON has no type for them
(decimals, dates), so nothing is rounded.

No credentials: user accounts, password hashes, API tokens, sessions, login attempts
and the admin's own log are never written. A reference to a user (who made a change
in the history) is written as the username only; on import it is linked to the account
of that username in the target database, or left empty when there is none (create the
accounts first to keep them linked).

The import (``registry_restore.py``) is one transaction and refuses a database that
already holds any registry data, so it never merges two registries by accident.
"""

import datetime
import decimal
import io
import json
import uuid
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from oncoregistry.core.meta import base_manager, default_manager, options

FORMAT = "oncoregistry-archive"
FORMAT_VERSION = 1
REGISTRY_APPS = ["sources", "centers", "therapies", "partnerships", "stats"]
BATCH_SIZE = 500


class ArchiveError(Exception):
    """An archive that cannot be written or restored; the message says what to do."""


def user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


def archived_models():
    """Every table the archive holds (the registry apps' own: no accounts), in an order where
    references come first.

    Foreign keys are deferred to the end of the transaction on PostgreSQL and
    SQLite, so the order is only for readability of the archive.
    """
    tables = []
    for label in REGISTRY_APPS:
        config = apps.get_app_config(label)
        tables += [
            model
            for model in config.get_models(include_auto_created=True)
            if not options(model).proxy and options(model).managed
        ]
    return tables


# References to tables that migrations create in every database: written by natural key.
def _content_type_key(pk, cache):
    if pk not in cache:
        ct = ContentType.objects.get(pk=pk)
        cache[pk] = [ct.app_label, ct.model]
    return cache[pk]


def _permission_key(pk, cache):
    if pk not in cache:
        perm = Permission.objects.select_related("content_type").get(pk=pk)
        cache[pk] = [perm.codename, perm.content_type.app_label, perm.content_type.model]
    return cache[pk]


def _group_key(pk, cache):
    if pk not in cache:
        cache[pk] = [Group.objects.get(pk=pk).name]
    return cache[pk]


def _user_key(pk, cache):
    """A user by username only: who made a change, never the account itself."""
    if pk not in cache:
        cache[pk] = [default_manager(user_model()).get(pk=pk).get_username()]
    return cache[pk]


def natural_references():
    return {
        ContentType: _content_type_key,
        Permission: _permission_key,
        Group: _group_key,
        user_model(): _user_key,
    }


def natural_target(field):
    if field.is_relation and (field.many_to_one or field.one_to_one):
        return field.related_model if field.related_model in natural_references() else None
    return None


def _to_json(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return value


def table_name(model):
    return options(model).label_lower


def _dump_table(model, using):
    fields = list(options(model).concrete_fields)
    attnames = [f.attname for f in fields]
    references = natural_references()
    caches = {target: {} for target in references}
    natural = {i: natural_target(f) for i, f in enumerate(fields)}
    rows = []
    queryset = base_manager(model).using(using).order_by("pk").values_list(*attnames)
    for raw in queryset.iterator(chunk_size=2000):
        row = []
        for i, value in enumerate(raw):
            target = natural[i]
            if target is not None and value is not None:
                row.append(references[target](value, caches[target]))
            else:
                row.append(_to_json(value))
        rows.append(row)
    return {"fields": attnames, "rows": rows}


def _dump_groups(using):
    groups = []
    for group in (
        Group.objects.using(using).order_by("name").prefetch_related("permissions__content_type")
    ):
        permissions = sorted(
            [p.codename, p.content_type.app_label, p.content_type.model]
            for p in group.permissions.all()
        )
        groups.append({"name": group.name, "permissions": permissions})
    return groups


def applied_migrations(using):
    recorder = MigrationRecorder(connections[using])
    latest = {}
    for app, name in recorder.applied_migrations():
        if app in REGISTRY_APPS and name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def export_registry(path, *, using="default"):
    """Write the whole registry to ``path`` (a .zip); returns the manifest."""
    path = Path(path)
    tables = {}
    # One snapshot of the database: no edit can fall between two tables.
    with transaction.atomic(using=using):
        for model in archived_models():
            tables[table_name(model)] = _dump_table(model, using)
        groups = _dump_groups(using)
        migrations = applied_migrations(using)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connections[using].vendor,
        "migrations": migrations,
        "tables": {name: len(table["rows"]) for name, table in tables.items()},
    }
    tmp = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr("groups.json", json.dumps(groups, indent=1, ensure_ascii=False))
        for name, table in tables.items():
            archive.writestr(f"data/{name}.json", json.dumps(table, ensure_ascii=False))
    tmp.replace(path)  # a half-written archive never takes the final name
    return manifest


def read_archive(path):
    """Return (manifest, groups, {table: {"fields", "rows"}}) or raise ArchiveError."""
    path = Path(path)
    if not path.exists():
        raise ArchiveError(f"There is no archive at {path}.")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise ArchiveError(f"{path.name} is not an Oncoregistry archive.")
            if manifest.get("version") != FORMAT_VERSION:
                raise ArchiveError(
                    f"{path.name} has archive format version {manifest.get('version')}; "
                    f"this version of Oncoregistry reads version {FORMAT_VERSION}."
                )
            groups = json.loads(archive.read("groups.json"))
            tables = {
                name: json.loads(archive.read(f"data/{name}.json")) for name in manifest["tables"]
            }
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ArchiveError(
            f"{path.name} is not a readable Oncoregistry archive ({error})."
        ) from None
    return manifest, groups, tables


def archive_digest(path):
    """The archive's content without the time it was made: equal for equal registries."""
    manifest, groups, tables = read_archive(path)
    manifest = {k: v for k, v in manifest.items() if k not in {"created_at", "database_vendor"}}
    buffer = io.StringIO()
    json.dump({"manifest": manifest, "groups": groups, "tables": tables}, buffer, sort_keys=True)
    return buffer.getvalue()
