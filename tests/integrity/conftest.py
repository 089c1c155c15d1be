"""Clients for the integrity tests: an editor in the admin and the same editor's token."""

import pytest
from django.core.cache import cache
from django.forms import MultiWidget
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def make_editor(username):
    """A staff user in the Editors group. The group is made by a migration; a transactional
    test empties the tables after it, so it is made again (same rights) when missing."""
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(factories.editors_group())
    return user


@pytest.fixture
def editor(db):
    return make_editor("editor")


@pytest.fixture
def second_editor(db):
    return make_editor("second-editor")


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def api(editor):
    return token_client(editor)


@pytest.fixture
def admin_client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


CITATIONS = "sources-citation-content_type-object_id"


def admin_form_data(page):
    """What the browser would send back for an admin change page left as it was opened:
    the main form's values (the hidden record version too) and empty inline formsets."""
    data = {}
    for field in page.context["adminform"].form:
        value = field.value()
        widget = field.field.widget
        if isinstance(widget, MultiWidget):  # one field in several inputs (a partial date)
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                if part is not None and part is not False:
                    data[field.html_name + suffix] = "on" if part is True else part
            continue
        if value is None or value is False:
            continue
        data[field.html_name] = value
    for formset in page.context["inline_admin_formsets"]:
        data.update(inline_management(formset.formset.prefix))
    return data
