"""Read side of the therapies app: querysets with what their readers need joined."""

from centers.selectors import citations_prefetch

from .models import CancerType, Therapy, TherapyOffering


def therapy_list(*, detailed=False):
    queryset = Therapy.objects.prefetch_related("cancer_types")
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def therapy_detail(slug):
    return therapy_list(detailed=True).get(slug=slug)


def cancer_type_list(*, detailed=False):
    queryset = CancerType.objects.select_related("parent")
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def cancer_type_detail(slug):
    return cancer_type_list(detailed=True).get(slug=slug)


def therapy_offering_list(*, detailed=False):
    queryset = TherapyOffering.objects.select_related("therapy", "organization").prefetch_related(
        "cancer_types"
    )
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def therapy_offering_detail(slug):
    return therapy_offering_list(detailed=True).get(slug=slug)
