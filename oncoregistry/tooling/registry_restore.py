"""Restoring an archive (``registry_archive.py`` writes and reads it) into an empty,
migrated database: one transaction, ids kept, references to content types, permissions,
groups and users looked up again by natural key."""

from contextlib import contextmanager

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connections, models, transaction

from oncoregistry.core.meta import base_manager, default_manager, options
from oncoregistry.core.response_cache import registry_written

from .registry_archive import (
    BATCH_SIZE,
    ArchiveError,
    applied_migrations,
    archived_models,
    natural_target,
    read_archive,
    table_name,
    user_model,
)


def registry_rows(using="default"):
    """{table: row count} for the archived tables that hold rows."""
    counts = {}
    for model in archived_models():
        count = base_manager(model).using(using).count()
        if count:
            counts[table_name(model)] = count
    return counts


@contextmanager
def _timestamps_as_given(models_):
    """Let bulk_create keep the archived created/updated times instead of 'now'."""
    saved = []
    for model in models_:
        for field in options(model).concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _References:
    """Looks up content types, permissions, groups and users by natural key in this database;
    ``unlinked`` collects the usernames the archive names that this database lacks."""

    def __init__(self, using):
        self.using = using
        self.content_types = {
            (ct.app_label, ct.model): ct.pk for ct in ContentType.objects.using(using).all()
        }
        self.permissions = {
            (p.codename, p.content_type.app_label, p.content_type.model): p.pk
            for p in Permission.objects.using(using).select_related("content_type")
        }
        self.groups = {g.name: g.pk for g in Group.objects.using(using).all()}
        user = user_model()
        self.users = dict(default_manager(user).using(using).values_list(user.USERNAME_FIELD, "pk"))
        self.unlinked = set()

    def resolve(self, target, key, where, *, null=False):
        if target is user_model():
            found = self.users.get(key[0])
            if found is None and null:
                self.unlinked.add(key[0])
                return None
            if found is None:
                raise ArchiveError(
                    f"{where} names the user '{key[0]}', who has no account in this database. "
                    "Create the account, then import again."
                )
            return found
        if target is ContentType:
            found = self.content_types.get(tuple(key))
        elif target is Permission:
            found = self.permissions.get(tuple(key))
        else:
            found = self.groups.get(key[0])
        if found is None:
            raise ArchiveError(
                f"{where}: {options(target).verbose_name} {'.'.join(key)} does not exist in this "
                "database. Run `manage.py migrate` with the same version of Oncoregistry "
                "the archive was made with."
            )
        return found


def _restore_groups(groups, references, using):
    for spec in groups:
        group, created = Group.objects.using(using).get_or_create(name=spec["name"])
        if created:
            references.groups[group.name] = group.pk
        permission_ids = [
            references.resolve(Permission, key, f"group '{spec['name']}'")
            for key in spec["permissions"]
        ]
        group.permissions.set(permission_ids)


def _load_table(model, table, references, using):
    name = table_name(model)
    fields = {f.attname: f for f in options(model).concrete_fields}
    unknown = [attname for attname in table["fields"] if attname not in fields]
    if unknown:
        raise ArchiveError(
            f"{name}: the archive has columns {', '.join(unknown)} this database does not; "
            "restore with the version of Oncoregistry the archive was made with."
        )
    objects = []
    for number, row in enumerate(table["rows"], start=1):
        values = {}
        for attname, value in zip(table["fields"], row, strict=True):
            field = fields[attname]
            target = natural_target(field)
            if target is not None and value is not None:
                value = references.resolve(target, value, f"{name} row {number}", null=field.null)
            elif value is not None and not isinstance(field, models.JSONField):
                value = field.to_python(value)
            values[attname] = value
        objects.append(model(**values))
    base_manager(model).using(using).bulk_create(objects, batch_size=BATCH_SIZE)


def import_registry(path, *, using="default", unlinked=None):
    """Restore an archive into an empty, migrated database; all or nothing.

    Returns {table: rows restored}; adds to the set ``unlinked`` the usernames the archive
    names that have no account here (their changes are kept without the user). Raises
    ArchiveError when the archive cannot be read or the database already holds registry
    data.
    """
    manifest, groups, tables = read_archive(path)
    present = registry_rows(using)
    if present:
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(present.items())[:5])
        raise ArchiveError(
            "The database is not empty: it already holds "
            f"{listed}{' …' if len(present) > 5 else ''}. import_registry restores into an "
            "empty database only, so two registries are never merged by accident. Create a new "
            "database, run `manage.py migrate`, then import."
        )
    ours = applied_migrations(using)
    if ours != manifest.get("migrations", ours):
        raise ArchiveError(
            "The archive was made at migrations "
            f"{manifest['migrations']} but this database is at {ours}. "
            "Restore with the same version of Oncoregistry, then migrate."
        )
    by_name = {table_name(m): m for m in archived_models()}
    missing = [name for name in tables if name not in by_name]
    if missing:
        raise ArchiveError(f"The archive holds tables this version does not know: {missing}.")
    connection = connections[using]
    restored = {}
    with transaction.atomic(using=using), _timestamps_as_given(by_name.values()):
        references = _References(using)
        _restore_groups(groups, references, using)
        for name, table in tables.items():
            _load_table(by_name[name], table, references, using)
            restored[name] = len(table["rows"])
        # Rows came with their ids: move each id sequence past them (PostgreSQL).
        statements = connection.ops.sequence_reset_sql(no_style(), list(by_name.values()))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        # References are checked now, with a message, rather than at commit.
        connection.check_constraints()
        registry_written(using)  # cached answers of the replaced registry are not served
    if unlinked is not None:
        unlinked.update(references.unlinked)
    return restored
