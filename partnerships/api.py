"""Partnerships in the REST API: each viewset is a declaration."""

from oncoregistry.review.api import ReviewedViewSet

from . import selectors, serializers, services
from .filters import AgreementFilterSet, FundingFilterSet


class AgreementViewSet(ReviewedViewSet):
    """Memoranda and agreements; the detail nests parties and numbered focus areas."""

    queryset = selectors.agreement_list()
    detail_queryset = selectors.agreement_list(detailed=True)
    list_serializer_class = serializers.AgreementSerializer
    serializer_class = serializers.AgreementDetailSerializer
    filterset_class = AgreementFilterSet
    ordering_fields = ["date", "title", "kind", "status", "updated_at"]
    create_service = services.agreement_create
    update_service = services.agreement_update


class FundingViewSet(ReviewedViewSet):
    """Money for oncology as stated: an amount with currency and qualifier, or a statement."""

    queryset = selectors.funding_list()
    detail_queryset = selectors.funding_list(detailed=True)
    list_serializer_class = serializers.FundingSerializer
    export_region = "recipient__region"
    serializer_class = serializers.FundingDetailSerializer
    filterset_class = FundingFilterSet
    ordering_fields = ["date", "amount", "currency", "purpose", "updated_at"]
    create_service = services.funding_create
    update_service = services.funding_update
