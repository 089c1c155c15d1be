"""Review before publishing: what is not published is the editors' alone.

An editor's new figure (a draft, or in review) is invisible to anonymous readers of the API
(list, detail, CSV), the public pages, the FHIR/feed outputs and the statistics; editors see
it through the API with their token, marked by its state.
"""

import csv
import io

import pytest

from oncoregistry.stats.statistics import capacity
from oncoregistry.stats.statistics.base import Refresh
from tests import factories

pytestmark = pytest.mark.django_db

PET = "pet-studies"


@pytest.fixture
def draft_figure(registry):
    metric = factories.MetricFactory(
        slug=PET, name="PET studies", unit="studies", publication_state="draft"
    )
    return factories.CapacityFigureFactory(
        slug="nsoc-pet-studies",
        organization=registry["nsoc"],
        metric=metric,
        value=12000,
        qualifier="up_to",
        publication_state="draft",
    )


def _csv_slugs(response):
    body = b"".join(response.streaming_content).decode()
    return {row["slug"] for row in csv.DictReader(io.StringIO(body))}


def test_a_draft_figure_is_invisible_to_anonymous_readers(anon, client, draft_figure):
    listing = anon.get("/api/v1/capacity-figures/?page_size=100").json()
    assert draft_figure.slug not in {row["slug"] for row in listing["results"]}
    assert anon.get(f"/api/v1/capacity-figures/{draft_figure.slug}/").status_code == 404
    assert draft_figure.slug not in _csv_slugs(anon.get("/api/v1/capacity-figures/?format=csv"))
    assert anon.get(f"/api/v1/metrics/{PET}/").status_code == 404
    page = client.get("/centers/national-research-oncology-center/").content.decode()
    assert "PET studies" not in page and "nsoc-pet-studies" not in page
    assert PET not in capacity.compute(Refresh())["by_metric"]


def test_the_statistics_and_pages_show_a_figure_once_it_is_published(client, draft_figure):
    assert PET not in capacity.compute(Refresh())["by_metric"]
    draft_figure.metric.publication_state = "published"
    draft_figure.metric.save()
    draft_figure.publication_state = "published"
    draft_figure.save()
    figures = capacity.compute(Refresh())["by_metric"][PET]["kinds"]["capacity"]["per_year"]
    assert figures == {"value": 12000, "qualifier": "up_to", "records": 1}
    assert "PET studies" in client.get("/centers/national-research-oncology-center/").text


def test_editors_see_drafts_through_the_api_with_their_token(editor_client, draft_figure):
    response = editor_client.get(f"/api/v1/capacity-figures/{draft_figure.slug}/")
    assert response.status_code == 200
    listing = editor_client.get("/api/v1/capacity-figures/?page_size=100").json()
    assert draft_figure.slug in {row["slug"] for row in listing["results"]}


def test_a_draft_citation_is_not_shown_with_a_published_record(anon, registry):
    organization = registry["nsoc"]
    factories.CitationFactory(
        target=organization, quote="can treat up to 1,000", publication_state="draft"
    )
    detail = anon.get(f"/api/v1/organizations/{organization.slug}/").json()
    assert "can treat up to 1,000" not in {c["quote"] for c in detail["citations"]}
    assert "can treat up to 1,000" not in {
        c["quote"] for c in anon.get("/api/v1/citations/?page_size=500").json()["results"]
    }
