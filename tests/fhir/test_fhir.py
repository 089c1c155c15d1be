"""The FHIR R4 read API (IHE mCSD) over the seed registry: every answer validated with the
``fhir.resources`` R4B models, search parameters, history with a deletion, query counts."""

import pytest
from django.core.cache import cache
from fhir.resources.R4B import get_fhir_model_class
from rest_framework.test import APIClient

from centers.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

TYPES = ["Organization", "Location", "HealthcareService", "Device"]
NSOC = "national-research-oncology-center"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


def validated(body):
    """The body parsed by its R4B model (raises on any violation), returned as a dict."""
    return get_fhir_model_class(body["resourceType"]).model_validate(body).model_dump(mode="json")


def fhir_get(client, path, status=200, **params):
    response = client.get(f"/fhir/{path}", params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/fhir+json"
    body = response.json()
    validated(body)
    return body


def ids(bundle):
    return [entry["resource"]["id"] for entry in bundle["entry"]]


@pytest.mark.parametrize("resource_type", TYPES)
def test_every_resource_of_the_seed_registry_validates(client, seeded_module, db, resource_type):
    bundle = fhir_get(client, resource_type, _count=500)
    assert bundle["type"] == "searchset"
    assert bundle["total"] == len(bundle["entry"]) > 0
    for entry in bundle["entry"]:
        assert entry["resource"]["resourceType"] == resource_type
        validated(entry["resource"])
        assert entry["fullUrl"].endswith(f"/fhir/{resource_type}/{entry['resource']['id']}")
        read = fhir_get(client, f"{resource_type}/{entry['resource']['id']}")
        assert read == entry["resource"]


def test_the_national_research_oncology_center(client, seeded_module, db):
    organization = fhir_get(client, f"Organization/{NSOC}")
    assert organization["name"] == "National Research Oncology Center"
    assert "National Scientific Oncology Center" in organization["alias"]
    location = fhir_get(client, f"Location/{NSOC}")
    assert location["managingOrganization"]["reference"] == f"Organization/{NSOC}"
    assert location["partOf"]["reference"] == "Location/region.astana"
    assert location["type"][0]["coding"][0]["code"] == "facility"
    region = fhir_get(client, "Location/region.astana")
    assert region["type"][0]["coding"][0]["code"] == "jurisdiction"
    unit = fhir_get(client, "Organization/proton-therapy-center")
    assert unit["partOf"]["reference"] == f"Organization/{NSOC}"


def test_search_parameters(client, seeded_module, db):
    by_name = fhir_get(client, "Organization", name="national research")
    assert NSOC in ids(by_name)
    by_alias = fhir_get(client, "Organization", name="National Scientific")
    assert ids(by_alias) == [NSOC]
    assert fhir_get(client, "Organization", **{"name:exact": "national research"})["total"] == 0
    units = fhir_get(client, "Organization", partof=f"Organization/{NSOC}")
    assert "proton-therapy-center" in ids(units)
    assert all(
        e["resource"]["partOf"]["reference"] == f"Organization/{NSOC}" for e in units["entry"]
    )
    assert ids(fhir_get(client, "Organization", _id=f"{NSOC},nowhere")) == [NSOC]
    kinds = fhir_get(client, "Organization", type="unit")
    assert {e["resource"]["type"][0]["coding"][0]["code"] for e in kinds["entry"]} == {"unit"}
    assert fhir_get(client, "Organization", type="http://elsewhere.example|unit")["total"] == 0

    in_astana = fhir_get(client, "Location", partof="Location/region.astana")
    assert NSOC in ids(in_astana)
    jurisdictions = fhir_get(client, "Location", type="jurisdiction", _count=100)
    assert jurisdictions["total"] == 20
    managed = fhir_get(client, "Location", organization=f"Organization/{NSOC}")
    assert ids(managed) == [NSOC]

    devices = fhir_get(client, "Device", organization=NSOC)
    assert devices["total"] > 0
    assert {e["resource"]["owner"]["reference"] for e in devices["entry"]} == {
        f"Organization/{NSOC}"
    }
    services = fhir_get(client, "HealthcareService", organization=f"Organization/{NSOC}")
    assert {e["resource"]["providedBy"]["reference"] for e in services["entry"]} <= {
        f"Organization/{NSOC}"
    }

    assert fhir_get(client, "Organization", _lastUpdated="gt2100-01-01")["total"] == 0
    everything = Organization.objects.count()
    assert fhir_get(client, "Organization", _lastUpdated="ge2000", _count=0)["total"] == everything


def test_paging_links(client, seeded_module, db):
    first = fhir_get(client, "Location", _count=15)
    assert len(first["entry"]) == 15
    following = {link["relation"]: link["url"] for link in first["link"]}["next"]
    second = client.get(following).json()
    validated(second)
    assert not set(ids(first)) & set(ids(second))
    assert second["entry"][0]["resource"]["id"].startswith("region.")
    assert not second["entry"][-1]["resource"]["id"].startswith("region.")


@pytest.mark.parametrize("resource_type", TYPES)
def test_an_unknown_search_parameter_is_a_400_naming_it(client, seeded_module, db, resource_type):
    body = fhir_get(client, resource_type, status=400, regoin="astana")
    assert body["resourceType"] == "OperationOutcome"
    assert "'regoin'" in body["issue"][0]["diagnostics"]
    assert "_lastUpdated" in body["issue"][0]["diagnostics"]


def test_errors_are_operation_outcomes(client, seeded_module, db):
    assert fhir_get(client, "Organization/nowhere", status=404)["issue"][0]["code"] == "not-found"
    assert fhir_get(client, "Patient", status=404)["issue"][0]["code"] == "not-supported"
    bad_date = fhir_get(client, "Organization", status=400, _lastUpdated="yesterday")
    assert "_lastUpdated" in bad_date["issue"][0]["diagnostics"]
    bad_count = fhir_get(client, "Device", status=400, _count="-1")
    assert "_count" in bad_count["issue"][0]["diagnostics"]
    assert fhir_get(client, "Device", status=400, _format="xml")["issue"][0]["code"] == (
        "not-supported"
    )
    # ``organization`` is not a parameter of Organization
    fhir_get(client, "Organization", status=400, organization=NSOC)


def test_capability_statement(client, seeded_module, db):
    statement = fhir_get(client, "metadata")
    assert statement["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == set(TYPES)
    assert {p["name"] for p in resources["Location"]["searchParam"]} == {
        "_id",
        "_lastUpdated",
        "name",
        "partof",
        "organization",
        "type",
    }


def test_history_shows_creation_change_and_deletion(client, seeded_module, db):
    since = fhir_get(client, "metadata")["date"]
    region = factories.RegionFactory(slug="test-region", name="Test Region", kind="region")
    clinic = factories.OrganizationFactory(slug="test-clinic", name="Test Clinic", region=region)
    clinic.name = "Test Clinic Renamed"
    clinic.save()
    clinic.delete()
    history = fhir_get(client, "Organization/_history", _since=since)
    assert history["type"] == "history"
    mine = [e for e in history["entry"] if e["fullUrl"].endswith("/Organization/test-clinic")]
    methods = [e["request"]["method"] for e in mine]
    assert methods[0] == "DELETE" and methods[-1] == "POST" and set(methods[1:-1]) == {"PUT"}
    assert "resource" not in mine[0]
    assert mine[1]["resource"]["name"] == "Test Clinic Renamed"
    assert mine[-1]["resource"]["name"] == "Test Clinic"
    for entry in mine[1:]:
        validated(entry["resource"])
    whole = fhir_get(client, "_history", _since=since)
    locations = [e["fullUrl"].split("/fhir/")[1] for e in whole["entry"]]
    assert "Location/test-clinic" in locations
    assert "Location/region.test-region" in locations
    before = fhir_get(client, "_history", _since="2100-01-01")
    assert before["total"] == 0


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # a count and a page (services: their cancer types in one more)
        ("Organization", {1: 2, 100: 2}),
        # two counts (jurisdictions, facilities), then a page of each the page reaches
        ("Location", {1: 3, 100: 4}),
        ("HealthcareService", {1: 3, 100: 3}),
        ("Device", {1: 2, 100: 2}),
    ],
)
def test_search_query_counts_do_not_grow_with_the_page(
    client, seeded_module, db, django_assert_num_queries, path, queries
):
    for count, expected in queries.items():
        with django_assert_num_queries(expected):
            client.get(f"/fhir/{path}", {"_count": count})


def test_history_query_count(client, seeded_module, db, django_assert_num_queries):
    # two per collection (count, page): five collections
    for count in (1, 100):
        with django_assert_num_queries(10):
            client.get("/fhir/_history", {"_count": count})
