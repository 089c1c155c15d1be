"""Write side of the partnerships app; every write goes through the model's ``full_clean``.

An agreement is written with its parties and focus areas in one transaction; when
they are given they replace the previous ones.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoregistry.core.records import record_save
from oncoregistry.review.services import record_write

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
def agreement_create(
    *, parties=None, focus_areas=None, user=None, reason="", citations=(), **fields
) -> Agreement:
    agreement = record_write(Agreement(), fields, user=user, reason=reason, citations=citations)
    _replace_parts(agreement, parties, focus_areas)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    parties=None,
    focus_areas=None,
    user=None,
    reason="",
    citations=(),
    **fields,
):
    if agreement.is_published and (parties is not None or focus_areas is not None):
        # A proposal holds the agreement's own fields; parties and areas are records of
        # their own, kept in the admin.
        raise ValidationError(
            {
                "parties" if parties is not None else "focus_areas": [
                    _(
                        "This agreement is published: a proposed change holds the agreement's "
                        "own fields only; change its parties and areas of cooperation in the "
                        "admin."
                    )
                ]
            }
        )
    written = record_write(agreement, fields, user=user, reason=reason, citations=citations)
    if written is agreement:
        _replace_parts(agreement, parties, focus_areas)
    return written


def funding_create(*, user=None, reason="", citations=(), **fields) -> Funding:
    return record_write(Funding(), fields, user=user, reason=reason, citations=citations)


def funding_update(*, funding: Funding, user=None, reason="", citations=(), **fields):
    return record_write(funding, fields, user=user, reason=reason, citations=citations)
