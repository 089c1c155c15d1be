from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from oncoregistry.core.views import FilteredListView, SlugDetailView

from . import selectors
from .filters import OrganizationFilterSet


class OrganizationListView(FilteredListView):
    filterset_class = OrganizationFilterSet
    selector = staticmethod(selectors.organization_list)
    template_name = "centers/organization_list.html"


def _cited_sources(records):
    """The distinct sources behind the records' prefetched citations, in order of first use."""
    sources = {}
    for record in records:
        for citation in record.citations.all():
            sources.setdefault(citation.source.pk, citation.source)
    return list(sources.values())


class OrganizationDetailView(SlugDetailView):
    selector = staticmethod(selectors.organization_page)
    template_name = "centers/organization_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A merged organisation's old address leads to the one it was merged into.
            organization = selectors.organization_redirect(kwargs["slug"])
            if organization is None:
                raise
            url = reverse("site-organization-detail", kwargs={"slug": organization.slug})
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        unit_equipment, unit_figures = (list(qs) for qs in selectors.unit_records(organization))
        context["unit_equipment"] = unit_equipment
        context["unit_figures"] = unit_figures
        context["sources"] = _cited_sources(
            [
                organization,
                *organization.equipment.all(),
                *organization.capacity_figures.all(),
                *organization.therapy_offerings.all(),
                *organization.designations.all(),
                *unit_equipment,
                *unit_figures,
            ]
        )
        return context
