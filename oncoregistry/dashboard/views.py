import math

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Equipment, Organization, Region
from centers.selectors import citations_prefetch
from oncoregistry.stats.selectors import snapshot_payloads
from oncoregistry.stats.services import CAPACITY_ORGANIZATIONS
from therapies.models import Modality, Stage, TherapyOffering

MAP_MEASURES = {
    "organizations": _("Organisations"),
    "centers": _("Centers"),
    "equipment": _("Equipment units"),
    "linear_accelerators": _("Linear accelerators"),
    "proton_systems": _("Proton therapy systems"),
    "offerings": _("Therapy offerings"),
    "routine_offerings": _("Therapies in routine use"),
    "capacity_figures": _("Capacity figures"),
}
SHADES = 5


CHART_WIDTH = 520  # the SVG's user units; it scales to its box
BAR_MAX = 330  # room is left after the longest bar for its value
ROW_HEIGHT = 40
LABEL_CHARS = 70


def _bars(rows, label_key, value_key, scale_key=None):
    """Geometry of a horizontal bar chart, computed here so the SVG needs no script.

    ``scale_key`` names a field whose values never share a scale (money in different
    currencies): each bar is then drawn against the largest bar of its own group.
    """
    rows = [r for r in rows if r.get(value_key) is not None]
    tops = {}
    for row in rows:
        group = row.get(scale_key) if scale_key else None
        tops[group] = max(tops.get(group, 0), float(row[value_key]))
    bars = []
    for index, row in enumerate(rows):
        top = tops[row.get(scale_key) if scale_key else None]
        width = round(BAR_MAX * float(row[value_key]) / top, 1) if top else 0
        label = str(row[label_key])
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        y = index * ROW_HEIGHT
        bars.append(
            {
                **row,
                "short_label": short,
                "label_y": y + 14,
                "bar_y": y + 20,
                "bar_width": max(width, 2),
                "value_x": max(width, 2) + 6,
                "value_y": y + 31,
            }
        )
    return {
        "rows": bars,
        "label": label_key,
        "value": value_key,
        "width": CHART_WIDTH,
        "height": len(bars) * ROW_HEIGHT,
        "separate_scales": len(tops) > 1,
    }


def _map_tiles(regions, measures, measure):
    top = max((measures.get(r.slug, {}).get(measure, 0) for r in regions), default=0)
    tiles = []
    for region in regions:
        value = measures.get(region.slug, {}).get(measure, 0)
        shade = math.ceil(SHADES * value / top) if value and top else 0
        tiles.append({"region": region, "value": value, "shade": shade})
    return tiles, top


def _map_legend(top):
    """The value range each shade stands for: shade k holds (k-1)/5·top < value ≤ k/5·top.

    The measures are counts, so a range is shown in whole numbers and shades no whole
    number falls into are left out."""
    legend = [{"shade": 0, "label": "0"}]
    for shade in range(1, SHADES + 1):
        low = math.floor((shade - 1) * top / SHADES) + 1
        high = math.floor(shade * top / SHADES)
        if low > high:
            continue
        legend.append({"shade": shade, "label": str(low) if low == high else f"{low}–{high}"})
    return legend


def dashboard(request):
    stats = snapshot_payloads()
    measure = request.GET.get("measure", "centers")
    if measure not in MAP_MEASURES:
        measure = "centers"
    regions = list(Region.objects.published().order_by("grid_row", "grid_col"))
    context = {"stats": stats, "measure": measure, "measures": MAP_MEASURES}
    if stats.get("headline"):
        capacity_rows = [
            {**row, "label": f"{row['name']} — {row['metric_name']}"}
            for row in stats["capacity"].get("by_organization", [])
            if row.get("period") == "per_year"
        ]
        stage_labels = dict(Stage.choices)
        stage_rows = [
            {"label": stage_labels.get(stage, stage), "count": count}
            for stage, count in stats["therapies"].get("offerings_by_stage", {}).items()
        ]
        year_rows = [
            {"label": _("year not stated") if year == "year_not_stated" else year, "count": n}
            for year, n in sorted(stats["agreements"].get("by_year", {}).items())
        ]
        purpose_rows = [
            {**row, "label": f"{row['purpose']} ({row['currency']})"}
            for row in stats["funding"].get("by_purpose", [])
        ]
        # The snapshot keeps the purposes with the most records: say so when some are left out.
        purposes = stats["funding"].get("by_purpose_total") or 0
        funding_shown = (
            {"shown": len(purpose_rows), "total": purposes}
            if purposes > len(purpose_rows)
            else None
        )
        # The snapshot holds the first CAPACITY_ORGANIZATIONS organisations by name that have
        # figures: when it is full, the chart says it shows a slice, not every center.
        capacity_organizations = {
            row["organization"] for row in stats["capacity"].get("by_organization", [])
        }
        capacity_shown = (
            len(capacity_organizations)
            if len(capacity_organizations) >= CAPACITY_ORGANIZATIONS
            else None
        )
        tiles, top = _map_tiles(regions, stats.get("regions", {}), measure)
        context.update(
            capacity_chart=_bars(capacity_rows, "label", "value"),
            stage_chart=_bars(stage_rows, "label", "count"),
            year_chart=_bars(year_rows, "label", "count"),
            funding_chart=_bars(purpose_rows, "label", "value", scale_key="currency"),
            funding_shown=funding_shown,
            capacity_shown=capacity_shown,
            tiles=tiles,
            map_max=top,
            legend=_map_legend(top),
            grid_rows=range(1 + max((r.grid_row for r in regions), default=0)),
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
        },
    )


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    results = {}
    if query:
        from oncoregistry.sources.models import Source
        from partnerships.models import Agreement
        from therapies.models import Therapy

        words = Q()
        for field in ("name", "short_name", "aliases", "name_ru", "name_kk", "city"):
            words |= Q(**{f"{field}__icontains": query})
        results = {
            "organizations": Organization.objects.published()
            .filter(words)
            .select_related("region")[:50],
            "therapies": Therapy.objects.published().filter(
                Q(name__icontains=query) | Q(name_ru__icontains=query) | Q(name_kk__icontains=query)
            )[:50],
            "agreements": Agreement.objects.published().filter(
                Q(title__icontains=query) | Q(summary__icontains=query)
            )[:50],
            "sources": Source.objects.published().filter(
                Q(title__icontains=query) | Q(text__icontains=query)
            ).only("slug", "title", "publisher")[:50],
        }
    return render(request, "dashboard/search.html", {"query": query, "results": results})
