"""Capacity figures and the metrics they count."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oncoregistry.core.choices import Qualifier
from oncoregistry.core.derived import Derived, qualified_number
from oncoregistry.core.models import (
    QUANTITY_DIGITS,
    LocalizedNameMixin,
    PartialDateModel,
    RegistryModel,
    choices_constraint,
    partial_date_constraints,
    qualifier_constraint,
)
from oncoregistry.core.search import search_text_field
from oncoregistry.core.translation import translations
from oncoregistry.core.uniqueness import NaturalKey, NaturalKeyModel

from ..choices import (
    CapacityKind,
    CapacityPeriod,
)
from .organizations import Organization


class Metric(LocalizedNameMixin, RegistryModel):
    """What a capacity figure counts; editors add new ones as sources need them."""

    requires_citation = False  # vocabulary: the figures that use it carry the citations

    name = models.CharField(_("name"), max_length=160, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=160, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=160, blank=True)
    unit = models.CharField(
        pgettext_lazy("unit of measure", "unit"),
        max_length=40,
        help_text=_("e.g. procedures, patients, m²"),
    )
    unit_ru, unit_kk = translations(unit)
    description = models.TextField(_("description"), blank=True)
    description_ru, description_kk = translations(description)

    #: Its names in every language, found by search in either script (core/search.py).
    search_sources = ("name", "name_ru", "name_kk")
    search_text = search_text_field()

    class Meta:
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    @property
    def code(self):
        return self.slug


CAPACITY_FIGURE_KEY = NaturalKey(
    "organization",
    "metric",
    "kind",
    "period",
    "period_months",
    "date_year",
    "date_month",
    "date_day",
    name="centers_capacityfigure_natural_key",
    label=_("organisation, metric, kind, period and date"),
    nullable=["period_months", "date_year", "date_month", "date_day"],
    api_fields=["organization", "metric", "kind", "period", "period_months", "date"],
)


class CapacityFigure(NaturalKeyModel, RegistryModel, PartialDateModel):
    """A number about an organisation, stated as the source states it."""

    natural_key_spec = CAPACITY_FIGURE_KEY

    Kind = CapacityKind
    Period = CapacityPeriod

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="capacity_figures",
        verbose_name=_("organization"),
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="figures", verbose_name=_("metric")
    )
    value = models.DecimalField(
        _("value"), max_digits=QUANTITY_DIGITS, decimal_places=2, validators=[MinValueValidator(0)]
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=16, choices=Period.choices)
    period_months = models.PositiveSmallIntegerField(
        _("number of months"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("capacity figure")
        verbose_name_plural = _("capacity figures")
        ordering = ["organization__name", "metric__name"]
        constraints = [
            CAPACITY_FIGURE_KEY.constraint(),
            *partial_date_constraints(),
            qualifier_constraint("qualifier", "qualifier"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="centers_capacityfigure_value_non_negative"
            ),
            choices_constraint("kind", CapacityKind, "centers_capacityfigure_kind_valid"),
            models.CheckConstraint(
                condition=(models.Q(period="months") & models.Q(period_months__gte=1))
                | (~models.Q(period="months") & models.Q(period_months__isnull=True)),
                name="centers_capacityfigure_period_months",
            ),
        ]
        indexes = [
            models.Index(fields=["metric", "kind"], name="capacity_metric_kind_idx"),
        ]

    def __str__(self):
        # "NSOC — PET studies: up to 12,000 per year, 2024 · target (planned)".
        text = f"{self.metric.name}: {self.value_display}"
        if self.period == CapacityPeriod.MONTHS and self.period_months:
            text += " " + str(_("over %(months)s months") % {"months": self.period_months})
        elif self.period != CapacityPeriod.POINT_IN_TIME:
            text += f" {self.get_period_display()}"
        if self.date_year:
            text += f", {self.date_display}"
        if self.kind != CapacityKind.CAPACITY:
            text += f" · {self.get_kind_display()}"
        return f"{self.organization.short_name or self.organization.name} — {text}"

    value_display = Derived(qualified_number, "value", "qualifier")

    def clean(self):
        super().clean()
        if self.period == self.Period.MONTHS and not self.period_months:
            raise ValidationError(
                {"period_months": _("Say over how many months this figure was counted.")}
            )
        if self.period != self.Period.MONTHS and self.period_months:
            raise ValidationError(
                {"period_months": _("Only a figure counted over months has a number of months.")}
            )
        first_day = self.first_day_covered()
        if self.kind == self.Kind.DELIVERED and first_day and first_day > timezone.localdate():
            raise ValidationError(
                {
                    "date_year": _(
                        "A volume delivered cannot be dated in the future (%(date)s): nothing "
                        "has been delivered yet. Record it as a target, or correct the date."
                    )
                    % {"date": self.date_display}
                }
            )
