"""Abstract bases every registry record builds on.

* :class:`TrackedModel` — timestamps, full change history, citations and a publication
  state (``publication.py``: the public reads published records only).
* :class:`RegistryModel` — a tracked record with a stable slug, the natural key
  used by fixtures, the API and the public pages.
* :class:`LocalizedNameMixin` — ``display_name`` in the active language, for records
  with ``name``, ``name_ru`` and ``name_kk``.
* :class:`PartialDateModel` — a date as precise as its source and no more:
  "May 30" with no year keeps its month and day and an unknown year.
"""

import calendar
import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import DatePrecision, DateQualifier, Qualifier
from .derived import Derived, LocalizedName, localized_name
from .publication import PublicationQuerySet, PublicationState, PublishableModel

__all__ = ["PublicationQuerySet", "PublicationState", "PublishableModel"]

# Digits of a quantity (amounts, figures, targets): a double keeps 15, and SQLite, the
# embedded default, stores decimals as doubles; so every backend returns what was written.
QUANTITY_DIGITS = 15


class TrackedModel(PublishableModel):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    citations = GenericRelation("sources.Citation")
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class RegistryModel(TrackedModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)


class LocalizedNameMixin:
    """``display_name`` picks name_ru / name_kk for the active language when the registry has it."""

    display_name = LocalizedName()

    def display_name_for(self, language=None):
        return localized_name(self.name, self.name_ru, self.name_kk, language)


MONTH_NAMES = [
    "",
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]


def stated_precision(year, month, day):
    """The finest part of a partial date that is filled in: what the source states, no more."""
    if day is not None:
        return DatePrecision.DAY
    if month is not None:
        return DatePrecision.MONTH
    if year is not None:
        return DatePrecision.YEAR
    return DatePrecision.UNKNOWN


def partial_date_display(year, month, day, precision, qualifier=DateQualifier.ON):
    """Render a partial date for people: '30 May (year not stated)', 'by 2026'."""
    if precision == DatePrecision.UNKNOWN or (year is None and month is None):
        return str(_("date not stated"))
    parts = []
    if precision == DatePrecision.DAY and day:
        parts.append(str(day))
    if precision in (DatePrecision.DAY, DatePrecision.MONTH) and month:
        parts.append(str(MONTH_NAMES[month]))
    if year:
        parts.append(str(year))
    text = " ".join(parts)
    if year is None:
        text = f"{text} ({_('year not stated')})"
    if qualifier and qualifier != DateQualifier.ON:
        text = f"{DateQualifier(qualifier).label} {text}"
    return text


class PartialDateModel(models.Model):
    """A date with its precision: year, month and day are each known or not.

    ``date`` is derived (the first day the partial date covers) and only set
    when the year is known, so range filters never match an invented year.
    """

    date_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    date_month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    date_day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    date_qualifier = models.CharField(
        _("date qualifier"), max_length=10, choices=DateQualifier.choices, default=DateQualifier.ON
    )
    date = models.DateField(
        _("date (derived)"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("First day covered by the stated date; empty when the year is not stated."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.date = self._derive_date()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"date_year", "date_month", "date_day"} & set(
            update_fields
        ):
            kwargs["update_fields"] = set(update_fields) | {"date"}
        super().save(*args, **kwargs)

    date_display = Derived(
        partial_date_display,
        "date_year",
        "date_month",
        "date_day",
        "date_precision",
        "date_qualifier",
    )

    def first_day_covered(self):
        """The first day the partial date covers; None when the year is not stated."""
        return self._derive_date()

    def _derive_date(self):
        if self.date_year is None:
            return None
        try:
            return datetime.date(self.date_year, self.date_month or 1, self.date_day or 1)
        except ValueError:
            return None

    def clean_partial_date(self):
        errors = {}
        precision = self.date_precision
        year, month, day = self.date_year, self.date_month, self.date_day
        if precision == DatePrecision.UNKNOWN and any(v is not None for v in (year, month, day)):
            errors["date_precision"] = _(
                "The precision is 'unknown' but a year, month or day is filled in; "
                "choose the precision the source gives."
            )
        if precision == DatePrecision.YEAR:
            if year is None:
                errors["date_year"] = _("A date at year precision needs its year.")
            if month is not None or day is not None:
                errors["date_precision"] = _(
                    "A date at year precision has no month or day; choose month or day precision."
                )
        if precision == DatePrecision.MONTH:
            if month is None:
                errors["date_month"] = _("A date at month precision needs its month.")
            if day is not None:
                errors["date_day"] = _(
                    "A date at month precision has no day; choose day precision instead."
                )
        if precision == DatePrecision.DAY:
            if month is None:
                errors["date_month"] = _("A date at day precision needs its month.")
            if day is None:
                errors["date_day"] = _("A date at day precision needs its day.")
        if month is not None and not 1 <= month <= 12:
            errors["date_month"] = _("The month must be between 1 and 12.")
        if day is not None and month is not None and 1 <= month <= 12:
            # A leap year admits 29 February when the year is not stated.
            longest = calendar.monthrange(year or 2024, month)[1]
            if not 1 <= day <= longest:
                errors["date_day"] = _("%(month)s has no day %(day)s.") % {
                    "month": MONTH_NAMES[month],
                    "day": day,
                }
        if year is not None and not 1900 <= year <= 2100:
            errors["date_year"] = _("The year must be between 1900 and 2100.")
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()
        self.clean_partial_date()


def partial_date_constraints():
    """Constraints for a concrete subclass of PartialDateModel (list them in its Meta)."""
    return [
        models.CheckConstraint(
            condition=models.Q(date_precision__in=DatePrecision.values),
            name="%(app_label)s_%(class)s_date_precision_valid",
        ),
        models.CheckConstraint(
            condition=models.Q(date_qualifier__in=DateQualifier.values),
            name="%(app_label)s_%(class)s_date_qualifier_valid",
        ),
        models.CheckConstraint(
            condition=models.Q(date_month__isnull=True)
            | models.Q(date_month__gte=1, date_month__lte=12),
            name="%(app_label)s_%(class)s_date_month_range",
        ),
        models.CheckConstraint(
            condition=models.Q(date_day__isnull=True) | models.Q(date_day__gte=1, date_day__lte=31),
            name="%(app_label)s_%(class)s_date_day_range",
        ),
    ]


def choices_constraint(field, choices, name):
    """A CHECK that ``field`` holds one of the values of ``choices`` (a TextChoices class)."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def qualifier_constraint(field, label):
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": Qualifier.values}),
        name=f"%(app_label)s_%(class)s_{label}_valid",
    )
