import pytest

from centers.models import Organization
from oncoregistry.stats.statistics import data_quality
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_data_quality_counts_uncited_records_and_facts_per_source():
    source = f.SourceFactory(slug="article")
    cited = f.OrganizationFactory(cited=False)
    f.CitationFactory(source=source, target=cited)
    f.CitationFactory(source=source, target=cited, quote="can treat up to 1,000 patients")
    f.CitationFactory(source=source, target=f.TherapyFactory(cited=False))
    f.OrganizationFactory(cited=False, region=cited.region)
    refresh = Refresh()
    payload = data_quality.compute(refresh)
    assert payload["records"]["organization"] == 2
    assert payload["uncited"]["organization"] == 1
    assert payload["uncited"]["therapy"] == 0
    assert payload["uncited"]["region"] == 1  # the region factory cites nothing
    assert payload["by_source"] == [
        {"source": "article", "title": source.title, "citations": 3, "records": 2}
    ]
    assert payload["by_source_total"] == 1
    assert refresh.data_updated_at == max(
        Organization.objects.latest("updated_at").updated_at,
        source.citations.latest("updated_at").updated_at,
    )


def test_sources_are_capped_with_the_exact_total_and_the_newest_change_of_all():
    target = f.OrganizationFactory(cited=False)
    cap = data_quality.TOP_SOURCES
    sources = [f.SourceFactory(slug=f"source-{n:02d}") for n in range(cap + 1)]
    for source in sources:
        f.CitationFactory(source=source, target=target)
    f.CitationFactory(source=sources[0], target=target, quote="up to 330")
    # The source left out of the list (one citation, last by slug) changed last.
    left_out = sources[-1]
    left_out.title = "Edited"
    left_out.save()
    refresh = Refresh()
    payload = data_quality.compute(refresh)
    listed = [row["source"] for row in payload["by_source"]]
    assert len(listed) == cap and payload["by_source_total"] == cap + 1
    assert listed[0] == "source-00" and left_out.slug not in listed
    left_out.refresh_from_db()
    assert refresh.data_updated_at == left_out.updated_at
