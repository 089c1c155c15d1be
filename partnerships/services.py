"""Write side of the partnerships app; every write goes through the model's ``full_clean``.

An agreement is written with its parties and focus areas in one transaction; when
they are given they replace the previous ones.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from oncoregistry.core.records import record_save

from .models import Agreement, AgreementParty, FocusArea, Funding


def _replace_parts(agreement, parties, focus_areas):
    if parties is not None:
        agreement.parties.all().delete()
        for index, party in enumerate(parties):
            try:
                record_save(AgreementParty(agreement=agreement), dict(party))
            except ValidationError as error:
                raise ValidationError(
                    {"parties": [f"#{index + 1}: {m}" for m in error.messages]}
                ) from error
    if focus_areas is not None:
        agreement.focus_areas.all().delete()
        for index, area in enumerate(focus_areas):
            try:
                record_save(FocusArea(agreement=agreement), dict(area))
            except ValidationError as error:
                raise ValidationError(
                    {"focus_areas": [f"#{index + 1}: {m}" for m in error.messages]}
                ) from error


@transaction.atomic
def agreement_create(*, parties=None, focus_areas=None, **fields) -> Agreement:
    agreement = record_save(Agreement(), fields)
    _replace_parts(agreement, parties, focus_areas)
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, parties=None, focus_areas=None, **fields
) -> Agreement:
    agreement = record_save(agreement, fields)
    _replace_parts(agreement, parties, focus_areas)
    return agreement


def funding_create(**fields) -> Funding:
    return record_save(Funding(), fields)


def funding_update(*, funding: Funding, **fields) -> Funding:
    return record_save(funding, fields)
