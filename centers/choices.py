"""The fixed vocabularies of the centers app (model fields and filters share them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationKind(models.TextChoices):
    ONCOLOGY_CENTER = "oncology_center", _("oncology center")
    RESEARCH_CENTER = "research_center", _("research center")
    RADIOPHARMACEUTICAL_CENTER = "radiopharmaceutical_center", _("radiopharmaceutical center")
    UNIT = "unit", pgettext_lazy("organisational unit", "unit")
    MANUFACTURER = "manufacturer", _("manufacturer")
    PHARMACEUTICAL_COMPANY = "pharmaceutical_company", _("pharmaceutical company")
    DISTRIBUTOR = "distributor", _("distributor")
    GOVERNMENT_BODY = "government_body", _("government body")
    LOCAL_GOVERNMENT = "local_government", _("local government")
    INTERNATIONAL_ORGANIZATION = "international_organization", _("international organisation")
    ACCREDITATION_BODY = "accreditation_body", _("accreditation body")
    UNIVERSITY = "university", _("university")
    INVESTMENT_AGENCY = "investment_agency", _("investment agency")


class OrganizationStatus(models.TextChoices):
    OPERATING = "operating", _("operating")
    PLANNED = "planned", _("planned")
    UNDER_CONSTRUCTION = "under_construction", _("under construction")
    CLOSED = "closed", _("closed")


class EquipmentCategory(models.TextChoices):
    LINEAR_ACCELERATOR = "linear_accelerator", _("linear accelerator")
    PROTON_THERAPY_SYSTEM = "proton_therapy_system", _("proton therapy system")
    RADIATION_BUNKER = "radiation_bunker", _("radiation therapy bunker")
    PET_CT = "pet_ct", _("PET/CT")
    PET_MRI = "pet_mri", _("PET/MRI")
    CYCLOTRON = "cyclotron", _("cyclotron")
    HYBRID_OPERATING_ROOM = "hybrid_operating_room", _("hybrid operating room")
    VIVARIUM = "vivarium", _("vivarium")
    ORGAN_PRESERVATION_DEVICE = "organ_preservation_device", _("organ preservation device")
    OTHER = "other", _("other")


class EquipmentStatus(models.TextChoices):
    OPERATING = "operating", _("operating")
    PLANNED = "planned", _("planned")
    IN_DEVELOPMENT = "in_development", _("in development")
    DECOMMISSIONED = "decommissioned", _("decommissioned")


class CapacityKind(models.TextChoices):
    CAPACITY = "capacity", _("capacity (what it can deliver)")
    DELIVERED = "delivered", _("volume delivered")
    TARGET = "target", _("target (planned)")


class CapacityPeriod(models.TextChoices):
    PER_YEAR = "per_year", _("per year")
    MONTHS = "months", _("over a number of months")
    CUMULATIVE = "cumulative", _("cumulative")
    POINT_IN_TIME = "point_in_time", _("at a point in time")


class DesignationStatus(models.TextChoices):
    PURSUING = "pursuing", _("pursuing")
    UNDER_REVIEW = "under_review", _("under review")
    GRANTED = "granted", _("granted")


class IdentifierSystem(models.TextChoices):
    BIN = "bin", _("business identification number (BIN)")
    IAEA_DIRAC = "iaea_dirac", _("IAEA DIRAC")
    ROR = "ror", _("ROR")
    OTHER = "other", _("other")


class RegionKind(models.TextChoices):
    REGION = "region", pgettext_lazy("region kind", "region")
    CITY = "city", _("city of republican significance")
