"""The number of SQL queries of every list and detail endpoint does not grow with the
page size: pinned at page sizes 1 and 100 with the same maximum."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def more_records(registry):
    """Three more of everything, related the way real records are."""
    f = factories
    for i in range(3):
        region = f.RegionFactory()
        org = f.OrganizationFactory(region=region, parent=registry["nsoc"])
        f.EquipmentFactory(organization=org, manufacturer=registry["astrazeneca"])
        metric = f.MetricFactory()
        f.CapacityFigureFactory(
            organization=org, metric=metric, date_year=2020 + i, date_precision="year"
        )
        f.DesignationFactory(organization=org, awarding_body=registry["iaea"])
        cancer = f.CancerTypeFactory(parent=registry["blood"])
        therapy = f.TherapyFactory()
        therapy.cancer_types.set([cancer, registry["leukemia"]])
        offering = f.TherapyOfferingFactory(therapy=therapy, organization=org)
        offering.cancer_types.set([cancer])
        agreement = f.AgreementFactory()
        f.AgreementPartyFactory(agreement=agreement, organization=org)
        f.AgreementPartyFactory(agreement=agreement, organization=registry["astrazeneca"])
        f.FocusAreaFactory(agreement=agreement)
        f.FundingFactory(funder=registry["ministry"], recipient=org, agreement=agreement)


#: route → (queries of a list page, of a detail), anonymous. A compiled list costs one
#: statement for the page and its count, and one query per many-to-many relation; the
#: citations (serialized by DRF) a count and a page.
BUDGET = {
    "regions": (1, 3),
    "organizations": (1, 4),
    "equipment": (1, 2),
    "metrics": (1, 3),
    "capacity-figures": (1, 2),
    "designations": (1, 2),
    "therapies": (2, 3),
    "cancer-types": (1, 3),
    "therapy-offerings": (2, 3),
    "agreements": (2, 5),
    "funding": (1, 2),
    "sources": (1, 1),
    # The cited records are fetched with one query per record TYPE on the page: at most the
    # 11 citable models, however many rows the page has.
    "citations": (2 + 11, 2),
}


def test_query_count_is_constant_in_page_size(anon, registry, django_assert_max_num_queries):
    """Every route in one test: building the registry once keeps the suite fast."""
    more_records(registry)
    for route, (list_budget, detail_budget) in BUDGET.items():
        sizes, queries = {}, {}
        for page_size in (1, 100):
            with django_assert_max_num_queries(list_budget) as captured:
                response = anon.get(f"/api/v1/{route}/?page_size={page_size}")
            assert response.status_code == 200, route
            sizes[page_size] = len(response.json()["results"])
            queries[page_size] = len(captured)
        assert sizes[1] == 1 and sizes[100] >= 5, (route, sizes)
        if route != "citations":
            assert queries[1] == queries[100] == list_budget, (route, queries)
        url = response.json()["results"][-1]["url"]
        with django_assert_max_num_queries(detail_budget):
            assert anon.get(url).status_code == 200, route


def test_a_slug_filter_costs_one_lookup_per_registry_version(
    anon, registry, django_assert_num_queries
):
    more_records(registry)
    # The region's slug is looked up (an unknown one is a 400) at the first request of a
    # version of the registry; then the list costs what it costs unfiltered.
    for page_size, queries in ((1, 2), (100, 1)):
        with django_assert_num_queries(queries):
            response = anon.get(f"/api/v1/organizations/?region=astana&page_size={page_size}")
        assert response.status_code == 200
    registry["astana"].save()  # any write: a new version, and the slug is looked up again
    with django_assert_num_queries(2):
        assert anon.get("/api/v1/organizations/?region=astana&page_size=2").status_code == 200
