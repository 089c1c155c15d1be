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
    return Source.objects.prefetch_related(
        Prefetch(
            "citations",
            Citation.objects.select_related("content_type").prefetch_related("content_object"),
        )
    )
