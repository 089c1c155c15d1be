from oncoregistry.core.views import FilteredListView, SlugDetailView

from . import selectors
from .filters import TherapyFilterSet


class TherapyListView(FilteredListView):
    filterset_class = TherapyFilterSet
    selector = staticmethod(selectors.therapy_list)
    template_name = "therapies/therapy_list.html"


class TherapyDetailView(SlugDetailView):
    selector = staticmethod(selectors.therapy_page)
    template_name = "therapies/therapy_detail.html"
