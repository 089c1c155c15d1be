from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oncoregistry.core.choices import Qualifier
from oncoregistry.core.derived import Derived, qualified_count, qualified_number
from oncoregistry.core.models import (
    LocalizedNameMixin,
    PartialDateModel,
    RegistryModel,
    TrackedModel,
    choices_constraint,
    partial_date_constraints,
    qualifier_constraint,
)
from oncoregistry.core.search import search_text_field
from oncoregistry.core.translation import translations
from oncoregistry.core.uniqueness import NaturalKey, NaturalKeyModel

from .choices import (
    CapacityKind,
    CapacityPeriod,
    DesignationStatus,
    EquipmentCategory,
    EquipmentStatus,
    IdentifierSystem,
    OrganizationKind,
    OrganizationStatus,
    RegionKind,
)


class Region(LocalizedNameMixin, RegistryModel):
    """One of Kazakhstan's 17 regions or 3 cities of republican significance."""

    requires_citation = False  # reference data, not a fact from the articles

    Kind = RegionKind

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    administrative_center = models.CharField(_("administrative center"), max_length=120)
    administrative_center_ru, administrative_center_kk = translations(administrative_center)
    latitude = models.DecimalField(_("centroid latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("centroid longitude"), max_digits=8, decimal_places=5)
    grid_row = models.PositiveSmallIntegerField(
        _("map row"), help_text=_("Row of the region's tile on the dashboard's tile-grid map.")
    )
    grid_col = models.PositiveSmallIntegerField(
        _("map column"), help_text=_("Column of the region's tile on the tile-grid map.")
    )

    #: Its names in every language, found by search in either script (core/search.py).
    search_sources = (
        "name",
        "name_ru",
        "name_kk",
        "administrative_center",
        "administrative_center_ru",
        "administrative_center_kk",
    )
    search_text = search_text_field()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [
            choices_constraint("kind", RegionKind, "centers_region_kind_valid"),
            models.UniqueConstraint(fields=["grid_row", "grid_col"], name="centers_region_tile"),
        ]

    def __str__(self):
        return self.name


class Organization(LocalizedNameMixin, RegistryModel):
    Kind = OrganizationKind
    Status = OrganizationStatus

    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names the sources use for this organisation, one per line."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("part of"),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        default="KZ",
        help_text=_("ISO 3166-1 alpha-2 code; empty when the sources do not say."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True, db_index=True)
    city_ru, city_kk = translations(city)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("region"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPERATING, db_index=True
    )
    description = models.TextField(_("description"), blank=True)
    description_ru, description_kk = translations(description)

    #: Its names in every language, found by search in either script (core/search.py).
    search_sources = (
        "name",
        "name_ru",
        "name_kk",
        "short_name",
        "aliases",
        "city",
        "city_ru",
        "city_kk",
    )
    search_text = search_text_field()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            choices_constraint("kind", OrganizationKind, "centers_organization_kind_valid"),
            choices_constraint("status", OrganizationStatus, "centers_organization_status_valid"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="centers_organization_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="centers_organization_longitude_range",
            ),
        ]
        indexes = [
            # A region's organisations of a kind, by name (lists and region pages): the page
            # is read in order and the ETag's count and newest change come from the index.
            models.Index(
                fields=["region", "kind", "name", "updated_at"], name="org_region_kind_name_idx"
            )
        ]

    def __str__(self):
        if self.short_name:
            return f"{self.name} ({self.short_name})"
        return self.name

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and self.pk:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError(
                    {"parent": _("This parent would make the organisation part of itself.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if self.region_id and self.country and self.country != "KZ":
            raise ValidationError(
                {"region": _("Only organisations in Kazakhstan (country KZ) have a region.")}
            )


class OrganizationSlugRedirect(models.Model):
    """The slug of an organisation merged into another: its page and API record answer
    with a permanent redirect to the organisation that stayed."""

    old_slug = models.SlugField(_("old slug"), max_length=120, unique=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="slug_redirects",
        verbose_name=_("organisation it now belongs to"),
    )
    merged_name = models.CharField(_("name of the merged organisation"), max_length=200)
    reason = models.TextField(_("why they were merged"), blank=True)
    created_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.organization.slug}"


class OrganizationIdentifier(TrackedModel):
    """An external identifier: business ID (BIN), IAEA DIRAC id, ROR…"""

    System = IdentifierSystem

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )
    system = models.CharField(_("system"), max_length=20, choices=System.choices)
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="centers_identifier_unique"),
        ]

    def __str__(self):
        return f"{self.get_system_display()}: {self.value}"


EQUIPMENT_KEY = NaturalKey(
    "organization",
    "category",
    "manufacturer",
    "model_name",
    name="centers_equipment_natural_key",
    label=_("organisation, category, maker and model"),
    nullable=["manufacturer"],
    ignore_case=["model_name"],
)


class Equipment(NaturalKeyModel, RegistryModel):
    Category = EquipmentCategory
    Status = EquipmentStatus

    natural_key_spec = EQUIPMENT_KEY

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="equipment"
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    name_ru, name_kk = translations(name)
    manufacturer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="manufactured_equipment",
        verbose_name=_("manufacturer"),
    )
    model_name = models.CharField(_("model"), max_length=120, blank=True)
    count = models.PositiveIntegerField(
        _("count"), null=True, blank=True, help_text=_("Empty when the source gives no number.")
    )
    count_qualifier = models.CharField(
        _("count qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    features = models.CharField(_("features"), max_length=300, blank=True)
    features_ru, features_kk = translations(features)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPERATING
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["organization__name", "category", "name"]
        constraints = [
            EQUIPMENT_KEY.constraint(),
            qualifier_constraint("count_qualifier", "count_qualifier"),
            choices_constraint("category", EquipmentCategory, "centers_equipment_category_valid"),
            choices_constraint("status", EquipmentStatus, "centers_equipment_status_valid"),
            models.CheckConstraint(
                condition=models.Q(count__isnull=True) | models.Q(count__gte=0),
                name="centers_equipment_count_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["category", "status"], name="equipment_category_idx")]

    def __str__(self):
        count = f"{self.get_count_qualifier_display()} {self.count} × " if self.count else ""
        return f"{count}{self.name} — {self.organization.name}"

    count_display = Derived(qualified_count, "count", "count_qualifier")

    def clean(self):
        super().clean()
        if self.count is None and self.count_qualifier != Qualifier.EXACT:
            raise ValidationError(
                {"count_qualifier": _("A qualifier needs a count; leave it 'exactly' when empty.")}
            )


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
        Organization, on_delete=models.CASCADE, related_name="capacity_figures"
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="figures")
    value = models.DecimalField(
        _("value"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
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
        return f"{self.organization.name}: {self.value_display} {self.metric.name}"

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


class Designation(RegistryModel, PartialDateModel):
    """A status awarded (or sought) from a body: IAEA Anchor Center, AAALAC accreditation."""

    Status = DesignationStatus

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="designations"
    )
    awarding_body = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="awarded_designations",
        verbose_name=_("awarding body"),
    )
    title = models.CharField(_("title"), max_length=200)
    title_ru, title_kk = translations(title)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["organization__name", "title"]
        constraints = [
            *partial_date_constraints(),
            choices_constraint("status", DesignationStatus, "centers_designation_status_valid"),
        ]

    def __str__(self):
        return f"{self.title} — {self.organization.name} ({self.get_status_display()})"

    def clean(self):
        super().clean()
        if self.organization_id and self.organization_id == self.awarding_body_id:
            raise ValidationError(
                {"awarding_body": _("An organisation cannot award a designation to itself.")}
            )
