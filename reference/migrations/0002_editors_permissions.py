"""Editors keep the reference data as they keep the registry's records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ("add", "change", "view", "delete")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reference")
    # Restored afterwards: a caller passing the live app registry (tests/factories.py) keeps it.
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="Editors")
    records = Permission.objects.filter(
        content_type__app_label="reference", codename__regex=r"^(%s)_" % "|".join(ACTIONS)
    ).exclude(content_type__model__startswith="historical")
    history = Permission.objects.filter(
        content_type__app_label="reference",
        content_type__model__startswith="historical",
        codename__startswith="view_",
    )
    editors.permissions.add(*records, *history)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="reference"))


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
        ("core", "0001_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
