"""Write side of the centers app: the one place a record is created or changed
(API, admin and scripts alike). Every write goes through ``record_write``: a draft is saved,
a change to a published record is proposed for review; the model's ``full_clean`` runs."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from oncoregistry.core.meta import default_manager, options, set_change_reason
from oncoregistry.core.records import record_lock
from oncoregistry.core.uniqueness import NaturalKeyModel
from oncoregistry.review.services import history_reason, record_write
from oncoregistry.sources.models import Citation

from .models import (
    CapacityFigure,
    Designation,
    Equipment,
    Metric,
    Organization,
    OrganizationSlugRedirect,
)


def organization_create(*, user=None, reason="", citations=(), **fields) -> Organization:
    return record_write(Organization(), fields, user=user, reason=reason, citations=citations)


def organization_update(
    *, organization: Organization, user=None, reason="", citations=(), **fields
):
    return record_write(organization, fields, user=user, reason=reason, citations=citations)


def equipment_create(*, user=None, reason="", citations=(), **fields) -> Equipment:
    return record_write(Equipment(), fields, user=user, reason=reason, citations=citations)


def equipment_update(*, equipment: Equipment, user=None, reason="", citations=(), **fields):
    return record_write(equipment, fields, user=user, reason=reason, citations=citations)


def metric_create(*, user=None, reason="", citations=(), **fields) -> Metric:
    return record_write(Metric(), fields, user=user, reason=reason, citations=citations)


def metric_update(*, metric: Metric, user=None, reason="", citations=(), **fields):
    return record_write(metric, fields, user=user, reason=reason, citations=citations)


def capacity_figure_create(*, user=None, reason="", citations=(), **fields) -> CapacityFigure:
    return record_write(CapacityFigure(), fields, user=user, reason=reason, citations=citations)


def capacity_figure_update(
    *, capacity_figure: CapacityFigure, user=None, reason="", citations=(), **fields
):
    return record_write(capacity_figure, fields, user=user, reason=reason, citations=citations)


def designation_create(*, user=None, reason="", citations=(), **fields) -> Designation:
    return record_write(Designation(), fields, user=user, reason=reason, citations=citations)


def designation_update(*, designation: Designation, user=None, reason="", citations=(), **fields):
    return record_write(designation, fields, user=user, reason=reason, citations=citations)


def _merged_names(keep, merge):
    """``keep``'s aliases followed by every name of ``merge`` it does not already have."""
    known = {n.casefold() for n in (keep.name, keep.short_name, keep.name_ru, keep.name_kk) if n}
    aliases = []
    for name in [*keep.alias_list, merge.name, merge.short_name, merge.name_ru, merge.name_kk]:
        name = (name or "").strip()
        if name and name.casefold() not in known:
            known.add(name.casefold())
            aliases.append(name)
    for name in merge.alias_list:
        if name.casefold() not in known:
            known.add(name.casefold())
            aliases.append(name)
    return "\n".join(aliases)


def _move_citations(*, model, from_id, to_id, reason):
    """Citations of record ``from_id`` now back record ``to_id`` (one that it already has
    is not copied twice)."""
    content_type = ContentType.objects.get_for_model(model)
    for citation in Citation.objects.filter(content_type=content_type, object_id=from_id):
        citation.object_id = to_id
        set_change_reason(citation, reason)
        if citation.find_duplicate() is None:
            citation.save(update_fields=["object_id", "updated_at"])
        else:
            citation.object_id = from_id
            citation.delete()


@transaction.atomic
def organization_merge(
    *, keep: Organization, merge: Organization, reason: str = ""
) -> Organization:
    """Merge ``merge`` into ``keep``: every record and citation that points at ``merge``
    points at ``keep``, ``merge``'s names become ``keep``'s aliases, both histories say so,
    and ``merge``'s slug answers with a permanent redirect to ``keep``.

    A record that would then say what ``keep`` already says (the same figure twice) is
    not kept twice: its citations join the one that stays and it is deleted.
    """
    if keep.pk == merge.pk:
        raise ValidationError(_("An organisation cannot be merged into itself."))
    record_lock(keep)
    record_lock(merge)
    if Designation.objects.filter(
        Q(organization=keep, awarding_body=merge) | Q(organization=merge, awarding_body=keep)
    ).exists():
        raise ValidationError(
            _(
                "“%(merge)s” and “%(keep)s” award a designation to each other; after a merge "
                "one organisation would award itself. Correct that designation first."
            )
            % {"merge": merge.name, "keep": keep.name}
        )
    # History's change-reason column holds 100 characters: the slugs and the start of the
    # reason go there; the redirect keeps the merged name and the whole reason.
    why = _("Merged %(slug)s into %(keep)s: %(reason)s") % {
        "slug": merge.slug,
        "keep": keep.slug,
        "reason": reason or _("no reason given"),
    }
    why = history_reason(why)

    if keep.parent_id == merge.pk:
        # The one that stays was part of the merged one: it takes its place in the tree.
        keep.parent_id = merge.parent_id if merge.parent_id != keep.pk else None
    for relation in options(Organization).related_objects:
        if relation.many_to_many:
            continue  # agreements reach organisations through AgreementParty, moved below
        field = relation.field
        for record in default_manager(relation.related_model).filter(**{field.name: merge}):
            if record.pk == keep.pk and relation.related_model is Organization:
                continue
            setattr(record, field.name, keep)
            set_change_reason(record, why)
            existing = record.find_duplicate() if isinstance(record, NaturalKeyModel) else None
            if existing is not None:
                _move_citations(
                    model=relation.related_model, from_id=record.pk, to_id=existing.pk, reason=why
                )
                setattr(record, field.name, merge)
                record.delete()
                continue
            fields = [field.name]
            if any(f.name == "updated_at" for f in options(record).concrete_fields):
                fields.append("updated_at")
            record.save(update_fields=fields)

    _move_citations(model=Organization, from_id=merge.pk, to_id=keep.pk, reason=why)
    keep.aliases = _merged_names(keep, merge)
    set_change_reason(keep, why)
    keep.full_clean()
    keep.save()
    OrganizationSlugRedirect.objects.update_or_create(
        old_slug=merge.slug,
        defaults={"organization": keep, "merged_name": merge.name, "reason": reason},
    )
    set_change_reason(merge, why)
    merge.delete()
    return keep
