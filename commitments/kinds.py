"""The kinds of record that state commitments (a planned therapy, a center or machine
being built, a target, a designation sought, an agreement's focus areas and the agreement
itself): for each, which published records state one and how a record's row becomes the
commitment's fields. ``services.py`` turns them into the table."""

from django.db.models import Min, OuterRef, Q, Subquery
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

from .models import CommitmentKind

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
#: Rows fetched per round trip.
CHUNK = 2000


def _first_date_in(history, values, field="status", pk="pk"):
    """When the record first reached one of ``values``, from its history (a subquery)."""
    return Subquery(
        history.filter(id=OuterRef(pk), **{f"{field}__in": values})
        .order_by("history_date")
        .values("history_date")[:1]
    )


def _ever(model, field, values):
    """Records that are, or once were, in one of ``values``."""
    once = model.history.filter(**{f"{field}__in": values}).values("id")
    return Q(**{f"{field}__in": values}) | Q(pk__in=once)


def _day(moment):
    return timezone.localdate(moment) if moment is not None else None


def _labels(model, field):
    """``{value: label}`` of a field's choices, translated once (in the active language, as
    ``get_FOO_display()`` would for each row)."""
    return {value: str(label) for value, label in options(model).get_field(field).flatchoices}


UNDATED = {
    "due_year": None,
    "due_month": None,
    "due_day": None,
    "due_precision": DatePrecision.UNKNOWN,
    "due_qualifier": DateQualifier.ON,
}
#: The partial date of a record's row (``values()`` of PartialDateModel's fields).
DATE_FIELDS = ("date_year", "date_month", "date_day", "date_precision", "date_qualifier")


def _dated(row):
    return {
        "due_year": row["date_year"],
        "due_month": row["date_month"],
        "due_day": row["date_day"],
        "due_precision": row["date_precision"],
        "due_qualifier": row["date_qualifier"],
    }


class Kind:
    """One kind of record that states commitments: which of its published records do
    (``records``, a queryset), the row read for each (``fields``, with annotations), and
    how a row becomes a commitment's fields (``shape(row)``, with ``"record_slug"``)."""

    def __init__(self, model, records, fields, shape, **annotations):
        self.model, self.records, self.fields, self.shape = model, records, fields, shape
        self.annotations = annotations

    def rows(self):
        return (
            self.records.annotate(**self.annotations)
            .order_by("pk")
            .values("pk", *self.fields, *self.annotations)
            .iterator(chunk_size=CHUNK)
        )

    def first_citations(self):
        """``(object id, citation id, source id, quote)`` of these records' published
        citations, by record then citation: the first of each record is its citation."""
        meta = options(self.model)
        return (
            Citation.objects.published()
            .filter(
                content_type__app_label=meta.app_label,
                content_type__model=meta.model_name,
                object_id__in=self.records.values("pk"),
            )
            .order_by("object_id", "id")
            .values_list("object_id", "id", "source_id", "quote")
            .iterator(chunk_size=CHUNK)
        )


def offerings():
    def shape(row):
        planned = row["planned_as"] or row["stage"]
        trial = planned == Stage.CLINICAL_TRIAL_PLANNED
        delivered = TRIAL_DELIVERED if trial else SERVICE_DELIVERED
        return {
            "record_slug": row["slug"],
            "kind": CommitmentKind.TRIAL_STAGE if trial else CommitmentKind.PLANNED_SERVICE,
            "name": row["therapy__name"],
            "name_ru": row["therapy__name_ru"],
            "name_kk": row["therapy__name_kk"],
            "detail": row["notes"],
            "organization_id": row["organization_id"],
            "region_id": row["organization__region_id"],
            "modality": row["therapy__modality"],
            "page_url": f"/therapies/{row['therapy__slug']}/",
            **_dated(row),
            "delivered_on": _day(
                (row["trial_on"] if trial else row["service_on"])
                if row["stage"] in delivered
                else None
            ),
        }

    return Kind(
        TherapyOffering,
        TherapyOffering.objects.published().filter(_ever(TherapyOffering, "stage", PLANNED_STAGES)),
        (
            "slug",
            "stage",
            "notes",
            *DATE_FIELDS,
            "therapy__name",
            "therapy__name_ru",
            "therapy__name_kk",
            "therapy__modality",
            "therapy__slug",
            "organization_id",
            "organization__region_id",
        ),
        shape,
        planned_as=Subquery(
            TherapyOffering.history.filter(id=OuterRef("pk"), stage__in=PLANNED_STAGES)
            .order_by("history_date")
            .values("stage")[:1]
        ),
        trial_on=_first_date_in(TherapyOffering.history, TRIAL_DELIVERED, "stage"),
        service_on=_first_date_in(TherapyOffering.history, SERVICE_DELIVERED, "stage"),
    )


