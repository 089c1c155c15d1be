"""Reference data: figures no article gives (a region's population, an international benchmark).

Each figure names its source (a dataset ``sources.Source``) and the date it holds for, and
is shown with them wherever it is used; editors replace figures with newer official ones.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centers.models import Region
from oncoregistry.core.models import RegistryModel
from oncoregistry.sources.models import Source


class RegionPopulation(RegistryModel):
    """The resident population of a region on a date, from a named source."""

    requires_citation = False  # it names its dataset source itself

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="populations", verbose_name=_("region")
    )
    as_of = models.DateField(_("as of"), help_text=_("The date the figure holds for."))
    value = models.PositiveIntegerField(_("population"), validators=[MinValueValidator(1)])
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="populations", verbose_name=_("source")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("region population")
        verbose_name_plural = _("region populations")
        ordering = ["-as_of", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "as_of"], name="reference_population_date"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1), name="reference_population_positive"
            ),
        ]

    def __str__(self):
        return f"{self.region}: {self.value:,} ({self.as_of:%Y-%m-%d})"


class BenchmarkIndicator(models.TextChoices):
    RADIOTHERAPY_UNITS_PER_MILLION = (
        "radiotherapy_units_per_million",
        _("megavoltage radiotherapy units per million population"),
    )
    PET_CT_PER_MILLION = "pet_ct_per_million", _("PET/CT scanners per million population")
    LINEAR_ACCELERATORS = "linear_accelerators", _("linear accelerators in the country")
    PET_CT_SCANNERS = "pet_ct_scanners", _("PET/CT scanners in the country")


class BenchmarkKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("recommendation")
    OBSERVED_LEVEL = "observed_level", _("observed level")
    REPORTED_TOTAL = "reported_total", _("reported national total")


class Benchmark(RegistryModel):
    """A figure to compare the registry's with: a recommendation, an observed level
    elsewhere, or a national total reported outside the registry's articles."""

    Indicator = BenchmarkIndicator
    Kind = BenchmarkKind
    requires_citation = False  # it names its source itself

    indicator = models.CharField(
        _("indicator"), max_length=40, choices=Indicator.choices, db_index=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=80)
    scope = models.CharField(
        _("applies to"),
        max_length=120,
        help_text=_("e.g. 'any country', 'high-income countries', 'Kazakhstan'."),
    )
    as_of = models.CharField(
        _("as of"), max_length=60, blank=True, help_text=_("The date as the source gives it.")
    )
    statement = models.TextField(
        _("statement"), blank=True, help_text=_("The source's own words, when they are known.")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="benchmarks", verbose_name=_("source")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        ordering = ["indicator", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "kind"], name="reference_benchmark_kind"),
            models.CheckConstraint(
                condition=models.Q(indicator__in=BenchmarkIndicator.values),
                name="reference_benchmark_indicator_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=BenchmarkKind.values),
                name="reference_benchmark_kind_valid",
            ),
        ]

    def __str__(self):
        value = f"{self.value.normalize():f}"
        return f"{self.get_indicator_display()}: {value} ({self.get_kind_display()})"

    def clean(self):
        super().clean()
        if self.kind == BenchmarkKind.REPORTED_TOTAL and self.indicator.endswith("_per_million"):
            raise ValidationError(
                {"kind": _("A reported national total is a count, not a figure per million.")}
            )
