from rest_framework import viewsets

from oncoregistry.api import RegistryPagination, RegistryPermission
from oncoregistry.api.viewsets import KnownParametersMixin

from .selectors import registry_changed_at, statistic_list
from .serializers import StatisticSerializer


class StatisticViewSet(KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    """The aggregate statistics, as last computed by the refresh (one entry per key)."""

    queryset = statistic_list()
    serializer_class = StatisticSerializer
    permission_classes = [RegistryPermission]
    pagination_class = RegistryPagination
    filter_backends = []
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_serializer_context(self):
        # One query per request says whether the snapshot misses a change (freshness).
        return {**super().get_serializer_context(), "registry_changed_at": registry_changed_at()}
