"""Registry records as FHIR R4 resources of the IHE mCSD profile.

* an organisation is an ``Organization``; one with a region (a place in Kazakhstan) is also
  a facility ``Location`` with the same id; a region is a jurisdiction ``Location``
  (id ``region.<slug>``: a slug never holds a dot, so it cannot meet an organisation's id);
* a therapy offering is a ``HealthcareService``; equipment is a ``Device``.

Ids are the records' slugs. The functions read fields only, so they render a historical
version (django-simple-history's rows) exactly as they render the record.
"""

from django.utils.translation import override

from centers.models import EquipmentCategory, EquipmentStatus, OrganizationKind, OrganizationStatus
from therapies.models import Modality, Stage, TherapyOffering

MCSD = "https://profiles.ihe.net/ITI/mCSD"
MCSD_TYPES = f"{MCSD}/CodeSystem/IHE.mCSD.Organization.Location.Types"
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
REGION_PREFIX = "region."

#: The registry's own vocabularies: ``{base}/CodeSystem/<name>``.
ORGANIZATION_KIND = "organization-kind"
RECORD_STATUS = "record-status"
MODALITY = "modality"
THERAPY = "therapy"
STAGE = "stage"
ROLE = "role"
CANCER_TYPE = "cancer-type"
EQUIPMENT_CATEGORY = "equipment-category"
#: An extension carrying the registry's own status (planned, under construction...), which
#: FHIR's active/inactive cannot say.
STATUS_EXTENSION = "StructureDefinition/registry-status"


def instant(value):
    return value.isoformat() if value else None


def coding(base, system, code, display):
    return {"system": f"{base}/CodeSystem/{system}", "code": code, "display": str(display)}


def concept(base, system, code, display):
    return {"coding": [coding(base, system, code, display)], "text": str(display)}


def reference(resource_type, record_id, display=None):
    found = {"reference": f"{resource_type}/{record_id}"}
    if display:
        found["display"] = display
    return found


def meta(record, profile):
    return {"lastUpdated": instant(record.updated_at), "profile": [f"{MCSD}/{profile}"]}


def status_extension(base, status):
    return [{"url": f"{base}/{STATUS_EXTENSION}", "valueCode": status}]


def label(choices, value):
    with override("en"):
        return str(dict(choices).get(value, value))


def aliases(organization):
    names = [organization.short_name] if organization.short_name else []
    names += [line.strip() for line in organization.aliases.splitlines() if line.strip()]
    return list(dict.fromkeys(name for name in names if name != organization.name))


def address(organization):
    found = {}
    if organization.city:
        found["city"] = organization.city
    if organization.region_id:
        found["state"] = organization.region.name
    if organization.country:
        found["country"] = organization.country
    return [found] if found else []


def position(record):
    if record.latitude is None or record.longitude is None:
        return None
    return {"latitude": record.latitude, "longitude": record.longitude}


def is_facility(organization):
    """An organisation with a region is a place in Kazakhstan: a facility Location too."""
    return organization.region_id is not None


def organization(record, base):
    found = {
        "resourceType": "Organization",
        "id": record.slug,
        "meta": meta(record, "StructureDefinition/IHE.mCSD.Organization"),
        "extension": status_extension(base, record.status),
        "active": record.status != OrganizationStatus.CLOSED,
        "type": [
            concept(
                base, ORGANIZATION_KIND, record.kind, label(OrganizationKind.choices, record.kind)
            )
        ],
        "name": record.name,
    }
    if names := aliases(record):
        found["alias"] = names
    if record.website:
        found["telecom"] = [{"system": "url", "value": record.website}]
    if where := address(record):
        found["address"] = where
    if record.parent_id:
        found["partOf"] = reference("Organization", record.parent.slug, record.parent.name)
    return found


