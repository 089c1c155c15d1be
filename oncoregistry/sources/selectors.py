"""Read side of sources and citations."""

from django.apps import apps
from django.db.models import Prefetch

from oncoregistry.core.models import TrackedModel

from .models import Citation, Source


def source_list(*, detailed=False):
    return Source.objects.all()


def citation_list(*, detailed=False):
    # The cited records are fetched with one query per record type, not one per row.
    return Citation.objects.select_related("source", "content_type").prefetch_related(
        "content_object"
    )


def cited_record_querysets():
    """One queryset per kind of record a citation can back, joined with the records its
    ``__str__`` names (its required foreign keys). Sources sits below the apps that define
    those records, so it finds them in the app registry instead of importing them."""
    return [
        model.objects.select_related()
        for model in apps.get_models()
        if issubclass(model, TrackedModel)
    ]


def source_page():
    """A source with every citation and the record it backs, in a fixed number of queries:
    one per kind of record."""
    from django.contrib.contenttypes.prefetch import GenericPrefetch

    records = cited_record_querysets()
    # A published citation backs a published record (they are published together).
    return Source.objects.published().prefetch_related(
        Prefetch(
            "citations",
            Citation.objects.published()
            .select_related("content_type")
            .prefetch_related(GenericPrefetch("content_object", records)),
        )
    )
