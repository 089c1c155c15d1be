from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from centers.models import Organization
from oncoregistry.core.models import (
    LocalizedNameMixin,
    PartialDateModel,
    RegistryModel,
    partial_date_constraints,
)
from oncoregistry.core.search import search_text_field
from oncoregistry.core.translation import translations
from oncoregistry.core.uniqueness import NaturalKey, NaturalKeyModel


class Modality(models.TextChoices):
    CELL_THERAPY = "cell_therapy", _("cell therapy")
    RADIATION_THERAPY = "radiation_therapy", _("radiation therapy")
    PROTON_THERAPY = "proton_therapy", _("proton therapy")
    RADIONUCLIDE_THERAPY = "radionuclide_therapy", _("radionuclide therapy")
    RADIOPHARMACEUTICAL_DIAGNOSTICS = (
        "radiopharmaceutical_diagnostics",
        _("radiopharmaceutical diagnostics"),
    )
    TARGETED_THERAPY = "targeted_therapy", _("targeted therapy")
    IMMUNO_ONCOLOGY = "immuno_oncology", _("immuno-oncology")
    TRANSPLANTATION = "transplantation", _("transplantation")
    SURGERY = "surgery", _("surgery")
    MOLECULAR_DIAGNOSTICS = "molecular_diagnostics", _("molecular diagnostics")
    MEDICINES = "medicines", _("medicines")


class Stage(models.TextChoices):
    """Development stages in order, from the laboratory to routine care."""

    RESEARCH = "research", _("research")
    PRECLINICAL = "preclinical", _("preclinical")
    CLINICAL_TRIAL_PLANNED = "clinical_trial_planned", _("clinical trial planned")
    TRIAL_PHASE_1 = "trial_phase_1", _("clinical trial, phase I")
    TRIAL_PHASE_2 = "trial_phase_2", _("clinical trial, phase II")
    TRIAL_PHASE_3 = "trial_phase_3", _("clinical trial, phase III")
    APPROVED = "approved", _("approved")
    PLANNED_SERVICE = "planned_service", _("planned service")
    ROUTINE_SERVICE = "routine_service", _("routine service")

    @classmethod
    def in_development(cls):
        return [s for s in cls.values if s not in (cls.ROUTINE_SERVICE, cls.APPROVED)]


class CancerType(LocalizedNameMixin, RegistryModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subtypes",
        verbose_name=_("broader type"),
        help_text=_("e.g. leukemia is a blood cancer."),
    )

    #: Its names in every language, found by search in either script (core/search.py).
    search_sources = ("name", "name_ru", "name_kk")
    search_text = search_text_field()

    class Meta:
        verbose_name = _("cancer type")
        verbose_name_plural = _("cancer types")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Therapy(LocalizedNameMixin, RegistryModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    modality = models.CharField(
        _("modality"), max_length=40, choices=Modality.choices, db_index=True
    )
    description = models.TextField(_("description"), blank=True)
    description_ru, description_kk = translations(description)
    cancer_types = models.ManyToManyField(
        CancerType, blank=True, related_name="therapies", verbose_name=_("cancer types")
    )

    #: Its names in every language, found by search in either script (core/search.py).
    search_sources = ("name", "name_ru", "name_kk")
    search_text = search_text_field()

    class Meta:
        verbose_name = _("therapy")
        verbose_name_plural = _("therapies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(modality__in=Modality.values),
                name="therapies_therapy_modality_valid",
            ),
        ]

    def __str__(self):
        return self.name


THERAPY_OFFERING_KEY = NaturalKey(
    "therapy",
    "organization",
    "role",
    name="therapies_offering_unique",
    label=_("therapy, organisation and role"),
)


class TherapyOffering(NaturalKeyModel, RegistryModel, PartialDateModel):
    """A therapy at an organisation, at a stage: 'CAR-T at NCB, trials by 2026'."""

    natural_key_spec = THERAPY_OFFERING_KEY

    class Role(models.TextChoices):
        DEVELOPER = "developer", _("developer")
        PROVIDER = "provider", _("provider")
        MANUFACTURER = "manufacturer", _("manufacturer")

    therapy = models.ForeignKey(
        Therapy, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("therapy")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="therapy_offerings",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, db_index=True)
    cancer_types = models.ManyToManyField(
        CancerType, blank=True, related_name="offerings", verbose_name=_("cancer types")
    )
    trial_registry_ids = models.CharField(
        _("trial registry ids"),
        max_length=300,
        blank=True,
        help_text=_("e.g. ClinicalTrials.gov NCT numbers, comma-separated; empty until known."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("therapy offering")
        verbose_name_plural = _("therapy offerings")
        ordering = ["therapy__name", "organization__name"]
        constraints = [
            *partial_date_constraints(),
            THERAPY_OFFERING_KEY.constraint(),
            models.CheckConstraint(
                condition=models.Q(role__in=["developer", "provider", "manufacturer"]),
                name="therapies_offering_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="therapies_offering_stage_valid"
            ),
        ]

    def __str__(self):
        return f"{self.therapy.name} at {self.organization.name} ({self.get_stage_display()})"

    def clean(self):
        super().clean()
        trial_stages = {Stage.TRIAL_PHASE_1, Stage.TRIAL_PHASE_2, Stage.TRIAL_PHASE_3}
        if self.trial_registry_ids and self.stage not in trial_stages | {Stage.APPROVED}:
            raise ValidationError(
                {
                    "trial_registry_ids": _(
                        "Trial registry ids belong to an offering in a clinical trial or approved."
                    )
                }
            )
