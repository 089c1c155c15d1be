"""Choice sets named for the OpenAPI schema (``SPECTACULAR_SETTINGS['ENUM_NAME_OVERRIDES']``).

Several models have a field called ``kind``, ``status``, ``role`` or ``period`` with
different choices; naming each set keeps the schema readable and warning-free.
"""

from centers.models import CapacityFigure, Designation, Region
from partnerships.models import AgreementParty
from therapies.models import TherapyOffering

RegionKind = Region.Kind
CapacityFigureKind = CapacityFigure.Kind
CapacityFigurePeriod = CapacityFigure.Period
DesignationStatus = Designation.Status
TherapyOfferingRole = TherapyOffering.Role
AgreementPartyRole = AgreementParty.Role