def facility_location(record, base):
    found = {
        "resourceType": "Location",
        "id": record.slug,
        "meta": meta(record, "StructureDefinition/IHE.mCSD.FacilityLocation"),
        "extension": status_extension(base, record.status),
        "status": "active" if record.status == OrganizationStatus.OPERATING else "inactive",
        "name": record.name,
        "mode": "instance",
        "type": [
            {"coding": [{"system": MCSD_TYPES, "code": "facility", "display": "Facility"}]},
        ],
        "physicalType": {
            "coding": [{"system": PHYSICAL_TYPE, "code": "bu", "display": "Building"}]
        },
        "managingOrganization": reference("Organization", record.slug, record.name),
    }
    if names := aliases(record):
        found["alias"] = names
    if where := address(record):
        found["address"] = where[0]
    if point := position(record):
        found["position"] = point
    parent = record.parent if record.parent_id else None
    if parent is not None and is_facility(parent):
        found["partOf"] = reference("Location", parent.slug, parent.name)
    else:
        found["partOf"] = reference(
            "Location", REGION_PREFIX + record.region.slug, record.region.name
        )
    return found


def jurisdiction_location(region, base):
    found = {
        "resourceType": "Location",
        "id": REGION_PREFIX + region.slug,
        "meta": meta(region, "StructureDefinition/IHE.mCSD.JurisdictionLocation"),
        "status": "active",
        "name": region.name,
        "alias": [name for name in (region.name_ru, region.name_kk) if name],
        "mode": "instance",
        "type": [
            {"coding": [{"system": MCSD_TYPES, "code": "jurisdiction", "display": "Jurisdiction"}]},
        ],
        "physicalType": {
            "coding": [{"system": PHYSICAL_TYPE, "code": "jdn", "display": "Jurisdiction"}]
        },
        "address": {"state": region.name, "country": "KZ"},
        "position": position(region),
    }
    return {key: value for key, value in found.items() if value}


def healthcare_service(offering, base, cancer_types=None):
    """``cancer_types``: the offering's cancer types (history does not version them)."""
    therapy, provider = offering.therapy, offering.organization
    found = {
        "resourceType": "HealthcareService",
        "id": offering.slug,
        "meta": meta(offering, "StructureDefinition/IHE.mCSD.HealthcareService"),
        "active": True,
        "providedBy": reference("Organization", provider.slug, provider.name),
        "category": [
            concept(base, MODALITY, therapy.modality, label(Modality.choices, therapy.modality))
        ],
        "type": [concept(base, THERAPY, therapy.slug, therapy.name)],
        "name": f"{therapy.name} — {provider.name}",
        "characteristic": [
            concept(base, STAGE, offering.stage, label(Stage.choices, offering.stage)),
            concept(base, ROLE, offering.role, label(TherapyOffering.Role.choices, offering.role)),
        ],
    }
    if is_facility(provider):
        found["location"] = [reference("Location", provider.slug, provider.name)]
    if cancer_types:
        found["eligibility"] = [
            {"code": concept(base, CANCER_TYPE, cancer.slug, cancer.name)}
            for cancer in cancer_types
        ]
    if offering.notes:
        found["comment"] = offering.notes
    return found


DEVICE_STATUS = {
    EquipmentStatus.OPERATING: "active",
    EquipmentStatus.DECOMMISSIONED: "inactive",
}


def device(equipment, base):
    owner = equipment.organization
    found = {
        "resourceType": "Device",
        "id": equipment.slug,
        "meta": {"lastUpdated": instant(equipment.updated_at)},
        "extension": status_extension(base, equipment.status),
        "status": DEVICE_STATUS.get(equipment.status, "unknown"),
        "deviceName": [{"name": equipment.name, "type": "user-friendly-name"}],
        "type": concept(
            base,
            EQUIPMENT_CATEGORY,
            equipment.category,
            label(EquipmentCategory.choices, equipment.category),
        ),
        "owner": reference("Organization", owner.slug, owner.name),
    }
    if equipment.manufacturer_id:
        found["manufacturer"] = equipment.manufacturer.name
    if equipment.model_name:
        found["modelNumber"] = equipment.model_name
    if is_facility(owner):
        found["location"] = reference("Location", owner.slug, owner.name)
    if equipment.count is not None:
        found["property"] = [
            {
                "type": {"text": "count"},
                "valueQuantity": [{"value": equipment.count, "unit": "devices"}],
            }
        ]
        if equipment.count_qualifier != "exact":
            found["property"][0]["type"]["text"] = f"count ({equipment.count_qualifier})"
    notes = [text for text in (equipment.features, equipment.notes) if text]
    if notes:
        found["note"] = [{"text": text} for text in notes]
    return found
