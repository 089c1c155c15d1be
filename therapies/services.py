"""Write side of the therapies app; every write goes through the model's ``full_clean``."""

from oncoregistry.core.records import record_save

from .models import CancerType, Therapy, TherapyOffering


def therapy_create(**fields) -> Therapy:
    return record_save(Therapy(), fields)


def therapy_update(*, therapy: Therapy, **fields) -> Therapy:
    return record_save(therapy, fields)


def cancer_type_create(**fields) -> CancerType:
    return record_save(CancerType(), fields)


def cancer_type_update(*, cancer_type: CancerType, **fields) -> CancerType:
    return record_save(cancer_type, fields)


def therapy_offering_create(**fields) -> TherapyOffering:
    return record_save(TherapyOffering(), fields)


def therapy_offering_update(*, therapy_offering: TherapyOffering, **fields) -> TherapyOffering:
    return record_save(therapy_offering, fields)
