"""Rebuild the commitments from the published records and their history (a fixed number of
queries): a draft promise is not public until a reviewer publishes it."""

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone

from centers.models import (
    CapacityFigure,
    Designation,
    Equipment,
    EquipmentStatus,
    Organization,
    OrganizationKind,
    OrganizationStatus,
)
from oncoregistry.core.choices import DatePrecision, DateQualifier
from oncoregistry.core.meta import options
from oncoregistry.sources.models import Citation
from partnerships.models import Agreement, AgreementStatus, FocusArea
from therapies.models import Modality, Stage, TherapyOffering

from .models import Commitment, CommitmentKind, commitment_status, due_by

PLANNED_ORGANIZATION = (OrganizationStatus.PLANNED, OrganizationStatus.UNDER_CONSTRUCTION)
PLANNED_EQUIPMENT = (EquipmentStatus.PLANNED, EquipmentStatus.IN_DEVELOPMENT)
SOUGHT = (Designation.Status.PURSUING, Designation.Status.UNDER_REVIEW)
#: A planned stage, and the stages that deliver it.
TRIAL_DELIVERED = (
    Stage.TRIAL_PHASE_1,
    Stage.TRIAL_PHASE_2,
    Stage.TRIAL_PHASE_3,
    Stage.APPROVED,
    Stage.ROUTINE_SERVICE,
)
SERVICE_DELIVERED = (Stage.ROUTINE_SERVICE,)
PLANNED_STAGES = (Stage.CLINICAL_TRIAL_PLANNED, Stage.PLANNED_SERVICE)
#: An agreement not yet in force promises what it is for; in force or completed delivers it.
AGREEMENT_PENDING = (AgreementStatus.PLANNED, AgreementStatus.SIGNED)
AGREEMENT_DELIVERED = (AgreementStatus.IN_FORCE, AgreementStatus.COMPLETED)
EQUIPMENT_MODALITY = {
    Equipment.Category.LINEAR_ACCELERATOR: Modality.RADIATION_THERAPY,
    Equipment.Category.PROTON_THERAPY_SYSTEM: Modality.PROTON_THERAPY,
    Equipment.Category.PET_CT: Modality.RADIOPHARMACEUTICAL_DIAGNOSTICS,
    Equipment.Category.PET_MRI: Modality.RADIOPHARMACEUTICAL_DIAGNOSTICS,
}
ORGANIZATION_MODALITY = {
    OrganizationKind.RADIOPHARMACEUTICAL_CENTER: Modality.RADIOPHARMACEUTICAL_DIAGNOSTICS,
}


def _first_date_in(history, values, field="status"):
    """When the record first reached one of ``values``, from its history (a subquery)."""
    return Subquery(
        history.filter(id=OuterRef("pk"), **{f"{field}__in": values})
        .order_by("history_date")
        .values("history_date")[:1]
    )


def _ever(model, field, values):
    """Records that are, or once were, in one of ``values``."""
    once = model.history.filter(**{f"{field}__in": values}).values("id")
    return Q(**{f"{field}__in": values}) | Q(pk__in=once)


def _day(moment):
    return timezone.localdate(moment) if moment is not None else None


def _undated():
    return {
        "due_year": None,
        "due_month": None,
        "due_day": None,
        "due_precision": DatePrecision.UNKNOWN,
        "due_qualifier": DateQualifier.ON,
    }


def _dated(record):
    return {
        "due_year": record.date_year,
        "due_month": record.date_month,
        "due_day": record.date_day,
        "due_precision": record.date_precision,
        "due_qualifier": record.date_qualifier,
    }


def _names(record):
    return {"name": record.name, "name_ru": record.name_ru, "name_kk": record.name_kk}


def _place(organization):
    return {"organization": organization, "region_id": organization.region_id}


