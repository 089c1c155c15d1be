"""Per-region measures for the dashboard map: every region, zeros included.

Drawn from the grouped rows of organisations, equipment, offerings and capacity figures
(which their own statistics read too). Equipment numbers sum the stated counts of
operating equipment; see the ``equipment`` statistic for qualifiers.
"""

from typing import TypedDict

from centers.models import Equipment, OrganizationKind
from therapies.models import Stage

from . import figures
from .base import region_slug_rows
from .equipment import equipment_rows
from .organizations import organization_rows
from .therapies import offering_rows

KEY = "regions"
#: Organisations counted as "centers" on the map and in the headline.
CENTER_KINDS = (
    OrganizationKind.ONCOLOGY_CENTER,
    OrganizationKind.RESEARCH_CENTER,
    OrganizationKind.RADIOPHARMACEUTICAL_CENTER,
)


class RegionMeasures(TypedDict):
    organizations: int
    centers: int  # organisations of CENTER_KINDS
    equipment: int | float
    equipment_records: int
    linear_accelerators: int | float
    proton_systems: int | float
    offerings: int
    routine_offerings: int
    capacity_figures: int


#: The measures, in the order the dashboard offers them.
MEASURES = tuple(RegionMeasures.__annotations__)

RegionsPayload = dict[str, RegionMeasures]  # region slug -> its measures


def compute(refresh) -> RegionsPayload:
    result = {slug: dict.fromkeys(MEASURES, 0) for slug in refresh.rows(region_slug_rows)}
    for kind, _status, region, n in refresh.rows(organization_rows):
        if region in result:
            result[region]["organizations"] += n
            if kind in CENTER_KINDS:
                result[region]["centers"] += n
    for category, region, operating, total, records, *_ in refresh.rows(equipment_rows):
        if region in result:
            result[region]["equipment_records"] += records
            if operating and total:
                result[region]["equipment"] += total
                if category == Equipment.Category.LINEAR_ACCELERATOR:
                    result[region]["linear_accelerators"] += total
                elif category == Equipment.Category.PROTON_THERAPY_SYSTEM:
                    result[region]["proton_systems"] += total
    for _therapy, _modality, stage, region, n, _providers in refresh.rows(offering_rows):
        if region in result:
            result[region]["offerings"] += n
            if stage == Stage.ROUTINE_SERVICE:
                result[region]["routine_offerings"] += n
    for region, n in figures.sums(refresh).per_region.items():
        if region in result:
            result[region]["capacity_figures"] = n
    return result
