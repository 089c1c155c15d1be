"""Every resource: listed in the root, list and detail by slug, representation shape."""

import pytest

pytestmark = pytest.mark.django_db

#: route → a slug in the ``registry`` fixture
RESOURCES = {
    "regions": "astana",
    "organizations": "national-research-oncology-center",
    "equipment": "nsoc-linacs",
    "metrics": "procedures-per-year",
    "capacity-figures": "nsoc-procedures-2024",
    "designations": "nsoc-iaea-anchor-center",
    "therapies": "car-t-cell-therapy",
    "cancer-types": "leukemia",
    "therapy-offerings": "car-t-at-almaty",
    "agreements": "astrazeneca-nsoc-memorandum",
    "funding": "state-oncology-budget",
    "sources": None,
    "citations": None,
}


def test_root_lists_every_resource(anon):
    response = anon.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(RESOURCES) <= set(response.json())
    assert response.json()["capacity-figures"] == "http://testserver/api/v1/capacity-figures/"


def test_root_is_browsable(anon):
    response = anon.get("/api/v1/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"therapy-offerings" in response.content


def test_list_is_browsable_with_its_filter_form(anon, registry):
    response = anon.get("/api/v1/organizations/?region=astana", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "National Research Oncology Center" in html
    assert 'name="region"' in html


@pytest.mark.parametrize("route", RESOURCES)
def test_list_and_detail(anon, registry, route):
    response = anon.get(f"/api/v1/{route}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"]) > 0
    first = body["results"][0]
    assert first["url"].startswith(f"http://testserver/api/v1/{route}/")
    assert "updated_at" in first
    slug = RESOURCES[route]
    detail_url = first["url"] if slug is None else f"http://testserver/api/v1/{route}/{slug}/"
    detail = anon.get(detail_url)
    assert detail.status_code == 200, detail.content
    assert detail.json()["url"] == detail_url
    if route != "citations" and slug is not None:
        assert detail.json()["slug"] == slug


def test_unknown_slug_is_404(anon, registry):
    assert anon.get("/api/v1/organizations/no-such-center/").status_code == 404


def test_organization_representation(anon, registry):
    body = anon.get("/api/v1/organizations/proton-therapy-center/").json()
    assert body["parent"] == {
        "slug": "national-research-oncology-center",
        "url": "http://testserver/api/v1/organizations/national-research-oncology-center/",
        "name": "National Research Oncology Center",
    }
    assert body["region"]["slug"] == "astana"
    assert body["region"]["url"] == "http://testserver/api/v1/regions/astana/"
    parent = anon.get(body["parent"]["url"]).json()
    assert parent["aliases"] == ["National Scientific Oncology Center", "NSOC"]
    assert [u["slug"] for u in parent["units"]] == ["proton-therapy-center"]
    citation = parent["citations"][0]
    assert citation["quote"] == "about 12,000 procedures annually"
    assert citation["source"]["url"].startswith("http://testserver/api/v1/sources/")
    assert set(citation) == {"source", "quote", "field", "note"}


def test_list_serializer_is_light(anon, registry):
    first = anon.get("/api/v1/organizations/").json()["results"][0]
    assert "citations" not in first
    assert "description" not in first


def test_dates_keep_their_precision(anon, registry):
    body = anon.get("/api/v1/therapy-offerings/car-t-at-almaty/").json()
    assert body["date"] == {
        "year": 2026,
        "month": None,
        "day": None,
        "precision": "year",
        "qualifier": "by",
        "display": "by (no later than) 2026",
        "date": "2026-01-01",
    }
    undated = anon.get("/api/v1/capacity-figures/almaty-patients-target/").json()["date"]
    assert undated["precision"] == "unknown"
    assert undated["date"] is None
    assert undated["display"] == "date not stated"


def test_numbers_keep_their_qualifier(anon, registry):
    figure = anon.get("/api/v1/capacity-figures/nsoc-procedures-2024/").json()
    assert (figure["value"], figure["qualifier"], figure["value_display"]) == (
        12000,
        "about",
        "about 12,000",
    )
    funding = anon.get("/api/v1/funding/state-oncology-budget/").json()
    assert funding["amount_display"] == "over 170,000,000,000 KZT"
    assert funding["funder"]["slug"] == "ministry-of-healthcare"
    equipment = anon.get("/api/v1/equipment/nsoc-linacs/").json()
    assert (equipment["count"], equipment["count_qualifier"], equipment["count_display"]) == (
        3,
        "about",
        "about 3",
    )


def test_agreement_detail_nests_parties_and_focus_areas(anon, registry):
    body = anon.get("/api/v1/agreements/astrazeneca-nsoc-memorandum/").json()
    assert [(p["organization"]["slug"], p["role"]) for p in body["parties"]] == [
        ("national-research-oncology-center", "signatory"),
        ("astrazeneca", "signatory"),
    ]
    assert [(a["order"], a["title"]) for a in body["focus_areas"]] == [
        (1, "Clinical research"),
        (2, "Training of specialists"),
    ]
    assert body["date"]["display"] == "12 April 2024"
    listed = anon.get("/api/v1/agreements/?kind=memorandum").json()["results"][0]
    assert {o["slug"] for o in listed["organizations"]} == {
        "national-research-oncology-center",
        "astrazeneca",
    }


def test_citation_names_its_record(anon, registry):
    body = anon.get("/api/v1/citations/?record_type=funding").json()
    records = {c["record"]["slug"]: c["record"] for c in body["results"]}
    assert records["astrazeneca-grant"]["url"] == (
        "http://testserver/api/v1/funding/astrazeneca-grant/"
    )
    assert records["astrazeneca-grant"]["type"] == "funding"


def test_source_detail_links_its_citations(anon, registry):
    source = anon.get("/api/v1/sources/").json()["results"][0]
    detail = anon.get(source["url"]).json()
    assert detail["text"]
    citations = anon.get(detail["citations_url"]).json()
    assert citations["count"] >= 1
    assert all(c["source"]["slug"] == source["slug"] for c in citations["results"])
