"""The API's resources as the tests address them."""

from centers.models import CapacityFigure, Designation, Equipment, Metric, Organization, Region
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, Funding
from therapies.models import CancerType, Therapy, TherapyOffering

#: route → model, in the order of the API root
MODELS = {
    "regions": Region,
    "organizations": Organization,
    "equipment": Equipment,
    "metrics": Metric,
    "capacity-figures": CapacityFigure,
    "designations": Designation,
    "therapies": Therapy,
    "cancer-types": CancerType,
    "therapy-offerings": TherapyOffering,
    "agreements": Agreement,
    "funding": Funding,
    "sources": Source,
    "citations": Citation,
}
ROUTES = list(MODELS)
#: routes whose records are addressed by slug (citations have an id)
SLUG_ROUTES = [route for route in ROUTES if route != "citations"]
