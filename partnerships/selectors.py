"""Read side of the partnerships app: querysets with what their readers need joined."""

from django.db.models import Prefetch

from centers.selectors import citations_prefetch, with_citations

from .models import Agreement, AgreementParty, Funding


def agreement_list(*, detailed=False):
    queryset = Agreement.objects.prefetch_related("organizations")
    if detailed:
        queryset = queryset.prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")),
            "focus_areas",
        )
    return with_citations(queryset, detailed)


def funding_list(*, detailed=False):
    return with_citations(
        Funding.objects.select_related("funder", "recipient", "agreement"), detailed
    )


def agreement_page():
    """A public agreement page: published records only, down to their citations."""
    from .models import FocusArea

    return Agreement.objects.published().prefetch_related(
        citations_prefetch(),
        Prefetch(
            "parties",
            AgreementParty.objects.published()
            .filter(organization__publication_state="published")
            .select_related("organization"),
        ),
        Prefetch(
            "focus_areas", FocusArea.objects.published().prefetch_related(citations_prefetch())
        ),
        Prefetch("funding", Funding.objects.published().prefetch_related(citations_prefetch())),
    )
