"""Anonymous users read (throttled); writes need a token with model permissions; write
validation is the model's own, answered with 400s that name the field."""

import pytest
from rest_framework.throttling import AnonRateThrottle

from centers.models import Organization
from oncoregistry.core.throttling import SignedInRateThrottle
from partnerships.models import Agreement

pytestmark = pytest.mark.django_db

NEW_ORGANIZATION = {
    "slug": "karaganda-oncology-center",
    "name": "Karaganda Regional Oncology Center",
    "kind": "oncology_center",
    "region": "astana",
    "city": "Karaganda",
    "aliases": ["Karaganda Oncology Dispensary"],
}


@pytest.fixture
def clients(anon, reader_client, editor_client):
    return {"anonymous": anon, "read-only token": reader_client, "editor token": editor_client}


@pytest.mark.parametrize(
    ("who", "read", "create", "update"),
    [
        ("anonymous", 200, 401, 401),
        ("read-only token", 200, 403, 403),
        # A published record's change is proposed for review (tests/review/).
        ("editor token", 200, 201, 202),
    ],
)
def test_permission_matrix(clients, registry, who, read, create, update):
    client = clients[who]
    assert client.get("/api/v1/organizations/").status_code == read
    assert client.get("/api/v1/organizations/astrazeneca/").status_code == read
    created = client.post("/api/v1/organizations/", NEW_ORGANIZATION, format="json")
    assert created.status_code == create, created.content
    changed = client.patch(
        "/api/v1/organizations/astrazeneca/",
        {"city": "London", "reason": "Its head office"},
        format="json",
    )
    assert changed.status_code == update, changed.content
    astrazeneca = Organization.objects.get(slug="astrazeneca")
    assert (astrazeneca.city == "London") is (update == 200)
    assert Organization.objects.filter(slug=NEW_ORGANIZATION["slug"]).exists() is (create == 201)


