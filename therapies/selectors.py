"""Read side of the therapies app: querysets with what their readers need joined."""

from django.db.models import Prefetch

from centers.selectors import citations_prefetch, with_citations

from .models import CancerType, Therapy, TherapyOffering


def therapy_list(*, detailed=False):
    return with_citations(Therapy.objects.prefetch_related("cancer_types"), detailed)


def cancer_type_list(*, detailed=False):
    return with_citations(CancerType.objects.select_related("parent"), detailed)


def therapy_offering_list(*, detailed=False):
    return with_citations(
        TherapyOffering.objects.select_related("therapy", "organization").prefetch_related(
            "cancer_types"
        ),
        detailed,
    )


def therapy_page():
    """A public therapy page: published records only, down to their citations."""
    return Therapy.objects.published().prefetch_related(
        "cancer_types",
        citations_prefetch(),
        Prefetch(
            "offerings",
            TherapyOffering.objects.published()
            .filter(organization__publication_state="published")
            .select_related("organization__region")
            .prefetch_related("cancer_types", citations_prefetch()),
        ),
    )
