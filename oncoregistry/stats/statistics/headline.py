"""The dashboard's headline numbers, drawn from the other statistics' payloads and the
offerings' grouped rows: no query of its own."""

from typing import TypedDict

from centers.models import CapacityFigure, Equipment, Organization
from therapies.models import Stage

from .base import CountedFigure, Figure
from .regions import CENTER_KINDS
from .therapies import offering_rows

KEY = "headline"


class Centers(TypedDict):
    total: int
    operating: int
    planned: int  # planned or under construction


class AnnualCapacity(Figure):
    name: str
    name_ru: str
    name_kk: str
    unit: str
    unit_ru: str
    unit_kk: str


class HeadlinePayload(TypedDict):
    centers: Centers  # organisations of CENTER_KINDS
    linear_accelerators: CountedFigure  # operating equipment
    proton_systems: CountedFigure  # operating equipment
    annual_capacity: dict[str, AnnualCapacity]  # metric slug
    therapies_in_routine_use: int  # distinct therapies
    therapies_in_development: int  # distinct therapies
    partnerships: int  # agreements
    state_oncology_funding: dict[str, Figure]  # currency -> annual, paid by the state


def compute(refresh) -> HeadlinePayload:
    organizations_by_kind_status = refresh.payload("organizations")["by_kind_status"]
    centers = {"total": 0, "operating": 0, "planned": 0}
    for kind in CENTER_KINDS:
        for status, n in organizations_by_kind_status.get(kind, {}).items():
            centers["total"] += n
            if status == Organization.Status.OPERATING:
                centers["operating"] += n
            elif status in (Organization.Status.PLANNED, Organization.Status.UNDER_CONSTRUCTION):
                centers["planned"] += n
    empty = {"value": 0, "qualifier": "exact", "records": 0, "number_not_stated": 0}
    operating = refresh.payload("equipment")["operating_by_category"]
    annual = {}
    for slug, metric in refresh.payload("capacity")["by_metric"].items():
        figure = (
            metric["kinds"]
            .get(CapacityFigure.Kind.CAPACITY, {})
            .get(CapacityFigure.Period.PER_YEAR)
        )
        if figure:
            text = {key: value for key, value in metric.items() if key != "kinds"}
            annual[slug] = {**text, **figure}
    in_development = set(Stage.in_development())
    routine, development = set(), set()
    for therapy, _modality, stage, *_ in refresh.rows(offering_rows):
        if stage == Stage.ROUTINE_SERVICE:
            routine.add(therapy)
        elif stage in in_development:
            development.add(therapy)
    return {
        "centers": centers,
        "linear_accelerators": operating.get(Equipment.Category.LINEAR_ACCELERATOR, empty),
        "proton_systems": operating.get(Equipment.Category.PROTON_THERAPY_SYSTEM, empty),
        "annual_capacity": annual,
        "therapies_in_routine_use": len(routine),
        "therapies_in_development": len(development),
        "partnerships": refresh.payload("agreements")["total"],
        "state_oncology_funding": refresh.payload("funding")["state_annual"],
    }
