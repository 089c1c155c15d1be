"""Commitments in the REST API: read-only (they are derived from the records)."""

from oncoregistry.api import RegistryReadOnlyViewSet

from . import selectors, serializers
from .filters import CommitmentFilterSet


class CommitmentViewSet(RegistryReadOnlyViewSet):
    """What the records say is planned or targeted, with its due date and status today."""

    queryset = selectors.commitment_list()
    serializer_class = serializers.CommitmentSerializer
    filterset_class = CommitmentFilterSet
    ordering_fields = ["due_by", "status", "kind", "name", "slug", "updated_at"]
