"""The "Editors" group: add, change, view and delete on registry records; nothing on users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTRY_APPS = ("sources", "centers", "therapies", "partnerships")
ACTIONS = ("add", "change", "view", "delete")


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so they can be assigned.
    # Restored afterwards: a caller passing the live app registry (tests/factories.py) keeps it.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="Editors")
    registry = Permission.objects.filter(
        content_type__app_label__in=REGISTRY_APPS,
        codename__regex=r"^(%s)_" % "|".join(ACTIONS),
    ).exclude(content_type__model__startswith="historical")
    # History is written by the app itself; editors read it and revert through the record.
    history = Permission.objects.filter(
        content_type__app_label__in=REGISTRY_APPS,
        content_type__model__startswith="historical",
        codename__startswith="view_",
    )
    read_only = Permission.objects.filter(
        content_type__app_label="stats", codename="view_statisticsnapshot"
    )
    editors.permissions.add(*registry, *history, *read_only)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("centers", "0001_initial"),
        ("therapies", "0001_initial"),
        ("partnerships", "0001_initial"),
        ("stats", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
