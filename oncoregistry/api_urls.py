"""The API's router: ``/api/v1/``. Routes are kebab-case plurals; records are looked up
by slug (citations, which have none, by id)."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from centers.api import (
    CapacityFigureViewSet,
    DesignationViewSet,
    EquipmentViewSet,
    MetricViewSet,
    OrganizationViewSet,
    RegionViewSet,
)
from commitments.api import CommitmentViewSet
from oncoregistry.changes.api import ChangeFeedView
from oncoregistry.releases.api import FILE_ROUTE, ReleaseViewSet
from oncoregistry.review.api import SourceViewSet
from oncoregistry.sources.api import CitationViewSet
from oncoregistry.stats.api import StatisticViewSet
from partnerships.api import AgreementViewSet, FundingViewSet
from therapies.api import CancerTypeViewSet, TherapyOfferingViewSet, TherapyViewSet


class RegistryRouter(DefaultRouter):
    include_format_suffixes = False


router = RegistryRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("equipment", EquipmentViewSet, basename="equipment")
router.register("metrics", MetricViewSet, basename="metric")
router.register("capacity-figures", CapacityFigureViewSet, basename="capacity-figure")
router.register("designations", DesignationViewSet, basename="designation")
router.register("therapies", TherapyViewSet, basename="therapy")
router.register("cancer-types", CancerTypeViewSet, basename="cancer-type")
router.register("therapy-offerings", TherapyOfferingViewSet, basename="therapy-offering")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("funding", FundingViewSet, basename="funding")
router.register("sources", SourceViewSet, basename="source")
router.register("citations", CitationViewSet, basename="citation")
router.register("releases", ReleaseViewSet, basename="release")
router.register("commitments", CommitmentViewSet, basename="commitment")

router.register("stats", StatisticViewSet, basename="statistic")

urlpatterns = [
    # One page object, not a list of records: a plain view (the schema says so).
    path("changes/", ChangeFeedView.as_view(), name="change-list"),
    re_path(FILE_ROUTE, ReleaseViewSet.as_view({"get": "file"}), name="release-file"),
    *router.urls,
]
