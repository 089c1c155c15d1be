import pytest

from oncoregistry.stats.statistics import therapies
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_therapies_by_modality_stage_region_and_regions_without_a_provider(regions):
    astana = f.OrganizationFactory(region=regions["astana"])
    almaty = f.OrganizationFactory(region=regions["almaty"])
    shymkent = f.OrganizationFactory(region=regions["shymkent"])
    radiation = f.TherapyFactory(slug="radiation", modality="radiation_therapy")
    car_t = f.TherapyFactory(slug="car-t", modality="cell_therapy")
    offering = f.TherapyOfferingFactory
    offering(therapy=radiation, organization=astana)  # a routine provider
    offering(therapy=radiation, organization=almaty, role="developer")
    offering(therapy=radiation, organization=shymkent, stage="planned_service")
    offering(therapy=car_t, organization=almaty, role="developer", stage="preclinical")
    result = therapies.compute(Refresh())
    assert result["therapies"] == 2
    assert result["by_modality"] == {"cell_therapy": 1, "radiation_therapy": 1}
    assert result["offerings_by_stage"] == {
        "routine_service": 2,
        "planned_service": 1,
        "preclinical": 1,
    }
    assert result["by_modality_stage"]["radiation_therapy"] == {
        "routine_service": 2,
        "planned_service": 1,
    }
    assert result["offered_in"]["radiation"] == {"astana": 1, "almaty": 1, "shymkent": 1}
    assert result["regions_without_provider"]["radiation_therapy"] == ["almaty", "shymkent"]
    assert result["regions_without_provider"]["cell_therapy"] == ["almaty", "astana", "shymkent"]
    assert len(result["regions_without_provider"]) == 11  # every modality, provided or not
