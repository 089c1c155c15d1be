import pytest

from oncoregistry.stats.statistics import organizations
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_organizations_by_kind_status_and_region(regions):
    f.OrganizationFactory(region=regions["astana"])
    f.OrganizationFactory(region=regions["astana"], status="planned")
    f.OrganizationFactory(region=regions["almaty"], kind="unit")
    f.OrganizationFactory(region=None, kind="international_organization", country="")
    result = organizations.compute(Refresh())
    assert result["total"] == 4
    assert result["by_kind"] == {"oncology_center": 2, "unit": 1, "international_organization": 1}
    assert result["by_status"] == {"operating": 3, "planned": 1}
    assert result["by_region"] == {"astana": 2, "almaty": 1, "none": 1}
    assert result["by_kind_status"]["oncology_center"] == {"operating": 1, "planned": 1}
