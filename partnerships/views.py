from oncoregistry.core.views import FilteredListView, SlugDetailView

from . import selectors
from .filters import AgreementFilterSet, FundingFilterSet


class AgreementListView(FilteredListView):
    filterset_class = AgreementFilterSet
    selector = staticmethod(selectors.agreement_list)
    template_name = "partnerships/agreement_list.html"


class AgreementDetailView(SlugDetailView):
    selector = staticmethod(selectors.agreement_page)
    template_name = "partnerships/agreement_detail.html"


class FundingListView(FilteredListView):
    filterset_class = FundingFilterSet
    selector = staticmethod(lambda: selectors.funding_list(detailed=True))
    template_name = "partnerships/funding_list.html"
