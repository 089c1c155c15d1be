"""One permission matrix over every API endpoint and every admin page.

The endpoints come from the API router and the pages from ``admin.site._registry``, so
a resource or admin added later is covered without editing this file. Rows: anonymous,
read-only (view permissions only, with a token), editor (the Editors group, with a
token), superuser (with a token). Each cell is asserted.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments.services import commitments_refresh
from oncoregistry.api_urls import router
from oncoregistry.releases.services import release_build
from tests import factories
from tests.factories import editors_group

pytestmark = pytest.mark.django_db

REGISTRY_APPS = {"sources", "centers", "reference", "therapies", "partnerships", "stats"}
READ_ONLY_FIELDS = {"url", "created_at", "updated_at", "citations"}


@pytest.fixture
def registry(db):
    """At least one record behind every endpoint."""
    f = factories
    party = f.AgreementPartyFactory()
    f.FocusAreaFactory(agreement=party.agreement)
    offering = f.TherapyOfferingFactory(organization=party.organization)
    cancer_type = f.CancerTypeFactory()
    offering.cancer_types.add(cancer_type)
    offering.therapy.cancer_types.add(cancer_type)
    f.EquipmentFactory(organization=party.organization)
    f.CapacityFigureFactory(organization=party.organization)
    f.DesignationFactory(organization=party.organization)
    f.FundingFactory(recipient=party.organization, agreement=party.agreement)
    f.StatisticSnapshotFactory(key="headline", payload={"organizations": 1})
    commitments_refresh()  # derived from the records above: the focus area is one


@pytest.fixture
def users(db):
    reader = factories.UserFactory(username="reader", is_staff=True)
    reader.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=REGISTRY_APPS, codename__startswith="view_"
        )
    )
    editor = factories.UserFactory(username="editor", is_staff=True)
    editor.groups.add(editors_group())
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    return {"anonymous": None, "read-only": reader, "editor": editor, "superuser": root}


def api_client(user):
    client = APIClient()
    if user is not None:
        key = Token.objects.get_or_create(user=user)[0].key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def as_write_payload(value):
    """A record as the API shows it, turned into what the API accepts."""
    if isinstance(value, dict):
        if "slug" in value and "url" in value:
            return value["slug"]  # a reference to another record
        if "precision" in value:  # a partial date
            return {k: value[k] for k in ("year", "month", "day", "precision", "qualifier")}
        return {
            k: as_write_payload(v)
            for k, v in value.items()
            if k not in READ_ONLY_FIELDS and not k.endswith("_display")
        }
    if isinstance(value, list):
        return [as_write_payload(v) for v in value]
    return value


# Copies that would break a unique-together rule other than the slug get another value.
DISTINCT_COPIES = {
    "therapy-offerings": {"editor": {"role": "developer"}, "superuser": {"role": "manufacturer"}},
    "equipment": {"editor": {"model_name": "Copy E"}, "superuser": {"model_name": "Copy S"}},
    "capacity-figures": {
        "editor": {"date": {"year": 2001, "precision": "year"}},
        "superuser": {"date": {"year": 2002, "precision": "year"}},
    },
}


def copy_payload(detail, suffix):
    payload = {
        k: as_write_payload(v)
        for k, v in detail.items()
        if k not in READ_ONLY_FIELDS and not k.endswith("_display")
    }
    for field in ("slug", "name", "title", "key"):
        if isinstance(payload.get(field), str):
            payload[field] = f"{payload[field]}-{suffix}"
    return payload


API_EXPECTED = {
    # role: (read, create on a writable resource, create on a read-only resource)
    "anonymous": (200, 401, {401}),
    "read-only": (200, 403, {403}),
    "editor": (200, 201, {403, 405}),
    "superuser": (200, 201, {405}),
}


def test_api_permission_matrix(registry, users, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "releases": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    release_build()  # so /api/v1/releases/ has a record to read
    resources = [(prefix, viewset) for prefix, viewset, _ in router.registry]
    assert len(resources) >= 13
    cells = 0
    for role, user in users.items():
        read, create, create_read_only = API_EXPECTED[role]
        client = api_client(user)
        for prefix, viewset in resources:
            cache.clear()  # keep the anonymous throttle out of the matrix
            where = f"{role} on /api/v1/{prefix}/"
            listing = client.get(f"/api/v1/{prefix}/")
            assert listing.status_code == read, where
            results = listing.json()["results"]
            assert results, f"{where}: the fixture left this endpoint empty"
            detail = client.get(results[0]["url"])
            assert detail.status_code == read, f"{where} detail"
            payload = copy_payload(detail.json(), role.replace("-", ""))
            payload.update(DISTINCT_COPIES.get(prefix, {}).get(role, {}))
            created = client.post(f"/api/v1/{prefix}/", payload, format="json")
            if hasattr(viewset, "create"):
                assert created.status_code == create, (where, created.content)
            else:
                assert created.status_code in create_read_only, where
            cells += 3
    assert cells == 3 * len(resources) * len(users)


def test_a_revoked_token_is_refused_everywhere(registry, users):
    client = api_client(users["editor"])
    Token.objects.filter(user=users["editor"]).delete()
    for prefix, _, _ in router.registry:
        assert client.get(f"/api/v1/{prefix}/").status_code == 401


def admin_expected(role, model, page):
    """The policy: editors and readers work on the registry's records, only superusers
    on accounts, tokens and login records."""
    if role == "anonymous":
        return 302  # to the login page
    if page == "add" and not admin.site._registry[model].has_add_permission(_FakeRequest()):
        return 403  # nobody adds these by hand (login records)
    if role == "superuser":
        return 200
    if model._meta.label_lower == "review.changerequest":
        # Editors follow the proposed changes; nobody adds one here (it comes from a record).
        return 200 if role == "editor" and page == "changelist" else 403
    registry_model = model._meta.app_label in REGISTRY_APPS
    if role == "read-only":
        return 200 if registry_model and page == "changelist" else 403
    return 200 if registry_model else 403  # the editor


class _FakeRequest:
    """has_add_permission for a superuser: whether the admin allows adding at all."""

    class user:  # noqa: N801
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(perm, obj=None):
            return True


def test_admin_permission_matrix(client, users, registry):
    models = list(admin.site._registry)
    assert len(models) >= 6
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for model in models:
            opts = model._meta
            for page in ("changelist", "add"):
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
                response = client.get(url)
                expected = admin_expected(role, model, page)
                assert response.status_code == expected, f"{role} GET {url}"
                if expected == 302:
                    assert response["Location"].startswith("/admin/login/")
