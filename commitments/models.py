"""Commitments: what the registry's records say is planned or targeted, and whether it came.

A commitment is derived, never typed in, from the records and their history (a planned
center, a planned service or trial stage with its expected date, a target figure, equipment
planned or in development, a designation sought, an agreement's planned deliverable), with
its status computed for a day: ``services.commitments_update`` re-derives a changed record's
commitments at the commit of the change, ``services.commitments_refresh`` the whole table
after a bulk load and once a day, and the statistics refresh first moves each status to
today (``services.commitment_statuses_refresh``).
"""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from centers.models import Organization, Region
from oncoregistry.core.choices import DatePrecision, DateQualifier, Qualifier
from oncoregistry.core.derived import Derived, qualified_number
from oncoregistry.core.models import QUANTITY_DIGITS, LocalizedNameMixin, partial_date_display
from oncoregistry.sources.models import Citation, Source


class CommitmentKind(models.TextChoices):
    PLANNED_ORGANIZATION = "planned_organization", _("planned center or unit")
    PLANNED_SERVICE = "planned_service", _("planned service")
    TRIAL_STAGE = "trial_stage", _("planned clinical trial")
    TARGET_FIGURE = "target_figure", _("target figure")
    EQUIPMENT = "equipment", _("equipment planned or in development")
    DESIGNATION = "designation", _("designation sought")
    AGREEMENT_DELIVERABLE = "agreement_deliverable", _("agreement's planned deliverable")


class CommitmentStatus(models.TextChoices):
    DELIVERED = "delivered", _("delivered")
    ON_TRACK = "on_track", _("on track")
    DUE_THIS_YEAR = "due_this_year", _("due this year")
    OVERDUE = "overdue", _("overdue")
    NO_DATE = "no_date", _("no date stated")


def due_by(year, month, day, precision):
    """The last day a stated due date covers ("by 2026" → 31 December 2026); None without
    a year."""
    if year is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.DAY and month and day:
        return datetime.date(year, month, day)
    if precision in (DatePrecision.DAY, DatePrecision.MONTH) and month:
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date(year, 12, 31)


def commitment_status(*, delivered_on, due, today):
    if delivered_on is not None:
        return CommitmentStatus.DELIVERED
    if due is None:
        return CommitmentStatus.NO_DATE
    if due < today:
        return CommitmentStatus.OVERDUE
    if due.year == today.year:
        return CommitmentStatus.DUE_THIS_YEAR
    return CommitmentStatus.ON_TRACK


class CommitmentQuerySet(models.QuerySet):
    def published(self):
        """Every commitment: each is derived from published records only."""
        return self


class Commitment(LocalizedNameMixin, models.Model):
    Kind = CommitmentKind
    Status = CommitmentStatus

    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    name = models.CharField(_("what"), max_length=300)
    name_ru = models.CharField(_("what (Russian)"), max_length=300, blank=True)
    name_kk = models.CharField(_("what (Kazakh)"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=QUANTITY_DIGITS, decimal_places=2, null=True, blank=True
    )
    target_qualifier = models.CharField(
        _("target qualifier"), max_length=10, choices=Qualifier.choices, blank=True
    )
    target_unit = models.CharField(_("target unit"), max_length=40, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("organization"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("region"),
    )
    modality = models.CharField(_("modality"), max_length=40, blank=True, db_index=True)
    record_type = models.CharField(_("record type"), max_length=60)
    record_slug = models.CharField(_("record"), max_length=120)
    # Which record states it, so that its commitment is found when its slug changes or it
    # is deleted (services.commitments_update).
    record_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    page_url = models.CharField(_("page"), max_length=300, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("source")
    )
    citation = models.ForeignKey(
        Citation, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("citation")
    )
    quote = models.TextField(_("quote"), blank=True)
    due_year = models.PositiveSmallIntegerField(_("due year"), null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(_("due month"), null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)
    due_precision = models.CharField(
        _("due date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    due_qualifier = models.CharField(
        _("due date qualifier"),
        max_length=10,
        choices=DateQualifier.choices,
        default=DateQualifier.ON,
    )
    due_by = models.DateField(_("due by"), null=True, blank=True, db_index=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    status_on = models.DateField(_("status computed for"), db_index=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("computed"), db_index=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = [models.F("due_by").asc(nulls_last=True), "name", "slug"]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="commitment_record_idx"),
            # The statistic's GROUP BY (stats.statistics.commitments), read from the index alone.
            models.Index(
                fields=["status", "kind", "region_id", "status_on"],
                name="commitment_statistic_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CommitmentStatus.values),
                name="commitments_commitment_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=CommitmentKind.values),
                name="commitments_commitment_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    due_display = Derived(
        partial_date_display, "due_year", "due_month", "due_day", "due_precision", "due_qualifier"
    )
    target_display = Derived(qualified_number, "target_value", "target_qualifier")
