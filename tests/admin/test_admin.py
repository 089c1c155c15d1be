"""The editors' admin: every page renders, search finds aliases, rights, history, validation."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from centers.models import Organization
from oncoregistry.sources.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)
EDITABLE = [
    m
    for m in REGISTERED
    if m._meta.app_label != "stats"
    and m._meta.model_name
    not in {"group", "user", "tokenproxy", "accessattempt", "accesslog", "accessfailurelog"}
    # Proposed from a record's page, never added on their own (tests/review/test_admin.py).
    and m._meta.label_lower != "review.changerequest"
]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def editor_client(client):
    client.force_login(factories.EditorFactory())
    return client


@pytest.fixture
def one_of_each(seeded_module, db):
    """The seed registry plus an identifier (the articles state none)."""
    factories.OrganizationIdentifierFactory(
        organization=Organization.objects.get(slug="national-research-oncology-center")
    )


@pytest.mark.parametrize("model", EDITABLE, ids=lambda m: m._meta.label_lower)
def test_editor_sees_changelist_add_and_change_pages(editor_client, one_of_each, model):
    assert editor_client.get(admin_url(model, "changelist")).status_code == 200
    assert editor_client.get(admin_url(model, "add")).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.label} in the seed"
    assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert editor_client.get(admin_url(model, "history", obj.pk)).status_code == 200


def test_snapshots_are_read_only_for_editors(editor_client):
    from oncoregistry.stats.models import StatisticSnapshot

    assert editor_client.get(admin_url(StatisticSnapshot, "changelist")).status_code == 200
    assert editor_client.get(admin_url(StatisticSnapshot, "add")).status_code == 403


def test_editors_group_rights():
    editors = factories.editors_group()
    codenames = set(editors.permissions.values_list("content_type__app_label", "codename"))
    for label in ["organization", "capacityfigure", "agreement", "funding", "therapy"]:
        app = {
            "organization": "centers",
            "capacityfigure": "centers",
            "agreement": "partnerships",
            "funding": "partnerships",
            "therapy": "therapies",
        }[label]
        assert (app, f"add_{label}") in codenames
        assert (app, f"change_{label}") in codenames
    assert ("sources", "add_citation") in codenames
    user_types = ContentType.objects.filter(app_label="auth")
    assert not editors.permissions.filter(content_type__in=user_types).exists()
    assert not editors.permissions.filter(content_type__app_label="authtoken").exists()
    assert ("stats", "change_statisticsnapshot") not in codenames


def test_editor_cannot_manage_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_search_finds_an_organization_by_alias(editor_client, seeded):
    response = editor_client.get(
        admin_url(Organization, "changelist"), {"q": "National Scientific Oncology"}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [
        Organization.objects.get(slug="national-research-oncology-center")
    ]


def test_citation_with_a_quote_not_in_its_source_is_refused(editor_client):
    source = factories.SourceFactory()
    organization = factories.OrganizationFactory(cited=False)
    response = editor_client.post(
        admin_url(Citation, "add"),
        {
            "source": source.pk,
            "quote": "a sentence the article never wrote",
            "content_type": ContentType.objects.get_for_model(Organization).pk,
            "object_id": organization.pk,
            "field_name": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "does not appear in the source" in response.content.decode()
    assert not Citation.objects.filter(source=source).exists()


def _inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_citation_inline_refuses_a_quote_not_in_its_source(editor_client):
    source = factories.SourceFactory()
    organization = factories.OrganizationFactory(cited=False)
    url = admin_url(Organization, "change", organization.pk)
    page = editor_client.get(url)
    data = {
        "name": organization.name,
        "slug": organization.slug,
        "kind": organization.kind,
        "status": organization.status,
        "country": "KZ",
        "region": organization.region_id,
        "city": organization.city,
    }
    for formset in page.context["inline_admin_formsets"]:
        data.update(_inline_management(formset.formset.prefix))
    citation_prefix = "sources-citation-content_type-object_id"
    data.update(_inline_management(citation_prefix, total=1))
    data.update(
        {
            f"{citation_prefix}-0-source": source.pk,
            f"{citation_prefix}-0-quote": "an invented figure of 99,999 procedures",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "does not appear in the source" in response.content.decode()
    assert not organization.citations.exists()


def test_model_validation_messages_reach_the_form(editor_client):
    capacity = factories.CapacityFigureFactory()
    from centers.models import CapacityFigure

    response = editor_client.post(
        admin_url(CapacityFigure, "change", capacity.pk),
        {
            "slug": capacity.slug,
            "organization": capacity.organization_id,
            "metric": capacity.metric_id,
            "value": "120",
            "qualifier": "exact",
            "kind": "capacity",
            "period": "months",
            "period_months": "",
            "date_qualifier": "on",
            **_inline_management("sources-citation-content_type-object_id"),
        },
    )
    assert response.status_code == 200
    assert "Say over how many months this figure was counted." in response.content.decode()


def test_history_records_a_change_and_revert_restores_it(editor_client):
    # A draft: a published record's revert is proposed for review (tests/review/).
    organization = factories.OrganizationFactory(name="Before", publication_state="draft")
    organization.name = "After"
    organization.save()
    first = organization.history.order_by("history_date").first()
    history_before = organization.history.count()
    url = reverse(
        "admin:centers_organization_simple_history", args=[organization.pk, first.history_id]
    )
    page = editor_client.get(url)
    data = {}
    for key in ("name", "slug", "kind", "status", "country", "city"):
        data[key] = getattr(first, key)
    data["region"] = first.region_id or ""
    assert page.status_code == 200
    response = editor_client.post(url, data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Before"
    assert organization.history.count() == history_before + 1
    assert organization.history.latest().name == "Before"


@pytest.mark.parametrize("rows", [1, 20])
def test_organization_changelist_query_count_is_flat(
    editor_client, django_assert_max_num_queries, rows
):
    factories.OrganizationFactory.create_batch(rows)
    with django_assert_max_num_queries(12):
        assert editor_client.get(admin_url(Organization, "changelist")).status_code == 200


def test_editor_permission_objects_exist():
    assert Permission.objects.filter(codename="change_organization").exists()
