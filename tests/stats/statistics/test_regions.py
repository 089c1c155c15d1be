import pytest

from oncoregistry.stats.statistics import regions as regions_statistic
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_regions_list_every_region_with_zeros(regions):
    center = f.OrganizationFactory(region=regions["astana"])
    f.OrganizationFactory(region=regions["astana"], kind="unit")
    f.EquipmentFactory(organization=center, count=3)
    f.EquipmentFactory(organization=center, category="proton_therapy_system", count=1)
    f.EquipmentFactory(organization=center, count=4, status="planned")
    f.TherapyOfferingFactory(organization=center)
    f.CapacityFigureFactory(organization=center)
    result = regions_statistic.compute(Refresh())
    assert set(result) == {"almaty", "astana", "shymkent"}
    assert result["astana"] == {
        "organizations": 2,
        "centers": 1,
        "equipment": 4,
        "equipment_records": 3,
        "linear_accelerators": 3,
        "proton_systems": 1,
        "offerings": 1,
        "routine_offerings": 1,
        "capacity_figures": 1,
    }
    assert set(result["almaty"].values()) == {0}
