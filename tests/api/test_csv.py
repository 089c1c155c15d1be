"""CSV for every list: asked for by ?format=csv or Accept: text/csv, the whole filtered
result (not a page), streamed, one header row."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from centers.models import Metric
from tests.api.resources import ROUTES

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_organizations_of_astana_both_ways(anon, registry):
    by_param = anon.get("/api/v1/organizations/?region=astana&format=csv")
    by_header = anon.get("/api/v1/organizations/?region=astana", HTTP_ACCEPT="text/csv")
    for response in (by_param, by_header):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = read_csv(response)
        assert {row["slug"] for row in rows} == {
            "national-research-oncology-center",
            "proton-therapy-center",
            "ministry-of-healthcare",
        }
        nsoc = next(r for r in rows if r["slug"] == "national-research-oncology-center")
        assert nsoc["region"] == "astana"
        assert nsoc["region_name"] == "Astana"
        assert nsoc["aliases"] == "National Scientific Oncology Center; NSOC"
        assert nsoc["url"] == (
            "http://testserver/api/v1/organizations/national-research-oncology-center/"
        )


def test_every_list_has_csv_with_a_header(anon, registry):
    for route in ROUTES:
        json_body = anon.get(f"/api/v1/{route}/?page_size=500").json()
        rows = read_csv(anon.get(f"/api/v1/{route}/?format=csv"))
        assert len(rows) == json_body["count"] > 0, route
        assert [row["url"] for row in rows] == [row["url"] for row in json_body["results"]]


def test_csv_flattens_dates_and_references(anon, registry):
    rows = read_csv(anon.get("/api/v1/therapy-offerings/?format=csv&therapy=car-t-cell-therapy"))
    (row,) = rows
    assert row["therapy"] == "car-t-cell-therapy"
    assert row["organization"] == "almaty-oncology-center"
    assert row["cancer_types"] == "leukemia"
    assert row["date"] == "2026-01-01"
    assert row["date_precision"] == "year"
    assert row["date_qualifier"] == "by"
    assert row["date_display"] == "by (no later than) 2026"
    assert row["date_month"] == ""


def test_empty_result_still_has_its_header(anon, registry):
    response = anon.get("/api/v1/funding/?currency=EUR&format=csv")
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines() == [text.splitlines()[0]]
    assert text.startswith("url,slug,purpose,funder,funder_name")


def test_csv_is_the_whole_result_not_a_page(anon, db):
    Metric.objects.bulk_create(
        Metric(
            slug=f"metric-{i:04d}", name=f"Metric {i:04d}", unit="x", publication_state="published"
        )
        for i in range(1203)
    )
    rows = read_csv(anon.get("/api/v1/metrics/?format=csv&page_size=1"))
    assert len(rows) == 1203
    assert rows[0]["slug"] == "metric-0000"
    assert rows[-1]["slug"] == "metric-1202"
