from oncoregistry.core.views import FilteredListView

from . import selectors
from .filters import CommitmentFilterSet


class CommitmentListView(FilteredListView):
    filterset_class = CommitmentFilterSet
    selector = staticmethod(selectors.commitment_list)
    template_name = "commitments/commitment_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"] = list(context["object_list"])
        # Every row is computed for the same day, by the same refresh.
        context["status_on"] = rows[0].status_on if rows else None
        return context
