"""Commitments: derived from the records, dated as stated, with a status for a day."""

import csv
import datetime
import io

import pytest
from rest_framework.test import APIClient

from commitments.models import Commitment
from commitments.services import commitments_refresh

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture(scope="module")
def seed_commitments(seeded_module, django_db_blocker):
    with django_db_blocker.unblock():
        commitments_refresh(today=TODAY)


def statuses():
    return dict(Commitment.objects.values_list("slug", "status"))


def test_the_articles_commitments_and_their_status_on_3_december_2026(seed_commitments, db):
    found = statuses()
    # MNTV: clinical trials of CAR-T "by 2026": due by 31 December 2026.
    assert found["therapyoffering-car-t-cell-therapy-ncb"] == "due_this_year"
    car_t = Commitment.objects.get(slug="therapyoffering-car-t-cell-therapy-ncb")
    assert (car_t.due_by, car_t.due_display) == (
        datetime.date(2026, 12, 31),
        "by (no later than) 2026",
    )
    assert car_t.source.slug == "mntv-car-t-clinical-trials-by-2026"
    assert car_t.citation.quote in car_t.source.text
    # The six regional radiopharmaceutical centers: planned, no date stated.
    radiopharmaceutical = [s for s in found if s.startswith("organization-regional-radiopharm")]
    assert len(radiopharmaceutical) == 6
    assert {found[s] for s in radiopharmaceutical} == {"no_date"}
    assert found["capacityfigure-crt-pet-studies-per-year"] == "no_date"
    assert found["designation-nsoc-iaea-anchor-center"] == "no_date"
    assert found["agreement-astrazeneca-sk-pharmacy-agreement-2024"] == "no_date"
    assert len(found) == 27
    assert "delivered" not in found.values()  # no record shows anything done yet
    assert Commitment.objects.filter(source__isnull=True).count() == 0


def test_api_filters_by_status_region_organisation_and_modality(seed_commitments, db, anon):
    response = anon.get("/api/v1/commitments/?status=overdue")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    due = anon.get("/api/v1/commitments/?status=due_this_year").json()
    assert [c["slug"] for c in due["results"]] == ["therapyoffering-car-t-cell-therapy-ncb"]
    assert due["results"][0]["due_display"] == "by (no later than) 2026"
    astana = anon.get("/api/v1/commitments/?region=astana&page_size=100").json()
    assert astana["count"] == 8
    nsoc = anon.get(
        "/api/v1/commitments/?organization=national-research-oncology-center&page_size=100"
    ).json()
    assert {c["name"] for c in nsoc["results"]} == {
        "IAEA Anchor Center",
        "Immuno-oncology",
        "Molecular profiling",
        "Targeted therapy",
    }
    cell = anon.get("/api/v1/commitments/?modality=cell_therapy").json()
    assert cell["count"] == 1


def test_api_names_the_bad_parameter(seed_commitments, db, anon):
    response = anon.get("/api/v1/commitments/?status=late")
    assert response.status_code == 400
    assert "status" in response.json()
    assert anon.get("/api/v1/commitments/?region=atlantis").status_code == 400


def test_csv_holds_the_whole_filtered_list(seed_commitments, db, anon):
    response = anon.get("/api/v1/commitments/?status=no_date&format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 26
    assert {row["status"] for row in rows} == {"no_date"}


def test_page_filters_with_the_same_filterset(seed_commitments, db, client):
    page = client.get("/commitments/?status=due_this_year").content.decode()
    assert "CAR-T cell therapy" in page
    assert "Regional radiopharmaceutical center, Astana</a>" not in page
    assert "by (no later than) 2026" in page
    assert "#quote-" in page
    page = client.get("/commitments/?region=abai-region").content.decode()
    assert "Semey" in page


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_page_speaks_the_users_language(seed_commitments, db, client, language):
    page = client.get(f"/{language}/commitments/").content.decode()
    assert "CAR-T" in page
    assert {"ru": "Обязательства", "kk": "Міндеттемелер"}[language] in page


def test_list_queries_are_pinned(seed_commitments, db, anon, client, django_assert_num_queries):
    # The page with its count: organisation, region, source and citation joined.
    for size in (1, 100):
        with django_assert_num_queries(1):
            assert anon.get(f"/api/v1/commitments/?page_size={size}").status_code == 200
    # The page: its count, its rows (same joins), and the choices of the region and
    # organisation filters.
    with django_assert_num_queries(4):
        assert client.get("/commitments/").status_code == 200
