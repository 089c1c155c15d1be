"""Write side of the therapies app; every write goes through ``record_write`` (a
change to a published record is proposed for review) and the model's ``full_clean``."""

from oncoregistry.review.services import record_write

from .models import CancerType, Therapy, TherapyOffering


def therapy_create(*, user=None, reason="", citations=(), **fields) -> Therapy:
    return record_write(Therapy(), fields, user=user, reason=reason, citations=citations)


def therapy_update(*, therapy: Therapy, user=None, reason="", citations=(), **fields):
    return record_write(therapy, fields, user=user, reason=reason, citations=citations)


def cancer_type_create(*, user=None, reason="", citations=(), **fields) -> CancerType:
    return record_write(CancerType(), fields, user=user, reason=reason, citations=citations)


def cancer_type_update(*, cancer_type: CancerType, user=None, reason="", citations=(), **fields):
    return record_write(cancer_type, fields, user=user, reason=reason, citations=citations)


def therapy_offering_create(*, user=None, reason="", citations=(), **fields) -> TherapyOffering:
    return record_write(TherapyOffering(), fields, user=user, reason=reason, citations=citations)


def therapy_offering_update(
    *, therapy_offering: TherapyOffering, user=None, reason="", citations=(), **fields
):
    return record_write(therapy_offering, fields, user=user, reason=reason, citations=citations)
