"""Read side of the centers app: querysets with what their readers need joined.

``<model>_list()`` is the light queryset of lists and CSV; ``detailed=True`` adds what a
detail shows (citations with their sources, units…), each in one query. Lists hold every
record (editors see drafts); public readers call ``.published()`` on them. The ``*_page``
selectors serve the public pages and hold published records only, down to their citations.
"""

from django.db.models import Prefetch, Q

from oncoregistry.core.meta import options
from oncoregistry.core.names import NameMatcher
from oncoregistry.sources.models import Citation

from .models import (
    CapacityFigure,
    Designation,
    Equipment,
    Metric,
    Organization,
    OrganizationSlugRedirect,
    Region,
)


def citations_prefetch():
    """The published citations of a record with their sources (drafts wait for review)."""
    return Prefetch("citations", queryset=Citation.objects.published().select_related("source"))


def with_citations(queryset, detailed):
    """A detail shows the record's citations with their sources (one query for all)."""
    return queryset.prefetch_related(citations_prefetch()) if detailed else queryset


def region_list(*, detailed=False):
    return with_citations(Region.objects.all(), detailed)


def organization_list(*, detailed=False):
    queryset = Organization.objects.select_related("region", "parent")
    if detailed:
        queryset = queryset.prefetch_related("units", "identifiers")
    return with_citations(queryset, detailed)


def equipment_list(*, detailed=False):
    return with_citations(
        Equipment.objects.select_related("organization", "manufacturer"), detailed
    )


def metric_list(*, detailed=False):
    return with_citations(Metric.objects.all(), detailed)


def capacity_figure_list(*, detailed=False):
    return with_citations(CapacityFigure.objects.select_related("organization", "metric"), detailed)


def designation_list(*, detailed=False):
    return with_citations(
        Designation.objects.select_related("organization", "awarding_body"), detailed
    )


def organization_page():
    """Everything the public center page shows, in a fixed number of queries (published only)."""
    # Apps above centers reach the page through reverse relations, not imports.
    TherapyOffering = options(Organization).get_field("therapy_offerings").related_model
    AgreementParty = options(Organization).get_field("agreement_parties").related_model
    return (
        Organization.objects.published()
        .select_related("region", "parent")
        .prefetch_related(
            citations_prefetch(),
            Prefetch("units", Organization.objects.published()),
            Prefetch(
                "equipment",
                Equipment.objects.published()
                .select_related("manufacturer")
                .prefetch_related(citations_prefetch()),
            ),
            Prefetch(
                "capacity_figures",
                CapacityFigure.objects.published()
                .select_related("metric")
                .prefetch_related(citations_prefetch()),
            ),
            Prefetch(
                "therapy_offerings",
                TherapyOffering.objects.published()
                .select_related("therapy")
                .prefetch_related(citations_prefetch(), "cancer_types"),
            ),
            Prefetch(
                "designations",
                Designation.objects.published()
                .select_related("awarding_body")
                .prefetch_related(citations_prefetch()),
            ),
            Prefetch(
                "agreement_parties",
                AgreementParty.objects.published()
                .filter(agreement__publication_state="published")
                .select_related("agreement"),
            ),
        )
    )


def unit_records(organization):
    """Equipment and capacity figures of an organisation's units and their units (the public
    center page shows them under the parent: NSOC's proton system sits in its Proton Therapy
    Center). Two querysets, each with its citations in one more query (published only)."""
    where = Q(organization__parent=organization) | Q(organization__parent__parent=organization)
    where &= Q(organization__publication_state="published")
    equipment = (
        Equipment.objects.published()
        .filter(where)
        .select_related("organization", "manufacturer")
        .prefetch_related(citations_prefetch())
        .order_by("organization__name", "name")
    )
    figures = (
        CapacityFigure.objects.published()
        .filter(where)
        .select_related("organization", "metric")
        .prefetch_related(citations_prefetch())
        .order_by("organization__name", "metric__name")
    )
    return equipment, figures


def organization_redirect(slug):
    """The organisation an old (merged) slug now belongs to, or None."""
    found = OrganizationSlugRedirect.objects.select_related("organization").filter(old_slug=slug)
    redirect = found.first()
    return None if redirect is None else redirect.organization


def similar_organizations(names, *, exclude_pk=None, limit=10):
    """Organisations one of whose names (name, short and localized names, aliases) reads
    like one of ``names`` once case, punctuation, accents and Cyrillic/Latin spelling are
    set aside: ``[(organization, [its names that matched]), …]``, at most ``limit``."""
    matcher = NameMatcher(names)
    if not matcher:
        return []
    rows = Organization.objects.order_by("name").values_list(
        "pk", "name", "short_name", "name_ru", "name_kk", "aliases"
    )
    matches = {}
    for pk, name, short_name, name_ru, name_kk, aliases in rows.iterator(chunk_size=2000):
        if pk == exclude_pk:
            continue
        known = [name, short_name, name_ru, name_kk, *aliases.splitlines()]
        matched = [n.strip() for n in known if n and n.strip() and matcher.matches(n)]
        if matched:
            matches[pk] = matched
            if len(matches) >= limit:
                break
    found = Organization.objects.in_bulk(list(matches))
    return [(found[pk], matched) for pk, matched in matches.items() if pk in found]
