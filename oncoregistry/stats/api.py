from rest_framework import viewsets

from oncoregistry.api import RegistryPagination, RegistryPermission

from .selectors import statistic_list
from .serializers import StatisticSerializer


class StatisticViewSet(viewsets.ReadOnlyModelViewSet):
    """The aggregate statistics, as last computed by the refresh (one entry per key)."""

    queryset = statistic_list()
    serializer_class = StatisticSerializer
    permission_classes = [RegistryPermission]
    pagination_class = RegistryPagination
    filter_backends = []
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
