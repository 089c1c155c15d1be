from oncoregistry.dashboard.views_base import FilteredListView, SlugDetailView

from . import selectors
from .filters import OrganizationFilterSet


class OrganizationListView(FilteredListView):
    filterset_class = OrganizationFilterSet
    selector = staticmethod(selectors.organization_list)
    template_name = "centers/organization_list.html"


class OrganizationDetailView(SlugDetailView):
    selector = staticmethod(selectors.organization_page)
    template_name = "centers/organization_detail.html"
