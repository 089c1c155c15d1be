"""The OpenAPI 3 schema describes every endpoint, filter and field without warnings, and
the interactive docs load nothing from a CDN."""

import re

import pytest
from django.core.management import call_command

from tests.api.resources import SLUG_ROUTES

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns any warning (unresolvable field, enum collision…) into an error.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (tmp_path / "schema.yaml").stat().st_size > 10_000


def test_schema_describes_endpoints_filters_and_fields(anon):
    response = anon.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for route in SLUG_ROUTES:
        assert f"/api/v1/{route}/" in paths
        assert f"/api/v1/{route}/{{slug}}/" in paths
        names = {p["name"] for p in paths[f"/api/v1/{route}/"]["get"]["parameters"]}
        assert {"q", "search", "ordering", "page", "page_size", "updated_since"} <= names
    org_params = {p["name"] for p in paths["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"region", "city", "kind", "parent", "status", "therapy"} <= org_params
    funding_params = {p["name"] for p in paths["/api/v1/funding/"]["get"]["parameters"]}
    assert {"currency", "amount_min", "amount_max", "date_after", "date_before", "year"} <= (
        funding_params
    )
    assert "text/csv" in paths["/api/v1/organizations/"]["get"]["responses"]["200"]["content"]
    organization = schema["components"]["schemas"]["OrganizationDetail"]["properties"]
    assert organization["region"]["properties"]["slug"]["type"] == "string"
    assert (
        schema["components"]["schemas"]["OrganizationDetailRequest"]["properties"]["region"]["type"]
        == "string"
    )
    assert "citations" in organization


def test_docs_use_only_local_assets(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "swagger-ui-bundle.js" in html
    assert "<script>" not in html  # the initialiser is a file too (CSP allows no inline script)
    script = anon.get(next(u for u in urls if u.startswith("/api/docs/")))
    assert script.status_code == 200
    assert b"/api/schema/" in script.content
