import pytest

from centers.models import Equipment
from oncoregistry.stats.statistics import equipment
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_equipment_sums_counts_with_qualifiers_and_counts_unstated_apart(regions):
    astana = f.OrganizationFactory(region=regions["astana"])
    almaty = f.OrganizationFactory(region=regions["almaty"])
    linac = Equipment.Category.LINEAR_ACCELERATOR
    f.EquipmentFactory(organization=astana, category=linac, count=3)
    f.EquipmentFactory(organization=astana, category=linac, count=2, count_qualifier="up_to")
    f.EquipmentFactory(organization=astana, category=linac, count=None)
    f.EquipmentFactory(organization=almaty, category=linac, count=1, status="planned")
    f.EquipmentFactory(organization=almaty, category="proton_therapy_system", count=1)
    result = equipment.compute(Refresh())
    assert result["by_category"][linac] == {
        "value": 6,
        "qualifier": "up_to",
        "records": 3,
        "number_not_stated": 1,
    }
    assert result["operating_by_category"][linac] == {
        "value": 5,
        "qualifier": "up_to",
        "records": 2,
        "number_not_stated": 1,
    }
    assert result["by_region"]["almaty"][linac] == {
        "value": 1,
        "qualifier": "exact",
        "records": 1,
        "number_not_stated": 0,
    }
    assert result["by_region"]["almaty"]["proton_therapy_system"]["value"] == 1
    assert "proton_therapy_system" not in result["by_region"]["astana"]
