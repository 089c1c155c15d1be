"""The machinery every public list and detail page shares (the app views are declarations)."""

from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView


class FilteredListView(ListView):
    """A public list page (published records only) filtered by the API resource's filterset."""

    filterset_class = None
    selector = None
    paginate_by = 25

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.selector().published(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            # The form shows what is wrong; the list stays empty rather than unfiltered.
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class SlugDetailView(DetailView):
    """A public detail page: ``selector`` returns published records with what the page shows."""

    selector = None

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        if len(slug) > 120:
            raise BadRequest("slug too long")
        return get_object_or_404(self.selector().published(), slug=slug)
