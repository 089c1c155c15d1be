"""Every resource an editor can import, by the name ``import_records --resource`` takes.

The resources live beside their apps (``centers/resources.py``…); this floor sees them all."""

from centers.resources import CapacityFigureResource, EquipmentResource, OrganizationResource
from partnerships.resources import AgreementResource, FundingResource
from reference.resources import RegionPopulationResource
from therapies.resources import TherapyOfferingResource

RESOURCES = {
    resource.resource_name: resource
    for resource in (
        OrganizationResource,
        EquipmentResource,
        CapacityFigureResource,
        TherapyOfferingResource,
        AgreementResource,
        FundingResource,
        RegionPopulationResource,
    )
}
