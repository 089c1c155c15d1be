"""Equipment an organisation has, counted as its source counts it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.choices import Qualifier
from oncoregistry.core.derived import Derived, qualified_count
from oncoregistry.core.models import (
    RegistryModel,
    choices_constraint,
    qualifier_constraint,
)
from oncoregistry.core.translation import translations
from oncoregistry.core.uniqueness import NaturalKey, NaturalKeyModel

from ..choices import (
    EquipmentCategory,
    EquipmentStatus,
)
from .organizations import Organization

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
        Organization,
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name=_("organization"),
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
        # "NROC — at least 7 Varian linear accelerators (EDGE, ETHOS)": as a sentence reads.
        what = self.name[:1].lower() + self.name[1:] if self.name[1:2].islower() else self.name
        if self.count is None:
            text = f"{self.name} ({self.count_display})"
        else:
            text = f"{self.count_display} {what}"
        if self.model_name and self.model_name not in self.name:
            text = f"{text} ({self.model_name})"
        return f"{self.organization.short_name or self.organization.name} — {text}"

    count_display = Derived(qualified_count, "count", "count_qualifier")

    def clean(self):
        super().clean()
        if self.count is None and self.count_qualifier != Qualifier.EXACT:
            raise ValidationError(
                {"count_qualifier": _("A qualifier needs a count; leave it 'exactly' when empty.")}
            )
