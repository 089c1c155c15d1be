"""The published records (and their history) the FHIR API reads, with what rendering needs
joined: a search page is its count and one query (two for services, whose cancer types are
prefetched)."""

from centers.models import Equipment, Organization, Region
from oncoregistry.core.visibility import published, published_history
from therapies.models import TherapyOffering


def organizations():
    return published(Organization.objects.select_related("region", "parent"))


def facilities():
    return organizations().filter(region__isnull=False)


def regions():
    return published(Region.objects.all())


def healthcare_services():
    return published(
        TherapyOffering.objects.select_related("therapy", "organization").prefetch_related(
            "cancer_types"
        )
    )


def devices():
    return published(Equipment.objects.select_related("organization", "manufacturer"))


def organization_history():
    return published_history(Organization.history.select_related("region", "parent"))


def facility_history():
    return organization_history().filter(region__isnull=False)


def region_history():
    return published_history(Region.history.all())


def healthcare_service_history():
    return published_history(TherapyOffering.history.select_related("therapy", "organization"))


def device_history():
    return published_history(Equipment.history.select_related("organization", "manufacturer"))
