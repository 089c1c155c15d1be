import pytest

from oncoregistry.stats.statistics import capacity
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_capacity_keeps_kinds_and_periods_apart_and_carries_qualifiers(regions):
    center = f.OrganizationFactory(slug="center-a", name="A center", region=regions["astana"])
    other = f.OrganizationFactory(slug="center-b", name="B center", region=regions["almaty"])
    metric = f.MetricFactory(slug="procedures", name="Procedures", unit="procedures")
    figure = f.CapacityFigureFactory
    figure(organization=center, metric=metric, value=100)
    # Another date: one figure per organisation, metric, kind, period and date.
    figure(
        organization=center,
        metric=metric,
        value=50,
        qualifier="up_to",
        date_year=2024,
        date_precision="year",
    )
    figure(organization=other, metric=metric, value=10, qualifier="over")
    figure(organization=center, metric=metric, value=80, qualifier="over", kind="delivered")
    figure(organization=center, metric=metric, value=200, qualifier="about", kind="target")
    figure(organization=center, metric=metric, value=7, period="cumulative")
    result = capacity.compute(Refresh())
    kinds = result["by_metric"]["procedures"]["kinds"]
    # 100 + up to 50 + over 10: an upper and a lower bound together → "about"
    assert kinds["capacity"]["per_year"] == {"value": 160, "qualifier": "about", "records": 3}
    assert kinds["capacity"]["cumulative"] == {"value": 7, "qualifier": "exact", "records": 1}
    assert kinds["delivered"]["per_year"] == {"value": 80, "qualifier": "over", "records": 1}
    assert kinds["target"]["per_year"] == {"value": 200, "qualifier": "about", "records": 1}
    by_center = [
        (r["organization"], r["kind"], r["period"], r["value"], r["qualifier"])
        for r in result["by_organization"]
    ]
    assert by_center == [
        ("center-a", "capacity", "cumulative", 7, "exact"),
        ("center-a", "capacity", "per_year", 150, "up_to"),
        ("center-a", "delivered", "per_year", 80, "over"),
        ("center-a", "target", "per_year", 200, "about"),
        ("center-b", "capacity", "per_year", 10, "over"),
    ]
