"""CSV and XLSX rows stand alone (#18): each carries its record's region and the sources
and quotes that back it, the same columns in both formats, read back by pandas."""

import io

import pandas
import pytest

from tests import factories

pytestmark = pytest.mark.django_db

SOURCE_COLUMNS = ["source", "source_title", "source_url", "source_date", "quote"]
#: route → does its CSV carry region columns of its own or through its organisation
REGIONAL = ["equipment", "capacity-figures", "designations", "therapy-offerings", "funding"]
#: routes whose records carry citations, and whether the test registry's factories cite them
CITED = {
    **dict.fromkeys([*REGIONAL, "organizations", "therapies", "agreements"], True),
    **dict.fromkeys(["regions", "metrics", "cancer-types"], False),
}


def read_csv(client, route, **params):
    response = client.get(f"/api/v1/{route}/", {"format": "csv", **params})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return pandas.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


def read_xlsx(client, route, **params):
    response = client.get(f"/api/v1/{route}/", {"format": "xlsx", **params})
    assert response.status_code == 200
    return pandas.read_excel(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize("route, cited", CITED.items())
def test_every_row_names_its_region_and_sources_in_csv_and_xlsx(anon, registry, route, cited):
    from_csv, from_xlsx = read_csv(anon, route), read_xlsx(anon, route)
    assert list(from_csv.columns) == list(from_xlsx.columns)
    assert set(SOURCE_COLUMNS) <= set(from_csv.columns)
    if route in REGIONAL or route == "organizations":
        assert {"region", "region_name"} <= set(from_csv.columns)
    assert len(from_csv) == len(from_xlsx) > 0
    if not cited:
        return
    # Every cited factory record is cited once: each row has its source and quote.
    for frame in (from_csv, from_xlsx):
        assert frame["source"].notna().all(), route
        assert frame["quote"].eq("about 12,000 procedures annually").all(), route
        assert frame["source_title"].str.startswith("Article ").all(), route


def test_a_figure_row_gives_the_region_of_its_organisation(anon, registry):
    for frame in (read_csv(anon, "capacity-figures"), read_xlsx(anon, "capacity-figures")):
        row = frame.set_index("slug").loc["nsoc-procedures-2024"]
        assert (row["organization"], row["region"], row["region_name"]) == (
            "national-research-oncology-center",
            "astana",
            "Astana",
        )
        assert row["value"] == 12000
        assert pandas.api.types.is_numeric_dtype(frame["value"])


def test_region_names_follow_the_language(anon, registry):
    frame = read_csv(anon, "capacity-figures", lang="ru")
    row = frame.set_index("slug").loc["nsoc-procedures-2024"]
    assert row["region"] == "astana"
    assert row["region_name"] == registry["astana"].display_name_for("ru")


def test_funding_rows_give_the_recipients_region_or_nothing(anon, registry):
    frame = read_csv(anon, "funding").set_index("slug")
    assert frame.loc["astrazeneca-grant", "region"] == "almaty"
    assert pandas.isna(frame.loc["state-oncology-budget", "region"])  # no recipient


def test_several_citations_are_lines_of_each_source_column(anon, registry):
    figure = registry["figure_2024"]
    source = factories.SourceFactory(
        slug="second-source", title="Second; article", url="https://example.org/a"
    )
    source.date_year, source.date_precision = 2025, "year"
    source.save()
    factories.CitationFactory(target=figure, source=source, quote="a quote\nover two lines")
    factories.CitationFactory(
        target=figure, source=source, quote="a draft quote", publication_state="draft"
    )
    row = read_csv(anon, "capacity-figures").set_index("slug").loc["nsoc-procedures-2024"]
    sources = row["source"].split("\n")
    assert len(sources) == 2 and sources[1] == "second-source"
    assert row["source_title"].split("\n")[1] == "Second; article"
    assert row["source_url"].split("\n") == ["", "https://example.org/a"]
    assert row["source_date"].split("\n")[1] == "2025-01-01"
    assert row["quote"].split("\n") == [
        "about 12,000 procedures annually",
        "a quote over two lines",
    ]


def test_editors_see_the_draft_citations_too(anon, editor_client, registry):
    factories.CitationFactory(
        target=registry["figure_2024"], quote="a draft quote", publication_state="draft"
    )
    public = read_csv(anon, "capacity-figures").set_index("slug")
    edited = read_csv(editor_client, "capacity-figures").set_index("slug")
    assert "draft" not in public.loc["nsoc-procedures-2024", "quote"]
    assert edited.loc["nsoc-procedures-2024", "quote"].endswith("a draft quote")


def test_a_csv_export_costs_one_query_more_per_chunk(anon, registry, django_assert_num_queries):
    for i in range(5):
        factories.CapacityFigureFactory(organization=registry["nsoc"], slug=f"more-{i}")
    with django_assert_num_queries(2):  # the rows and their citations: one chunk
        response = anon.get("/api/v1/capacity-figures/", {"format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) > 7
