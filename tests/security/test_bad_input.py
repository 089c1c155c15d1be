"""Bad input gets a clear error and leaves nothing half-written."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from centers.models import Organization, Region
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, AgreementParty, Funding
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('pwned')</script>"
SQL = "x'); DROP TABLE centers_organization; --"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def organization(db):
    return factories.OrganizationFactory(slug="nsoc", name="National Research Oncology Center")


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["centers", "therapies", "partnerships", "sources"]
        )
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.user = user
    return client


def test_malformed_json_is_refused_and_nothing_is_written(editor, organization):
    before = Organization.objects.count()
    response = editor.generic(
        "POST", "/api/v1/organizations/", '{"slug": "half", "name": ', "application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    ("route", "payload", "field"),
    [
        ("organizations", {"slug": "o", "name": "O", "kind": 7}, "kind"),
        ("organizations", {"slug": "o", "name": ["a", "list"], "kind": "unit"}, "name"),
        ("equipment", {"slug": "e", "name": "E", "category": "pet_ct", "count": "many"}, "count"),
        ("funding", {"slug": "f", "purpose": "p", "period": "annual", "amount": "lots"}, "amount"),
        ("agreements", {"slug": "a", "title": "A", "kind": "memorandum", "date": "May"}, "date"),
        ("organizations", {"slug": "has spaces", "name": "O", "kind": "unit"}, "slug"),
    ],
)
def test_wrong_types_name_the_field(editor, organization, route, payload, field):
    response = editor.post(f"/api/v1/{route}/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Organization.objects.count() == 1


def test_a_body_that_is_not_an_object_is_refused(editor, organization):
    response = editor.post("/api/v1/organizations/", ["not", "an", "object"], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize("size", ["0", "-1", "-100000", "ten", "1e3", ""])
def test_bad_page_sizes_are_refused_or_ignored(client, organization, size):
    response = client.get("/api/v1/organizations/", {"page_size": size})
    if size == "":
        assert response.status_code == 200  # no size given: the default
    else:
        assert response.status_code == 400
        assert "page_size" in response.json()


def test_huge_page_sizes_and_pages_are_capped_or_explained(client, organization):
    huge = client.get("/api/v1/organizations/", {"page_size": str(10**30)})
    assert huge.status_code == 200
    assert huge.json()["count"] == 1
    assert client.get("/api/v1/organizations/", {"page": "-1"}).status_code == 400
    beyond = client.get("/api/v1/organizations/", {"page": str(10**12)})
    assert beyond.status_code == 404
    assert "detail" in beyond.json()


@pytest.mark.parametrize("term", [SCRIPT, SQL, "' OR '1'='1", "%", "_", "\\", "\x00", "a" * 5000])
def test_hostile_search_terms_are_only_text(client, organization, term):
    for url in ("/api/v1/organizations/", "/api/v1/sources/", "/api/v1/agreements/"):
        response = client.get(url, {"q": term})
        assert response.status_code in (200, 400), (url, term)
        if response.status_code == 200:
            assert response.json()["count"] == 0
        response = client.get(url, {"search": term})
        assert response.status_code in (200, 400)
    assert Organization.objects.filter(slug="nsoc").exists()


def test_script_and_sql_in_text_fields_are_stored_as_text_and_escaped(
    editor, organization, admin_client
):
    payload = {
        "slug": "hostile",
        "name": SQL,
        "kind": "oncology_center",
        "description": SCRIPT,
    }
    response = editor.post("/api/v1/organizations/", payload, format="json")
    assert response.status_code == 201, response.content
    stored = Organization.objects.get(slug="hostile")
    assert (stored.name, stored.description) == (SQL, SCRIPT)
    assert Organization.objects.count() == 2  # the table is still there
    # JSON carries the text as text; the API never answers it as HTML.
    detail = editor.get("/api/v1/organizations/hostile/", HTTP_ACCEPT="application/json")
    assert detail["Content-Type"] == "application/json"
    assert detail.json()["description"] == SCRIPT
    # HTML pages escape it.
    browsable = editor.get("/api/v1/organizations/hostile/", HTTP_ACCEPT="text/html")
    assert SCRIPT not in browsable.content.decode()
    assert "&lt;script&gt;" in browsable.content.decode()
    for url in ("/admin/", f"/admin/centers/organization/{stored.pk}/change/"):
        page = admin_client.get(url)
        if page.status_code == 200:
            assert SCRIPT not in page.content.decode()


def test_a_citation_quote_must_be_in_its_source(organization):
    source = Source.objects.get(slug=Citation.objects.first().source.slug)
    citation = Citation(
        source=source,
        content_object=organization,
        quote="a sentence the article never wrote",
    )
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "does not appear in the source" in str(error.value)


def test_negative_amounts_are_refused(editor, organization):
    payload = {
        "slug": "minus",
        "purpose": "Equipment",
        "amount": "-5",
        "currency": "KZT",
        "period": "annual",
    }
    response = editor.post("/api/v1/funding/", payload, format="json")
    assert response.status_code == 400
    assert "amount" in response.json()
    figure = {
        "slug": "minus",
        "organization": "nsoc",
        "metric": factories.MetricFactory().slug,
        "value": "-1",
        "kind": "capacity",
        "period": "per_year",
    }
    response = editor.post("/api/v1/capacity-figures/", figure, format="json")
    assert response.status_code == 400
    assert "value" in response.json()
    assert not Funding.objects.exists()


def test_an_agreement_marked_signed_cannot_be_dated_in_the_future(editor, organization):
    future = datetime.date.today() + datetime.timedelta(days=400)
    payload = {
        "slug": "future",
        "title": "A memorandum from the future",
        "kind": "memorandum",
        "status": "signed",
        "date": {"year": future.year, "month": future.month, "precision": "month"},
        "parties": [{"organization": "nsoc", "role": "signatory"}],
    }
    response = editor.post("/api/v1/agreements/", payload, format="json")
    assert response.status_code == 400
    assert "future" in json.dumps(response.json())
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()  # no orphaned party either
    payload["status"] = "planned"
    assert editor.post("/api/v1/agreements/", payload, format="json").status_code == 201


def test_a_fixture_with_a_broken_reference_loads_nothing(db, tmp_path):
    fixture = tmp_path / "50_broken.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "centers.region",
                    "slug": "new-region",
                    "fields": {
                        "name": "New Region",
                        "kind": "region",
                        "administrative_center": "Town",
                        "latitude": "48.0",
                        "longitude": "68.0",
                        "grid_row": 40,
                        "grid_col": 1,
                    },
                },
                {
                    "model": "centers.organization",
                    "slug": "orphan",
                    "fields": {"name": "Orphan", "kind": "unit", "region": "no-such-region"},
                },
            ]
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("load_registry", str(fixture))
    assert "Nothing was loaded" in str(error.value)
    assert "no-such-region" in str(error.value)
    assert not Region.objects.filter(slug="new-region").exists()  # the valid record too
    assert not Organization.objects.exists()


@pytest.mark.parametrize("code", ["xx", "zz-ZZ", "../../etc", "<script>", "ru" * 100])
def test_an_unknown_language_falls_back_without_an_error(client, organization, code):
    response = client.post("/i18n/setlang/", {"language": code, "next": "/api/v1/"})
    assert response.status_code == 302
    assert client.cookies.get("django_language") is None
    page = client.get("/api/v1/organizations/", HTTP_ACCEPT_LANGUAGE=code)
    assert page.status_code == 200
    assert page["Content-Language"] == "en"
    client.cookies["django_language"] = code
    page = client.get("/admin/login/")
    assert page.status_code == 200
    assert page["Content-Language"] == "en"