def offering_commitments():
    offerings = (
        TherapyOffering.objects.published()
        .filter(_ever(TherapyOffering, "stage", PLANNED_STAGES))
        .select_related("therapy", "organization")
        .annotate(
            planned_as=Subquery(
                TherapyOffering.history.filter(id=OuterRef("pk"), stage__in=PLANNED_STAGES)
                .order_by("history_date")
                .values("stage")[:1]
            ),
            trial_on=_first_date_in(TherapyOffering.history, TRIAL_DELIVERED, "stage"),
            service_on=_first_date_in(TherapyOffering.history, SERVICE_DELIVERED, "stage"),
        )
    )
    for offering in offerings:
        planned = offering.planned_as or offering.stage
        trial = planned == Stage.CLINICAL_TRIAL_PLANNED
        delivered = TRIAL_DELIVERED if trial else SERVICE_DELIVERED
        yield (
            offering,
            {
                "kind": CommitmentKind.TRIAL_STAGE if trial else CommitmentKind.PLANNED_SERVICE,
                **_names(offering.therapy),
                "detail": offering.notes,
                **_place(offering.organization),
                "modality": offering.therapy.modality,
                "page_url": f"/therapies/{offering.therapy.slug}/",
                **_dated(offering),
                "delivered_on": _day(
                    (offering.trial_on if trial else offering.service_on)
                    if offering.stage in delivered
                    else None
                ),
            },
        )


def organization_commitments():
    organizations = (
        Organization.objects.published()
        .filter(_ever(Organization, "status", PLANNED_ORGANIZATION))
        .annotate(operating_on=_first_date_in(Organization.history, [OrganizationStatus.OPERATING]))
    )
    for organization in organizations:
        operating = organization.status == OrganizationStatus.OPERATING
        yield (
            organization,
            {
                "kind": CommitmentKind.PLANNED_ORGANIZATION,
                **_names(organization),
                "detail": organization.city,
                **_place(organization),
                "modality": ORGANIZATION_MODALITY.get(organization.kind, ""),
                "page_url": f"/centers/{organization.slug}/",
                **_undated(),
                "delivered_on": _day(organization.operating_on) if operating else None,
            },
        )


def equipment_commitments():
    equipment = (
        Equipment.objects.published()
        .filter(_ever(Equipment, "status", PLANNED_EQUIPMENT))
        .select_related("organization")
        .annotate(operating_on=_first_date_in(Equipment.history, [EquipmentStatus.OPERATING]))
    )
    for item in equipment:
        operating = item.status == EquipmentStatus.OPERATING
        yield (
            item,
            {
                "kind": CommitmentKind.EQUIPMENT,
                "name": item.name,
                "detail": item.get_status_display() if not operating else "",
                **_place(item.organization),
                "modality": EQUIPMENT_MODALITY.get(item.category, ""),
                "page_url": f"/centers/{item.organization.slug}/",
                **_undated(),
                "delivered_on": _day(item.operating_on) if operating else None,
            },
        )


def target_commitments():
    """A target is delivered by a figure of the same organisation, metric and period that
    states at least as much as delivered (or as capacity)."""
    meeting = CapacityFigure.objects.published().filter(
        organization=OuterRef("organization"),
        metric=OuterRef("metric"),
        period=OuterRef("period"),
        kind__in=[CapacityFigure.Kind.DELIVERED, CapacityFigure.Kind.CAPACITY],
        value__gte=OuterRef("value"),
    )
    targets = (
        CapacityFigure.objects.published()
        .filter(kind=CapacityFigure.Kind.TARGET)
        .select_related("organization", "metric")
        .annotate(
            met=Exists(meeting),
            met_on=Subquery(
                meeting.order_by()
                .values("organization")
                .annotate(first=Min("created_at"))
                .values("first")[:1]
            ),
        )
    )
    for figure in targets:
        yield (
            figure,
            {
                "kind": CommitmentKind.TARGET_FIGURE,
                **_names(figure.metric),
                "detail": figure.get_period_display(),
                "target_value": figure.value,
                "target_qualifier": figure.qualifier,
                "target_unit": figure.metric.unit,
                **_place(figure.organization),
                "page_url": f"/centers/{figure.organization.slug}/",
                **_dated(figure),
                "delivered_on": _day(figure.met_on) if figure.met else None,
            },
        )


def designation_commitments():
    designations = (
        Designation.objects.published()
        .filter(_ever(Designation, "status", SOUGHT))
        .select_related("organization")
        .annotate(granted_on=_first_date_in(Designation.history, [Designation.Status.GRANTED]))
    )
    for designation in designations:
        granted = designation.status == Designation.Status.GRANTED
        yield (
            designation,
            {
                "kind": CommitmentKind.DESIGNATION,
                "name": designation.title,
                "detail": designation.get_status_display() if not granted else "",
                **_place(designation.organization),
                "page_url": f"/centers/{designation.organization.slug}/",
                **_dated(designation),
                "delivered_on": _day(designation.granted_on) if granted else None,
            },
        )


