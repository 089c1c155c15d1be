"""The "Reviewers" group: reads every registry record and its history, approves or rejects
proposed changes and publishes drafts (the review permission); editors propose and read
proposals but cannot approve or publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTRY_APPS = ("sources", "centers", "therapies", "partnerships", "reference")


def create_reviewers_group(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so they can be assigned.
    # Restored afterwards: a caller passing the live app registry (tests/factories.py) keeps it.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reviewers, _created = Group.objects.get_or_create(name="Reviewers")
    records = Permission.objects.filter(
        content_type__app_label__in=REGISTRY_APPS, codename__startswith="view_"
    )
    review = Permission.objects.filter(
        content_type__app_label="review",
        codename__in=["view_changerequest", "change_changerequest", "review_changes",
                      "view_historicalchangerequest"],
    )
    reviewers.permissions.add(*records, *review)
    # Editors propose changes and follow theirs; they do not decide on them.
    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="review",
            codename__in=["view_changerequest", "view_historicalchangerequest"],
        )
    )


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Reviewers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("core", "0001_editors_group"),
        ("reference", "0002_editors_permissions"),
        ("centers", "0007_search_text"),
        ("therapies", "0004_search_text"),
        ("partnerships", "0005_search_text"),
        ("sources", "0004_natural_keys"),
    ]

    operations = [migrations.RunPython(create_reviewers_group, remove_reviewers_group)]
