from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from centers.models import Equipment, Organization, Region
from centers.selectors import citations_prefetch
from oncoregistry.core.filters import search_terms_query
from oncoregistry.stats.selectors import registry_changed_at, snapshot_payloads
from oncoregistry.stats.services import statistic_freshness
from therapies.models import Modality, Stage, TherapyOffering

from .charts import CHARTS, map_measures, region_map
from .indicators import commitments_panel, indicators_for


def dashboard(request):
    stats = snapshot_payloads()
    measures = map_measures(stats)
    measure = request.GET.get("measure", "radiotherapy_per_million")
    if measure not in measures:
        measure = "radiotherapy_per_million"
    regions = list(Region.objects.published().order_by("name"))
    context = {"stats": stats, "measure": measure, "measures": measures}
    if stats["computed_at"] is not None:
        context["freshness"] = statistic_freshness(
            stats["computed_at"],
            data_updated_at=stats["data_updated_at"],
            registry_changed_at=registry_changed_at(),
        )
    if stats.get("headline"):
        context.update(
            charts=[draw(stats) for draw in CHARTS],
            **region_map(stats, regions, measure),
            measure_label=measures[measure],
            country=indicators_for(stats),
            **commitments_panel(stats),
            age=timezone.now() - stats["computed_at"] if stats.get("computed_at") else None,
        )
    return render(request, "dashboard/home.html", context)


def region_detail(request, slug):
    region = get_object_or_404(Region.objects.published(), slug=slug)
    organizations = (
        Organization.objects.published()
        .filter(region=region)
        .select_related("parent")
        .prefetch_related(
            Prefetch("equipment", Equipment.objects.published()), citations_prefetch()
        )
        .order_by("name")
    )
    offerings = (
        TherapyOffering.objects.published()
        .filter(organization__region=region, organization__publication_state="published")
        .select_related("therapy", "organization")
    )
    routine = {o.therapy.modality for o in offerings if o.stage == Stage.ROUTINE_SERVICE}
    missing = [label for value, label in Modality.choices if value not in routine]
    return render(
        request,
        "centers/region_detail.html",
        {
            "region": region,
            "organizations": organizations,
            "offerings": offerings,
            "missing_modalities": missing,
            "indicators": indicators_for(snapshot_payloads(), region.slug),
        },
    )


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    results = {}
    if query:
        from oncoregistry.sources.models import Source
        from partnerships.models import Agreement
        from therapies.models import Therapy

        # Every word, in any of the three languages and either script (core/search.py).
        organizations = search_terms_query(
            ("name", "short_name", "aliases", "name_ru", "name_kk", "city"),
            query,
            ("search_text", "region__search_text"),
        )
        therapies = search_terms_query(("name", "name_ru", "name_kk"), query, ("search_text",))
        agreements = search_terms_query(
            ("title", "summary", "summary_ru", "summary_kk"), query, ("search_text",)
        )
        results = {
            "organizations": Organization.objects.published()
            .filter(organizations)
            .select_related("region")[:50],
            "therapies": Therapy.objects.published().filter(therapies)[:50],
            "agreements": Agreement.objects.published().filter(agreements)[:50],
            "sources": Source.objects.published().filter(
                Q(title__icontains=query) | Q(text__icontains=query)
            ).only("slug", "title", "publisher")[:50],
        }
    return render(request, "dashboard/search.html", {"query": query, "results": results})
