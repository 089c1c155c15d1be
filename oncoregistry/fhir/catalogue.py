"""The resource types the FHIR API serves: where each reads its records, how it renders
them and which search parameters it takes.

A type reads one or more collections (``Location`` reads facilities and jurisdictions); a
parameter a collection cannot match (``organization`` on a jurisdiction) matches nothing
there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from . import resources, selectors
from .search import (
    NOTHING,
    SearchError,
    alias_match,
    any_of,
    last_updated,
    reference_id,
    string_match,
    token,
    values_of,
)


@dataclass(frozen=True)
class Collection:
    records: Callable[[], Any]
    history: Callable[[], Any]
    render: Callable[[Any, str], dict]
    #: parameter → ``filter(raw, modifier, base) -> Q``
    filters: dict = field(default_factory=dict)
    #: the FHIR id of a record (jurisdictions carry a prefix)
    prefix: str = ""

    def resource_id(self, record):
        return self.prefix + record.slug

    def slugs(self, raw):
        """The slugs of this collection among FHIR ids (a dot marks a prefixed id)."""
        if self.prefix:
            return [
                v.removeprefix(self.prefix) for v in values_of(raw) if v.startswith(self.prefix)
            ]
        return [value for value in values_of(raw) if "." not in value]


@dataclass(frozen=True)
class ResourceType:
    name: str
    collections: tuple
    params: tuple
    documentation: dict


STRING_MODIFIERS = ("", "contains", "exact")


def plain(modifier, name):
    if modifier:
        raise SearchError(f"The parameter '{name}' takes no modifier (':{modifier}').")


def by_id(collection):
    def match(raw, modifier, base):
        plain(modifier, "_id")
        return Q(slug__in=collection.slugs(raw))

    return match


def by_last_updated(raw, modifier, base):
    plain(modifier, "_lastUpdated")
    return last_updated(raw)


def by_name(fields, with_aliases=False):
    def match(raw, modifier, base):
        if modifier not in STRING_MODIFIERS:
            raise SearchError(
                f"The parameter 'name' takes the modifiers :contains and :exact, not ':{modifier}'."
            )

        def one(value):
            found = string_match(fields, value, modifier)
            return found | alias_match(value, modifier) if with_aliases else found

        return any_of(raw, one)

    return match


def by_reference(resource_type, lookup, name):
    def match(raw, modifier, base):
        plain(modifier, name)

        def one(value):
            slug = reference_id(value, resource_type)
            return Q(**{lookup: slug}) if slug else None

        return any_of(raw, one)

    return match


def by_token(system, lookup, name):
    def match(raw, modifier, base):
        plain(modifier, name)

        def one(value):
            code = token(value, f"{base}/CodeSystem/{system}" if "://" not in system else system)
            return Q(**{lookup: code}) if code else None

        return any_of(raw, one)

    return match


def facility_partof(raw, modifier, base):
    """A facility is part of its parent facility, else of its region's jurisdiction."""
    plain(modifier, "partof")

    def one(value):
        target = reference_id(value, "Location")
        if not target:
            return None
        under_region = Q(parent__isnull=True) | Q(parent__region__isnull=True)
        if target.startswith(resources.REGION_PREFIX):
            return Q(region__slug=target.removeprefix(resources.REGION_PREFIX)) & under_region
        return Q(parent__slug=target, parent__region__isnull=False)

    return any_of(raw, one)


def nothing(raw, modifier, base):
    return NOTHING


def mcsd_type(code):
    def match(raw, modifier, base):
        plain(modifier, "type")
        codes = [token(value, resources.MCSD_TYPES) for value in raw.split(",") if value.strip()]
        return Q() if code in codes else NOTHING

    return match


def collection(records, history, render, filters, prefix=""):
    found = Collection(records, history, render, {}, prefix)
    found.filters.update({"_id": by_id(found), "_lastUpdated": by_last_updated, **filters})
    return found


ORGANIZATION = ResourceType(
    "Organization",
    (
        collection(
            selectors.organizations,
            selectors.organization_history,
            resources.organization,
            {
                "name": by_name(["name"], with_aliases=True),
                "partof": by_reference("Organization", "parent__slug", "partof"),
                "type": by_token(resources.ORGANIZATION_KIND, "kind", "type"),
            },
        ),
    ),
    ("_id", "_lastUpdated", "name", "partof", "type"),
    {
        "name": "A name or alias (starts with; :contains, :exact)",
        "partof": "The organisation it is a unit of (Organization/<id>)",
        "type": f"Its kind (CodeSystem {resources.ORGANIZATION_KIND})",
    },
)

LOCATION = ResourceType(
    "Location",
    (
        collection(
            selectors.regions,
            selectors.region_history,
            resources.jurisdiction_location,
            {
                "name": by_name(["name", "name_ru", "name_kk"]),
                "partof": nothing,
                "organization": nothing,
                "type": mcsd_type("jurisdiction"),
            },
            prefix=resources.REGION_PREFIX,
        ),
        collection(
            selectors.facilities,
            selectors.facility_history,
            resources.facility_location,
            {
                "name": by_name(["name"], with_aliases=True),
                "partof": facility_partof,
                "organization": by_reference("Organization", "slug", "organization"),
                "type": mcsd_type("facility"),
            },
        ),
    ),
    ("_id", "_lastUpdated", "name", "partof", "organization", "type"),
    {
        "name": "A name or alias (starts with; :contains, :exact)",
        "partof": "The Location it lies in (Location/region.<region> or Location/<facility>)",
        "organization": "The managing Organization",
        "type": "facility or jurisdiction (mCSD location types)",
    },
)


def service_name(raw, modifier, base):
    return by_name(["therapy__name", "organization__name"])(raw, modifier, base)


HEALTHCARE_SERVICE = ResourceType(
    "HealthcareService",
    (
        collection(
            selectors.healthcare_services,
            selectors.healthcare_service_history,
            lambda record, base: resources.healthcare_service(
                record, base, list(record.cancer_types.all())
            ),
            {
                "name": service_name,
                "organization": by_reference("Organization", "organization__slug", "organization"),
                "type": by_token(resources.THERAPY, "therapy__slug", "type"),
            },
        ),
    ),
    ("_id", "_lastUpdated", "name", "organization", "type"),
    {
        "name": "The therapy's or the provider's name (starts with; :contains, :exact)",
        "organization": "The providing Organization",
        "type": f"The therapy (CodeSystem {resources.THERAPY})",
    },
)

DEVICE = ResourceType(
    "Device",
    (
        collection(
            selectors.devices,
            selectors.device_history,
            resources.device,
            {
                "organization": by_reference("Organization", "organization__slug", "organization"),
                "type": by_token(resources.EQUIPMENT_CATEGORY, "category", "type"),
            },
        ),
    ),
    ("_id", "_lastUpdated", "organization", "type"),
    {
        "organization": "The owning Organization",
        "type": f"The equipment category (CodeSystem {resources.EQUIPMENT_CATEGORY})",
    },
)

TYPES = {kind.name: kind for kind in (ORGANIZATION, LOCATION, HEALTHCARE_SERVICE, DEVICE)}


def history_render(kind, collection_):
    """How a historical row is rendered (history does not version many-to-many fields)."""
    if kind is HEALTHCARE_SERVICE:
        return lambda record, base: resources.healthcare_service(record, base)
    return collection_.render
