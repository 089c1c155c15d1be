"""Designations an organisation holds or seeks from an awarding body."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.models import (
    PartialDateModel,
    RegistryModel,
    choices_constraint,
    partial_date_constraints,
)
from oncoregistry.core.translation import translations

from ..choices import (
    DesignationStatus,
)
from .organizations import Organization


class Designation(RegistryModel, PartialDateModel):
    """A status awarded (or sought) from a body: IAEA Anchor Center, AAALAC accreditation."""

    Status = DesignationStatus

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="designations",
        verbose_name=_("organization"),
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