def test_editor_creates_through_the_service_with_history(editor_client, registry):
    response = editor_client.post("/api/v1/organizations/", NEW_ORGANIZATION, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["url"] == "http://testserver/api/v1/organizations/karaganda-oncology-center/"
    assert body["region"]["slug"] == "astana"
    assert body["aliases"] == ["Karaganda Oncology Dispensary"]
    created = Organization.objects.get(slug="karaganda-oncology-center")
    assert created.aliases == "Karaganda Oncology Dispensary"
    assert created.history.get().history_user.username == "editor"


def test_editor_writes_every_writable_resource(editor_client, registry):
    payloads = {
        "equipment": {
            "slug": "new-pet-ct",
            "name": "PET/CT",
            "category": "pet_ct",
            "organization": "almaty-oncology-center",
            "count": 2,
            "count_qualifier": "exact",
        },
        "metrics": {"slug": "pet-studies", "name": "PET studies", "unit": "studies"},
        "capacity-figures": {
            "slug": "almaty-pet-studies",
            "organization": "almaty-oncology-center",
            "metric": "procedures-per-year",
            "value": "450",
            "qualifier": "over",
            "kind": "delivered",
            "period": "months",
            "period_months": 6,
            "date": {"year": 2025, "month": 6, "precision": "month"},
        },
        "designations": {
            "slug": "ministry-anchor",
            "title": "Anchor Center",
            "organization": "ministry-of-healthcare",
            "awarding_body": "iaea",
            "status": "under_review",
        },
        "therapies": {
            "slug": "iodine-131",
            "name": "Radionuclide therapy with iodine-131",
            "modality": "radionuclide_therapy",
            "cancer_types": ["blood-cancers"],
        },
        "cancer-types": {"slug": "thyroid-cancer", "name": "Thyroid cancer"},
        "therapy-offerings": {
            "slug": "car-t-at-nsoc",
            "therapy": "car-t-cell-therapy",
            "organization": "national-research-oncology-center",
            "role": "provider",
            "stage": "planned_service",
            "cancer_types": ["leukemia"],
        },
        "agreements": {
            "slug": "new-memorandum",
            "title": "A new memorandum",
            "kind": "memorandum",
            "status": "signed",
            "date": {"year": 2025, "month": 5, "day": 30, "precision": "day"},
            "parties": [
                {"organization": "iaea", "role": "signatory"},
                {"organization": "almaty-oncology-center", "role": "signatory"},
            ],
            "focus_areas": [{"order": 1, "title": "Training"}],
        },
        "funding": {
            "slug": "new-grant",
            "purpose": "Equipment",
            "amount": "2500000",
            "currency": "EUR",
            "amount_qualifier": "about",
            "period": "one_off",
            "recipient": "almaty-oncology-center",
        },
        "sources": {
            "slug": "new-article",
            "title": "New article",
            "text": "The full text of the article.",
            "date": {"year": 2025, "precision": "year"},
        },
    }
    for route, payload in payloads.items():
        response = editor_client.post(f"/api/v1/{route}/", payload, format="json")
        assert response.status_code == 201, (route, response.content)
        assert response.json()["slug"] == payload["slug"]
    agreement = Agreement.objects.get(slug="new-memorandum")
    assert agreement.date.isoformat() == "2025-05-30"
    assert [p.organization.slug for p in agreement.parties.order_by("id")] == [
        "iaea",
        "almaty-oncology-center",
    ]
    detail = editor_client.get("/api/v1/therapies/iodine-131/").json()
    assert [c["slug"] for c in detail["cancer_types"]] == ["blood-cancers"]


@pytest.mark.parametrize(
    ("route", "payload", "errors"),
    [
        (
            "funding",
            {"slug": "x", "purpose": "p", "amount": "10", "period": "annual"},
            {"currency"},
        ),
        (
            "funding",
            {"slug": "x", "purpose": "p", "period": "annual"},
            {"amount"},
        ),
        (
            "capacity-figures",
            {
                "slug": "x",
                "organization": "iaea",
                "metric": "patients-treated",
                "value": "5",
                "kind": "capacity",
                "period": "months",
            },
            {"period_months"},
        ),
        (
            "organizations",
            {"slug": "x", "name": "X", "kind": "unit", "region": "atlantis"},
            {"region"},
        ),
        (
            "organizations",
            {"slug": "astrazeneca", "name": "Duplicate", "kind": "unit"},
            {"slug"},
        ),
        ("organizations", {"slug": "x", "name": "X", "kind": "castle"}, {"kind"}),
        (
            "designations",
            {
                "slug": "x",
                "title": "Self-award",
                "organization": "iaea",
                "awarding_body": "iaea",
                "status": "granted",
            },
            {"awarding_body"},
        ),
    ],
)
def test_validation_errors_name_the_field(editor_client, registry, route, payload, errors):
    response = editor_client.post(f"/api/v1/{route}/", payload, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == errors


def test_partial_date_errors_name_the_date_part(editor_client, registry):
    response = editor_client.patch(
        "/api/v1/agreements/almaty-technology-transfer/",
        {"date": {"year": 2099, "month": 1, "precision": "month"}},
        format="json",
    )
    assert response.status_code == 400
    assert "future" in response.json()["date"]["year"][0]
    response = editor_client.patch(
        "/api/v1/agreements/almaty-technology-transfer/",
        {"date": {"precision": "year"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["date"]["year"] == ["A date at year precision needs its year."]


def test_read_only_resources_refuse_writes(editor_client, registry):
    assert editor_client.post("/api/v1/regions/", {"slug": "x"}, format="json").status_code == 405
    assert editor_client.post("/api/v1/citations/", {}, format="json").status_code == 405
    # No record is deleted through the API (permission check or no handler: never 204).
    assert editor_client.delete("/api/v1/organizations/iaea/").status_code in {403, 405}
    assert Organization.objects.filter(slug="iaea").exists()


def test_anonymous_reads_are_throttled(anon, registry, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    codes = [anon.get("/api/v1/regions/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_signed_in_reads_are_throttled_at_the_user_rate(
    anon, reader_client, registry, monkeypatch
):
    rates = {"anon": "1000/minute", "user": "3/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(SignedInRateThrottle, "THROTTLE_RATES", rates)
    # Anonymous requests count against the anonymous rate only...
    assert [anon.get("/api/v1/regions/").status_code for _ in range(5)] == [200] * 5
    # ...and a signed-in user against the user rate.
    codes = [reader_client.get("/api/v1/regions/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
