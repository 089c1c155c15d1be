"""CSV a spreadsheet can open safely: text that would run as a formula is neutralised
(OWASP "CSV Injection"), numbers stay numbers, and a filter that matches nothing is a
header with no rows (on PostgreSQL too, where a filter like ``year=-1`` compiles to no
statement at all)."""

import csv
import io

import pytest

from oncoregistry.api.exports import spreadsheet_safe
from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\tTabbed",
    "\rReturned",
]


def read_rows(response):
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-12, -0.5, 3, "-12", "-12.50", "+3.5", "-1e3", ".5", "", None, "Astana", "a=b"]
)
def test_numbers_and_plain_text_are_left_as_they_are(value):
    assert spreadsheet_safe(value) == value


def test_compiled_rows_neutralise_names_and_keep_negative_numbers(anon):
    region = f.RegionFactory(slug="astana", name="=1+1")
    for number, name in enumerate(FORMULAS):
        f.OrganizationFactory(
            slug=f"formula-{number}", name=name, region=region, latitude=-33.5, longitude=-70.25
        )
    rows = read_rows(anon.get("/api/v1/organizations/?format=csv"))
    header, body = rows[0], rows[1:]
    by_slug = {row[header.index("slug")]: row for row in body}
    for number, name in enumerate(FORMULAS):
        row = by_slug[f"formula-{number}"]
        assert row[header.index("name")] == "'" + name
        assert row[header.index("region_name")] == "'=1+1"
        assert float(row[header.index("latitude")]) == -33.5  # a number, not quoted
        assert float(row[header.index("longitude")]) == -70.25


def test_serialized_rows_neutralise_text_too(anon):
    """Citations are written through their serializer (not compiled): the same rule."""
    source = f.SourceFactory(text="Body. =SUM(A1:A9) was written in the article.")
    f.CitationFactory(source=source, quote="=SUM(A1:A9) was written")
    rows = read_rows(anon.get("/api/v1/citations/?format=csv"))
    header = rows[0]
    assert [row[header.index("quote")] for row in rows[1:]] == ["'=SUM(A1:A9) was written"]


@pytest.mark.parametrize(
    "query",
    [
        "capacity-figures/?year=-1",
        "funding/?year=-1",
        "agreements/?year=-1",
        "equipment/?count_max=-1",
        "equipment/?count_min=-1&count_max=-1",
        "capacity-figures/?value_max=-1",
        "funding/?amount_max=-1",
    ],
)
def test_a_filter_that_matches_nothing_is_a_header_without_rows(anon, registry, query):
    as_json = anon.get(f"/api/v1/{query}")
    assert as_json.status_code == 200
    assert as_json.json()["results"] == []
    rows = read_rows(anon.get(f"/api/v1/{query}&format=csv"))
    assert len(rows) == 1 and "slug" in rows[0]
