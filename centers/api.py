"""Centers in the REST API: each viewset is a declaration; the machinery is in
``oncoregistry.api``."""

from django.http import Http404, HttpResponsePermanentRedirect

from oncoregistry.api import RegistryReadOnlyViewSet
from oncoregistry.review.api import ReviewedViewSet

from . import selectors, serializers, services
from .filters import (
    CapacityFigureFilterSet,
    DesignationFilterSet,
    EquipmentFilterSet,
    MetricFilterSet,
    OrganizationFilterSet,
    RegionFilterSet,
)


class RegionViewSet(RegistryReadOnlyViewSet):
    """Kazakhstan's 17 regions and 3 cities of republican significance (read-only)."""

    queryset = selectors.region_list()
    detail_queryset = selectors.region_list(detailed=True)
    list_serializer_class = serializers.RegionSerializer
    serializer_class = serializers.RegionDetailSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["name", "slug", "kind", "updated_at"]


class OrganizationViewSet(ReviewedViewSet):
    """Oncology centers, their units, companies, government bodies and international bodies."""

    queryset = selectors.organization_list()
    detail_queryset = selectors.organization_list(detailed=True)
    list_serializer_class = serializers.OrganizationSerializer
    serializer_class = serializers.OrganizationDetailSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "slug", "kind", "status", "city", "region__name", "updated_at"]
    create_service = services.organization_create
    update_service = services.organization_update

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            # A merged organisation's old slug answers with the one it was merged into.
            organization = selectors.organization_redirect(kwargs[self.lookup_field])
            if organization is None:
                raise
            url = self.reverse_action("detail", kwargs={self.lookup_field: organization.slug})
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


class EquipmentViewSet(ReviewedViewSet):
    """Equipment at organisations: accelerators, proton systems, PET/CT, cyclotrons…"""

    queryset = selectors.equipment_list()
    detail_queryset = selectors.equipment_list(detailed=True)
    list_serializer_class = serializers.EquipmentSerializer
    export_region = "organization__region"
    serializer_class = serializers.EquipmentDetailSerializer
    filterset_class = EquipmentFilterSet
    ordering_fields = ["name", "category", "status", "count", "organization__name", "updated_at"]
    create_service = services.equipment_create
    update_service = services.equipment_update


class MetricViewSet(ReviewedViewSet):
    """What capacity figures count (procedures per year, patients treated…)."""

    queryset = selectors.metric_list()
    detail_queryset = selectors.metric_list(detailed=True)
    list_serializer_class = serializers.MetricSerializer
    serializer_class = serializers.MetricDetailSerializer
    filterset_class = MetricFilterSet
    ordering_fields = ["name", "slug", "unit", "updated_at"]
    create_service = services.metric_create
    update_service = services.metric_update


class CapacityFigureViewSet(ReviewedViewSet):
    """Numbers about organisations as the sources state them (with their qualifier)."""

    queryset = selectors.capacity_figure_list()
    detail_queryset = selectors.capacity_figure_list(detailed=True)
    list_serializer_class = serializers.CapacityFigureSerializer
    export_region = "organization__region"
    serializer_class = serializers.CapacityFigureDetailSerializer
    filterset_class = CapacityFigureFilterSet
    ordering_fields = ["value", "date", "kind", "organization__name", "metric__name", "updated_at"]
    create_service = services.capacity_figure_create
    update_service = services.capacity_figure_update


class DesignationViewSet(ReviewedViewSet):
    """Statuses awarded or sought (IAEA Anchor Center, AAALAC accreditation…)."""

    queryset = selectors.designation_list()
    detail_queryset = selectors.designation_list(detailed=True)
    list_serializer_class = serializers.DesignationSerializer
    export_region = "organization__region"
    serializer_class = serializers.DesignationDetailSerializer
    filterset_class = DesignationFilterSet
    ordering_fields = ["title", "status", "date", "organization__name", "updated_at"]
    create_service = services.designation_create
    update_service = services.designation_update