def agreement_commitments():
    """An agreement's numbered areas of cooperation, each a deliverable (delivered when the
    agreement is completed); an agreement without areas that is not yet in force promises
    what its title says (delivered when it comes into force)."""
    completed_on = _first_date_in(Agreement.history, [AgreementStatus.COMPLETED])
    areas = (
        FocusArea.objects.published()
        .select_related("agreement")
        .annotate(
            completed_on=Subquery(
                Agreement.history.filter(
                    id=OuterRef("agreement_id"), status=AgreementStatus.COMPLETED
                )
                .order_by("history_date")
                .values("history_date")[:1]
            )
        )
    )
    for area in areas.exclude(agreement__status=AgreementStatus.TERMINATED):
        completed = area.agreement.status == AgreementStatus.COMPLETED
        yield (
            area,
            {
                "kind": CommitmentKind.AGREEMENT_DELIVERABLE,
                "name": area.title,
                "detail": area.agreement.title,
                "page_url": f"/partnerships/{area.agreement.slug}/",
                **_undated(),
                "delivered_on": _day(area.completed_on) if completed else None,
            },
        )
    agreements = (
        Agreement.objects.published()
        .filter(_ever(Agreement, "status", AGREEMENT_PENDING), focus_areas__isnull=True)
        .exclude(status=AgreementStatus.TERMINATED)
        .annotate(
            in_force_on=_first_date_in(Agreement.history, AGREEMENT_DELIVERED),
            completed_on=completed_on,
        )
    )
    for agreement in agreements:
        delivered = agreement.status in AGREEMENT_DELIVERED
        yield (
            agreement,
            {
                "kind": CommitmentKind.AGREEMENT_DELIVERABLE,
                "name": agreement.title,
                "detail": agreement.get_kind_display(),
                "page_url": f"/partnerships/{agreement.slug}/",
                **_undated(),
                "delivered_on": _day(agreement.in_force_on) if delivered else None,
            },
        )


BUILDERS = (
    offering_commitments,
    organization_commitments,
    equipment_commitments,
    target_commitments,
    designation_commitments,
    agreement_commitments,
)


def _first_citations(records):
    """``{(app label, model name, object id): citation}``: each record's first published
    citation, in one query (the record types named, not looked up as content types)."""
    wanted = {}
    for record in records:
        meta = options(record)
        wanted.setdefault((meta.app_label, meta.model_name), set()).add(record.pk)
    if not wanted:
        return {}
    match = Q()
    for (app_label, model), ids in wanted.items():
        match |= Q(content_type__app_label=app_label, content_type__model=model, object_id__in=ids)
    first = {}
    citations = (
        Citation.objects.published()
        .filter(match)
        .select_related("content_type")
        .order_by("content_type_id", "object_id", "id")
    )
    for citation in citations:
        key = (citation.content_type.app_label, citation.content_type.model, citation.object_id)
        first.setdefault(key, citation)
    return first


def commitments_compute(*, today=None):
    """Every commitment as unsaved ``Commitment`` rows, with its status for ``today``."""
    today = today or timezone.localdate()
    found = [(record, values) for build in BUILDERS for record, values in build()]
    citations = _first_citations([record for record, _values in found])
    now = timezone.now()
    rows = []
    for record, values in found:
        label, model = options(record).app_label, options(record).model_name
        citation = citations.get((label, model, record.pk))
        due = due_by(
            values["due_year"], values["due_month"], values["due_day"], values["due_precision"]
        )
        slug = getattr(record, "slug", None) or f"{record.agreement.slug}-area-{record.order}"
        rows.append(
            Commitment(
                slug=f"{model}-{slug}"[:160],
                record_type=f"{label}.{model}",
                record_slug=slug,
                citation=citation,
                quote=citation.quote if citation else "",
                source_id=citation.source_id if citation else None,
                due_by=due,
                status=commitment_status(delivered_on=values["delivered_on"], due=due, today=today),
                status_on=today,
                created_at=now,
                updated_at=now,
                **values,
            )
        )
    return rows


@transaction.atomic
def commitments_refresh(*, today=None):
    """Replace every commitment with those the records state today; returns how many."""
    rows = commitments_compute(today=today)
    Commitment.objects.all().delete()
    Commitment.objects.bulk_create(rows)
    return len(rows)
