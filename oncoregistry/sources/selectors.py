"""Read side of sources and citations."""

from django.db.models import Prefetch

from .models import Citation, Source


def source_list(*, detailed=False):
    return Source.objects.all()


def source_detail(slug):
    return source_list(detailed=True).get(slug=slug)


def citation_list(*, detailed=False):
    # The cited records are fetched with one query per record type, not one per row.
    return Citation.objects.select_related("source", "content_type").prefetch_related(
        "content_object"
    )


def source_page():
    """A source with every citation and the record it backs, in a fixed number of queries:
    one per kind of record, each joined with what its ``__str__`` shows."""
    from django.contrib.contenttypes.prefetch import GenericPrefetch

    from centers.models import CapacityFigure, Designation, Equipment, Metric, Organization, Region
    from partnerships.models import Agreement, AgreementParty, FocusArea, Funding
    from therapies.models import CancerType, Therapy, TherapyOffering

    records = [
        Organization.objects.all(),
        Region.objects.all(),
        Metric.objects.all(),
        Equipment.objects.select_related("organization"),
        CapacityFigure.objects.select_related("organization", "metric"),
        Designation.objects.select_related("organization"),
        Therapy.objects.all(),
        CancerType.objects.all(),
        TherapyOffering.objects.select_related("therapy", "organization"),
        Agreement.objects.all(),
        AgreementParty.objects.select_related("organization"),
        FocusArea.objects.all(),
        Funding.objects.all(),
    ]
    # A published citation backs a published record (they are published together).
    return Source.objects.published().prefetch_related(
        Prefetch(
            "citations",
            Citation.objects.published()
            .select_related("content_type")
            .prefetch_related(GenericPrefetch("content_object", records)),
        )
    )
