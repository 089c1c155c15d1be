"""The test factories themselves: rebuilding a group leaves Django's app registry intact."""

from django.apps import apps
from django.contrib.auth.models import Group

from tests.factories import editors_group


def test_rebuilding_the_editors_group_leaves_the_app_registry_as_it_was(db):
    # The group's migration marks app configs as having models while it creates permissions;
    # left unmarked, a later flush would recreate no content types (stale ids, FK errors).
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    Group.objects.filter(name="Editors").delete()

    group = editors_group()

    assert group.permissions.filter(codename="change_organization").exists()
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before


def test_rebuilding_the_reviewers_group_leaves_the_app_registry_as_it_was(db):
    from tests.factories import reviewers_group

    before = {config.label: config.models_module for config in apps.get_app_configs()}
    Group.objects.filter(name="Reviewers").delete()

    group = reviewers_group()

    assert group.permissions.filter(codename="review_changes").exists()
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before
