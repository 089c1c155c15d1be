"""The centers app's models, one module per kind of record."""

from ..choices import (
    CapacityKind,
    CapacityPeriod,
    DesignationStatus,
    EquipmentCategory,
    EquipmentStatus,
    IdentifierSystem,
    OrganizationKind,
    OrganizationStatus,
    RegionKind,
)
from .capacity import CAPACITY_FIGURE_KEY, CapacityFigure, Metric
from .designations import Designation
from .equipment import EQUIPMENT_KEY, Equipment
from .organizations import Organization, OrganizationIdentifier, OrganizationSlugRedirect, Region

__all__ = [
    "CAPACITY_FIGURE_KEY",
    "CapacityFigure",
    "CapacityKind",
    "CapacityPeriod",
    "Designation",
    "DesignationStatus",
    "EQUIPMENT_KEY",
    "Equipment",
    "EquipmentCategory",
    "EquipmentStatus",
    "IdentifierSystem",
    "Metric",
    "Organization",
    "OrganizationIdentifier",
    "OrganizationKind",
    "OrganizationSlugRedirect",
    "OrganizationStatus",
    "Region",
    "RegionKind",
]
