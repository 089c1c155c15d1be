"""Therapies in the REST API: each viewset is a declaration."""

from oncoregistry.review.api import ReviewedViewSet

from . import selectors, serializers, services
from .filters import CancerTypeFilterSet, TherapyFilterSet, TherapyOfferingFilterSet


class TherapyViewSet(ReviewedViewSet):
    """Therapies and diagnostics (CAR-T, proton therapy, radionuclide therapy…)."""

    queryset = selectors.therapy_list()
    detail_queryset = selectors.therapy_list(detailed=True)
    list_serializer_class = serializers.TherapySerializer
    serializer_class = serializers.TherapyDetailSerializer
    filterset_class = TherapyFilterSet
    ordering_fields = ["name", "slug", "modality", "updated_at"]
    create_service = services.therapy_create
    update_service = services.therapy_update


class CancerTypeViewSet(ReviewedViewSet):
    """Cancer types, with their broader type (leukemia is a blood cancer)."""

    queryset = selectors.cancer_type_list()
    detail_queryset = selectors.cancer_type_list(detailed=True)
    list_serializer_class = serializers.CancerTypeSerializer
    serializer_class = serializers.CancerTypeDetailSerializer
    filterset_class = CancerTypeFilterSet
    ordering_fields = ["name", "slug", "updated_at"]
    create_service = services.cancer_type_create
    update_service = services.cancer_type_update


class TherapyOfferingViewSet(ReviewedViewSet):
    """A therapy at an organisation, at a stage ("CAR-T at NCB, clinical trials by 2026")."""

    queryset = selectors.therapy_offering_list()
    detail_queryset = selectors.therapy_offering_list(detailed=True)
    list_serializer_class = serializers.TherapyOfferingSerializer
    export_region = "organization__region"
    serializer_class = serializers.TherapyOfferingDetailSerializer
    filterset_class = TherapyOfferingFilterSet
    ordering_fields = ["therapy__name", "organization__name", "stage", "date", "updated_at"]
    create_service = services.therapy_offering_create
    update_service = services.therapy_offering_update