def organizations():
    def shape(row):
        operating = row["status"] == OrganizationStatus.OPERATING
        return {
            "record_slug": row["slug"],
            "kind": CommitmentKind.PLANNED_ORGANIZATION,
            "name": row["name"],
            "name_ru": row["name_ru"],
            "name_kk": row["name_kk"],
            "detail": row["city"],
            "organization_id": row["pk"],
            "region_id": row["region_id"],
            "modality": ORGANIZATION_MODALITY.get(row["kind"], ""),
            "page_url": f"/centers/{row['slug']}/",
            **UNDATED,
            "delivered_on": _day(row["operating_on"]) if operating else None,
        }

    return Kind(
        Organization,
        Organization.objects.published().filter(
            _ever(Organization, "status", PLANNED_ORGANIZATION)
        ),
        ("slug", "status", "kind", "name", "name_ru", "name_kk", "city", "region_id"),
        shape,
        operating_on=_first_date_in(Organization.history, [OrganizationStatus.OPERATING]),
    )


def equipment():
    statuses = _labels(Equipment, "status")

    def shape(row):
        operating = row["status"] == EquipmentStatus.OPERATING
        return {
            "record_slug": row["slug"],
            "kind": CommitmentKind.EQUIPMENT,
            "name": row["name"],
            "detail": statuses.get(row["status"], row["status"]) if not operating else "",
            "organization_id": row["organization_id"],
            "region_id": row["organization__region_id"],
            "modality": EQUIPMENT_MODALITY.get(row["category"], ""),
            "page_url": f"/centers/{row['organization__slug']}/",
            **UNDATED,
            "delivered_on": _day(row["operating_on"]) if operating else None,
        }

    return Kind(
        Equipment,
        Equipment.objects.published().filter(_ever(Equipment, "status", PLANNED_EQUIPMENT)),
        (
            "slug",
            "status",
            "name",
            "category",
            "organization_id",
            "organization__region_id",
            "organization__slug",
        ),
        shape,
        operating_on=_first_date_in(Equipment.history, [EquipmentStatus.OPERATING]),
    )


def targets():
    """A target is delivered by a figure of the same organisation, metric and period that
    states at least as much as delivered (or as capacity): on the day the first such
    figure was recorded (one subquery: none recorded, not delivered)."""
    periods = _labels(CapacityFigure, "period")
    meeting = CapacityFigure.objects.published().filter(
        organization=OuterRef("organization"),
        metric=OuterRef("metric"),
        period=OuterRef("period"),
        kind__in=[CapacityFigure.Kind.DELIVERED, CapacityFigure.Kind.CAPACITY],
        value__gte=OuterRef("value"),
    )

    def shape(row):
        return {
            "record_slug": row["slug"],
            "kind": CommitmentKind.TARGET_FIGURE,
            "name": row["metric__name"],
            "name_ru": row["metric__name_ru"],
            "name_kk": row["metric__name_kk"],
            "detail": periods.get(row["period"], row["period"]),
            "target_value": row["value"],
            "target_qualifier": row["qualifier"],
            "target_unit": row["metric__unit"],
            "organization_id": row["organization_id"],
            "region_id": row["organization__region_id"],
            "page_url": f"/centers/{row['organization__slug']}/",
            **_dated(row),
            "delivered_on": _day(row["met_on"]),
        }

    return Kind(
        CapacityFigure,
        CapacityFigure.objects.published().filter(kind=CapacityFigure.Kind.TARGET),
        (
            "slug",
            "period",
            "value",
            "qualifier",
            *DATE_FIELDS,
            "metric__name",
            "metric__name_ru",
            "metric__name_kk",
            "metric__unit",
            "organization_id",
            "organization__region_id",
            "organization__slug",
        ),
        shape,
        met_on=Subquery(
            meeting.order_by()
            .values("organization")
            .annotate(first=Min("created_at"))
            .values("first")[:1]
        ),
    )


