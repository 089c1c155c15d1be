"""Records without any citation, per model, and the facts each source backs.

Also tells the refresh the newest ``updated_at`` of everything it read
(``data_updated_at``).
"""

from typing import TypedDict

from django.db.models import (
    CharField,
    Count,
    Max,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Concat

from centers.models import CapacityFigure, Designation, Equipment, Metric, Organization, Region
from oncoregistry.core.models import PublicationState
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, Funding
from therapies.models import CancerType, Therapy, TherapyOffering

from . import figures
from .base import cited_ids

KEY = "data_quality"
#: Records whose citations this statistic counts, by label.
CITED_MODELS = {
    "region": Region,
    "organization": Organization,
    "equipment": Equipment,
    "metric": Metric,
    "capacity_figure": CapacityFigure,
    "designation": Designation,
    "therapy": Therapy,
    "cancer_type": CancerType,
    "therapy_offering": TherapyOffering,
    "agreement": Agreement,
    "funding": Funding,
}
#: Sources listed in ``by_source``.
TOP_SOURCES = 50


class SourceBacking(TypedDict):
    source: str
    title: str
    citations: int
    records: int  # distinct records the source backs


class DataQualityPayload(TypedDict):
    records: dict[str, int]  # label of CITED_MODELS -> records
    uncited: dict[str, int]  # label of CITED_MODELS -> records without a citation
    by_source: list[SourceBacking]  # most citations first, the first TOP_SOURCES
    by_source_total: int


def cited_rows():
    """``(label, n, cited, newest updated_at)`` for every model of ``CITED_MODELS`` but the
    capacity figures (``figures.sums`` carries theirs: one scan of the largest table).

    Every model's aggregate in one statement (UNION ALL): one round trip, not ten. The
    cited records are a filtered count, not a group: the subquery is in the statement
    (and compiled) once per model, not twice (its SELECT and its GROUP BY).
    """
    branches = []
    for label, model in CITED_MODELS.items():
        if model is CapacityFigure:
            continue  # counted by the capacity figures' own GROUP BY (figures.py)
        branches.append(
            model.objects.published()
            .annotate(label=Value(label))
            .values_list("label")
            .annotate(
                n=Count("id"),
                cited=Count("id", filter=Q(pk__in=cited_ids(model))),
                newest=Max("updated_at"),
            )
            .order_by()
        )
    return branches[0].union(*branches[1:], all=True)


def source_rows():
    """The first ``TOP_SOURCES`` sources by citations, each row with the number of all
    sources and the newest ``updated_at`` of every source and every citation."""
    published_citations = Q(citations__publication_state=PublicationState.PUBLISHED)
    return (
        Source.objects.published()
        .annotate(
            n_citations=Count("citations", filter=published_citations),
            n_records=Count(
                Concat(
                    "citations__content_type_id",
                    Value(":"),
                    "citations__object_id",
                    output_field=CharField(),
                ),
                distinct=True,
                filter=published_citations,
            ),
            sources=Window(Count("*")),
            newest_source=Window(Max("updated_at")),
            newest_citation=Subquery(
                Citation.objects.published().order_by("-updated_at").values("updated_at")[:1]
            ),
        )
        .values_list(
            "slug",
            "title",
            "n_citations",
            "n_records",
            "sources",
            "newest_source",
            "newest_citation",
        )
        .order_by("-n_citations", "slug")[:TOP_SOURCES]
    )


def compute(refresh) -> DataQualityPayload:
    records, uncited = dict.fromkeys(CITED_MODELS, 0), dict.fromkeys(CITED_MODELS, 0)

    found = figures.sums(refresh)
    rows = [
        *refresh.rows(cited_rows),
        ("capacity_figure", found.records, found.cited, found.newest),
    ]
    for label, n, cited, newest in rows:
        records[label] += n
        uncited[label] += n - cited
        refresh.saw_changes_until(newest)
    sources = refresh.rows(source_rows)
    if sources:
        refresh.saw_changes_until(*sources[0][5:7])
    return {
        "records": records,
        "uncited": uncited,
        "by_source": [
            {"source": slug, "title": title, "citations": citations, "records": backed}
            for slug, title, citations, backed, *_ in sources
        ],
        "by_source_total": sources[0][4] if sources else 0,
    }
