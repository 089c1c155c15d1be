from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.models import (
    LocalizedNameMixin,
    RegistryModel,
    TrackedModel,
    choices_constraint,
)
from oncoregistry.core.search import search_text_field
from oncoregistry.core.translation import translations

from ..choices import (
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
        Organization,
        on_delete=models.CASCADE,
        related_name="identifiers",
        verbose_name=_("organization"),
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
