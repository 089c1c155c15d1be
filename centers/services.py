"""Write side of the centers app: the one place a record is created or changed
(API, admin and scripts alike). Every write goes through the model's ``full_clean``."""

from oncoregistry.core.records import record_save

from .models import CapacityFigure, Designation, Equipment, Metric, Organization


def organization_create(**fields) -> Organization:
    return record_save(Organization(), fields)


def organization_update(*, organization: Organization, **fields) -> Organization:
    return record_save(organization, fields)


def equipment_create(**fields) -> Equipment:
    return record_save(Equipment(), fields)


def equipment_update(*, equipment: Equipment, **fields) -> Equipment:
    return record_save(equipment, fields)


def metric_create(**fields) -> Metric:
    return record_save(Metric(), fields)


def metric_update(*, metric: Metric, **fields) -> Metric:
    return record_save(metric, fields)


def capacity_figure_create(**fields) -> CapacityFigure:
    return record_save(CapacityFigure(), fields)


def capacity_figure_update(*, capacity_figure: CapacityFigure, **fields) -> CapacityFigure:
    return record_save(capacity_figure, fields)


def designation_create(**fields) -> Designation:
    return record_save(Designation(), fields)


def designation_update(*, designation: Designation, **fields) -> Designation:
    return record_save(designation, fields)