def designations():
    statuses = _labels(Designation, "status")

    def shape(row):
        granted = row["status"] == Designation.Status.GRANTED
        return {
            "record_slug": row["slug"],
            "kind": CommitmentKind.DESIGNATION,
            "name": row["title"],
            "detail": statuses.get(row["status"], row["status"]) if not granted else "",
            "organization_id": row["organization_id"],
            "region_id": row["organization__region_id"],
            "page_url": f"/centers/{row['organization__slug']}/",
            **_dated(row),
            "delivered_on": _day(row["granted_on"]) if granted else None,
        }

    return Kind(
        Designation,
        Designation.objects.published().filter(_ever(Designation, "status", SOUGHT)),
        (
            "slug",
            "status",
            "title",
            *DATE_FIELDS,
            "organization_id",
            "organization__region_id",
            "organization__slug",
        ),
        shape,
        granted_on=_first_date_in(Designation.history, [Designation.Status.GRANTED]),
    )


def focus_areas():
    """An agreement's numbered areas of cooperation, each a deliverable (delivered when the
    agreement is completed)."""

    def shape(row):
        completed = row["agreement__status"] == AgreementStatus.COMPLETED
        return {
            "record_slug": f"{row['agreement__slug']}-area-{row['order']}",
            "kind": CommitmentKind.AGREEMENT_DELIVERABLE,
            "name": row["title"],
            "detail": row["agreement__title"],
            "page_url": f"/partnerships/{row['agreement__slug']}/",
            **UNDATED,
            "delivered_on": _day(row["completed_on"]) if completed else None,
        }

    return Kind(
        FocusArea,
        FocusArea.objects.published().exclude(agreement__status=AgreementStatus.TERMINATED),
        ("order", "title", "agreement__slug", "agreement__title", "agreement__status"),
        shape,
        completed_on=_first_date_in(
            Agreement.history, [AgreementStatus.COMPLETED], pk="agreement_id"
        ),
    )


def agreements():
    """An agreement without areas that is not yet in force promises what its title says
    (delivered when it comes into force)."""
    kinds = _labels(Agreement, "kind")

    def shape(row):
        delivered = row["status"] in AGREEMENT_DELIVERED
        return {
            "record_slug": row["slug"],
            "kind": CommitmentKind.AGREEMENT_DELIVERABLE,
            "name": row["title"],
            "detail": kinds.get(row["kind"], row["kind"]),
            "page_url": f"/partnerships/{row['slug']}/",
            **UNDATED,
            "delivered_on": _day(row["in_force_on"]) if delivered else None,
        }

    return Kind(
        Agreement,
        Agreement.objects.published()
        .filter(_ever(Agreement, "status", AGREEMENT_PENDING), focus_areas__isnull=True)
        .exclude(status=AgreementStatus.TERMINATED),
        ("slug", "status", "title", "kind"),
        shape,
        in_force_on=_first_date_in(Agreement.history, AGREEMENT_DELIVERED),
    )


KINDS = (offerings, organizations, equipment, targets, designations, focus_areas, agreements)
