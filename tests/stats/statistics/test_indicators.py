import pytest

from oncoregistry.sources.models import Source
from oncoregistry.stats.statistics import commitments as commitments_statistic
from oncoregistry.stats.statistics import indicators
from oncoregistry.stats.statistics.base import Refresh
from reference.models import Benchmark, RegionPopulation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(regions):
    table = Source.objects.create(
        slug="table", title="Population", kind="dataset", publication_state="published"
    )
    for slug, people in (("astana", 2_000_000), ("almaty", 500_000), ("shymkent", 1_000_000)):
        RegionPopulation.objects.create(
            slug=f"{slug}-2024",
            region=regions[slug],
            as_of="2024-07-01",
            value=people,
            source=table,
            publication_state="published",
        )
    # A newer figure for one region only: one date for all keeps regions comparable.
    RegionPopulation.objects.create(
        slug="astana-2026",
        region=regions["astana"],
        as_of="2026-01-01",
        value=9,
        source=table,
        publication_state="published",
    )
    Benchmark.objects.create(
        slug="iaea",
        indicator="radiotherapy_units_per_million",
        kind="recommendation",
        value=4,
        unit="units per million",
        scope="any country",
        source=table,
        publication_state="published",
    )
    Benchmark.objects.create(
        slug="imagine",
        indicator="pet_ct_per_million",
        kind="observed_level",
        value="3.52",
        unit="scanners per million",
        scope="high-income countries",
        source=table,
        publication_state="published",
    )
    return regions


def test_machines_per_million_against_the_benchmark_and_the_gap(reference):
    center = f.OrganizationFactory(region=reference["astana"])
    f.EquipmentFactory(organization=center, count=5, count_qualifier="at_least")
    f.EquipmentFactory(organization=center, category="proton_therapy_system", count=1)
    f.EquipmentFactory(organization=center, count=4, status="planned")  # not operating
    f.EquipmentFactory(organization=center, category="pet_ct", count=None)  # number not stated
    result = indicators.compute(Refresh())
    assert result["population"]["as_of"] == "2024-07-01"
    assert result["population"]["total"] == 3_500_000
    astana = result["radiotherapy"]["regions"]["astana"]
    assert astana["machines"] == {
        "value": 6,
        "qualifier": "at_least",
        "records": 2,
        "number_not_stated": 0,
    }
    assert (astana["per_million"], astana["needed"], astana["gap"]) == (3.0, 8.0, 2)
    assert result["radiotherapy"]["benchmark"]["value"] == 4
    # Nothing recorded is not a rate of zero.
    assert result["radiotherapy"]["regions"]["almaty"]["per_million"] is None
    assert result["radiotherapy"]["regions"]["almaty"]["machines"]["records"] == 0
    country = result["radiotherapy"]["country"]
    assert (country["per_million"], country["needed"], country["gap"]) == (1.71, 14.0, 8)
    pet = result["pet_ct"]["regions"]["astana"]
    assert pet["machines"]["number_not_stated"] == 1 and pet["gap"] is None
    assert result["pet_ct"]["benchmark"]["kind"] == "observed_level"


def test_annual_figures_per_100000_never_add_metrics_or_kinds(reference):
    center = f.OrganizationFactory(region=reference["almaty"])
    proton, iodine = f.MetricFactory(), f.MetricFactory()
    f.CapacityFigureFactory(organization=center, metric=proton, value=1000, qualifier="up_to")
    f.CapacityFigureFactory(organization=center, metric=iodine, value=300, qualifier="over")
    f.CapacityFigureFactory(organization=center, metric=iodine, value=80, kind="delivered")
    f.CapacityFigureFactory(organization=center, metric=iodine, value=5, kind="target")
    result = indicators.compute(Refresh())
    rows = {(a["metric"], a["kind"]): a for a in result["annual"]}
    assert set(rows) == {
        (proton.slug, "capacity"),
        (iodine.slug, "capacity"),
        (iodine.slug, "delivered"),
    }
    figure = rows[(iodine.slug, "capacity")]["regions"]["almaty"]
    assert figure == {"value": 300, "qualifier": "over", "records": 1, "per_100k": 60.0}
    assert rows[(proton.slug, "capacity")]["country"]["per_100k"] == 28.57


def test_commitments_by_status_and_the_next_due(regions):
    from commitments.services import commitments_refresh

    center = f.OrganizationFactory(region=regions["astana"], status="planned")
    trial = f.TherapyOfferingFactory(
        organization=center,
        stage="clinical_trial_planned",
        date_year=2026,
        date_precision="year",
        date_qualifier="by",
    )
    commitments_refresh()
    result = commitments_statistic.compute(Refresh())
    assert result["total"] == 2
    assert sum(result["by_status"].values()) == 2
    assert result["by_region"]["astana"] == result["by_status"]
    assert [d["slug"] for d in result["next_due"]] == [f"therapyoffering-{trial.slug}"]
    assert result["next_due"][0]["due"] == [2026, None, None, "year", "by"]
