"""The figure every statistic sums into: a sum is as exact as its least exact part."""

import pytest

from oncoregistry.stats.qualifiers import combine_qualifiers
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        ({"exact"}, "exact"),
        ({"exact", "about"}, "about"),
        ({"exact", "up_to"}, "up_to"),
        ({"about", "up_to"}, "up_to"),
        ({"over"}, "over"),
        ({"exact", "over"}, "over"),
        ({"at_least", "over"}, "over"),
        ({"at_least", "exact"}, "at_least"),
        ({"up_to", "over"}, "about"),
        ({"up_to", "at_least", "exact"}, "about"),
        (set(), "exact"),
    ],
)
def test_a_sum_is_as_exact_as_its_least_exact_part(qualifiers, expected):
    assert combine_qualifiers(qualifiers) == expected


@pytest.mark.django_db
def test_each_query_runs_once_per_refresh_and_anew_in_the_next(django_assert_num_queries):
    from oncoregistry.stats.statistics.organizations import organization_rows

    refresh = Refresh()
    with django_assert_num_queries(1):
        assert refresh.rows(organization_rows) == []
        assert refresh.rows(organization_rows) == []
    organization = f.OrganizationFactory()
    assert Refresh().rows(organization_rows) == [
        ("oncology_center", "operating", organization.region.slug, 1)
    ]


def test_every_module_with_a_key_is_a_statistic():
    from oncoregistry.stats.statistics import keys, registered

    assert keys() == (
        "agreements",
        "capacity",
        "commitments",
        "data_quality",
        "equipment",
        "funding",
        "headline",
        "indicators",
        "organizations",
        "regions",
        "therapies",
    )
    assert all(key == module.KEY for key, module in registered().items())
