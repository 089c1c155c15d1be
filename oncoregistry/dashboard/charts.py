"""The dashboard's charts: one function per chart, each drawn from one statistic's payload.

A function decorated with ``@chart`` takes the snapshot's payloads (``{key: payload}``)
and returns a bar chart with its title; the dashboard draws them in the order they are
defined here. The map, the chart of the ``regions`` and ``indicators`` statistics, is
drawn by ``region_map``: an SVG choropleth of the 20 regions. No chart needs a script.
"""

from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.derived import currency_name, localized_name, plain_number
from oncoregistry.core.translation import translated
from oncoregistry.stats.statistics.capacity import CAPACITY_ORGANIZATIONS
from reference.maps import choropleth
from therapies.models import Stage

from .templatetags.registry import qualified

CHARTS = []


def chart(draw):
    """Add a chart to the dashboard (in the order of definition)."""
    CHARTS.append(draw)
    return draw


def bars(title, rows, label_key, value_key, scale_key=None):
    """A horizontal bar chart: each bar's length as a share of the longest (HTML bars, no
    script).

    ``scale_key`` names a field whose values never share a scale (money in different
    currencies): each bar is then drawn against the largest bar of its own group.
    """
    rows = [r for r in rows if r.get(value_key) is not None]
    tops = {}
    for row in rows:
        group = row.get(scale_key) if scale_key else None
        tops[group] = max(tops.get(group, 0), float(row[value_key]))
    drawn = []
    for row in rows:
        top = tops[row.get(scale_key) if scale_key else None]
        share = 100 * float(row[value_key]) / top if top else 0
        drawn.append({**row, "bar_percent": max(round(share, 1), 0.5)})
    return {
        "title": title,
        "rows": drawn,
        "label": label_key,
        "value": value_key,
        "separate_scales": len(tops) > 1,
    }


def labelled(row, *parts):
    """``row`` with a label made of ``parts``: texts, or (text, is English standing in for a
    missing translation) pairs, which the chart marks."""
    parts = [
        {"text": part, "fallback": False} if isinstance(part, str) else
        {"text": part[0], "fallback": part[1]}
        for part in parts
    ]  # fmt: skip
    return {**row, "label": "".join(part["text"] for part in parts), "label_parts": parts}


#: Centers drawn in the capacity chart (and its table): every center's figures are in the
#: API; hundreds of bars made the page heavy and slow to draw (docs/performance.md).
CAPACITY_CENTERS_SHOWN = 6


@chart
def capacity_by_center(stats):
    rows = stats["capacity"].get("by_organization", [])
    # The snapshot lists centers by name; the chart draws the first few and says so.
    centers = list(dict.fromkeys(row["organization"] for row in rows))
    shown = centers[:CAPACITY_CENTERS_SHOWN]
    rows = [
        labelled(row, translated(row, "name"), " — ", translated(row, "metric_name"))
        for row in rows
        if row.get("period") == "per_year" and row["organization"] in shown
    ]
    if len(centers) > len(shown) or len(centers) >= CAPACITY_ORGANIZATIONS:
        title = ngettext(
            "Annual capacity by center: the first %(shown)s center by name",
            "Annual capacity by center: the first %(shown)s centers by name",
            len(shown),
        ) % {"shown": plain_number(len(shown))}
    else:
        title = gettext("Annual capacity by center")
    return bars(title, rows, "label", "value")


@chart
def offerings_by_stage(stats):
    stage_labels = dict(Stage.choices)
    rows = [
        {"label": stage_labels.get(stage, stage), "count": count}
        for stage, count in stats["therapies"].get("offerings_by_stage", {}).items()
    ]
    return bars(gettext("Therapy offerings by stage"), rows, "label", "count")


@chart
def agreements_by_year(stats):
    rows = [
        {"label": gettext("year not stated") if year == "year_not_stated" else year, "count": n}
        for year, n in sorted(stats["agreements"].get("by_year", {}).items())
    ]
    return bars(gettext("Agreements by year signed"), rows, "label", "count")


#: Bars of the funding chart: the snapshot (and the stats API) keeps more purposes.
FUNDING_BARS = 20


@chart
def funding_by_purpose(stats):
    kept = stats["funding"].get("by_purpose", [])  # by purpose, each with its records
    most = sorted(kept, key=lambda row: -row["records"])[:FUNDING_BARS]
    rows = [
        labelled(row, translated(row, "purpose"), f" ({currency_name(row['currency'])})")
        for row in kept
        if row in most
    ]
    # The purposes with the most records come first: say so when some are left out.
    total = stats["funding"].get("by_purpose_total") or 0
    if total > len(rows):
        title = gettext("Funding by purpose: the %(shown)s of %(total)s with the most records") % {
            "shown": plain_number(len(rows)),
            "total": plain_number(total),
        }
    else:
        title = gettext("Funding by purpose")
    return bars(title, rows, "label", "value", scale_key="currency")


# --- The map: the regions and indicators statistics --------------------------------------

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
#: Measures of the ``indicators`` statistic: rates per head of population.
RATE_MEASURES = {
    "radiotherapy_per_million": _("Radiotherapy machines per million people"),
    "pet_ct_per_million": _("PET/CT scanners per million people"),
}
ANNUAL_KIND_LABELS = {
    "capacity": _("%(metric)s: annual capacity per 100,000 people"),
    "delivered": _("%(metric)s: delivered per year per 100,000 people"),
}


def map_measures(stats):
    """``{key: label}`` of every measure the map can be coloured by: the counts, the rates
    per million, and each metric's annual figure per 100,000 people."""
    measures = {**MAP_MEASURES, **RATE_MEASURES}
    language = get_language()
    for indicator in stats.get("indicators", {}).get("annual", []):
        name = localized_name(
            indicator["name"], indicator["name_ru"], indicator["name_kk"], language
        )
        label = ANNUAL_KIND_LABELS.get(indicator["kind"])
        if label:
            measures[f"annual-{indicator['metric']}-{indicator['kind']}"] = label % {"metric": name}
    return measures


def _measure_values(stats, measure):
    """``{region slug: {"value", "qualifier", "records"} | None}`` for one measure; None
    where the registry records nothing of it."""
    indicators = stats.get("indicators", {})
    if measure in MAP_MEASURES:
        return {
            slug: {"value": m.get(measure, 0), "qualifier": "exact"} if m.get(measure) else None
            for slug, m in stats.get("regions", {}).items()
        }
    if measure in RATE_MEASURES:
        block = indicators.get(measure.removesuffix("_per_million"), {})
        return {
            slug: (
                {
                    "value": entry["per_million"],
                    "qualifier": entry["machines"]["qualifier"],
                    "records": entry["machines"]["records"],
                }
                if entry["per_million"] is not None
                else None
            )
            for slug, entry in block.get("regions", {}).items()
        }
    for indicator in indicators.get("annual", []):
        if measure == f"annual-{indicator['metric']}-{indicator['kind']}":
            return {
                slug: (
                    {"value": figure["per_100k"], "qualifier": figure["qualifier"],
                     "records": figure["records"]}
                    if figure["per_100k"] is not None
                    else None
                )
                for slug, figure in indicator["regions"].items()
            }  # fmt: skip
    return {}


def region_map(stats, regions, measure):
    """The choropleth of ``regions`` (published ``Region`` records) coloured by one
    measure, with the centers recorded in each region as circles, and its table."""
    values = _measure_values(stats, measure)
    counts = stats.get("regions", {})
    drawn = choropleth(
        {slug: (cell or {}).get("value") for slug, cell in values.items()},
        points={slug: m.get("centers", 0) for slug, m in counts.items()},
        centroids={r.slug: (r.longitude, r.latitude) for r in regions},
    )
    names = {r.slug: r.display_name for r in regions}
    for entry in drawn["regions"]:
        cell = values.get(entry["slug"])
        entry["name"] = names.get(entry["slug"], entry["slug"])
        entry["shown"] = qualified(cell) if cell else None
    for circle in drawn["circles"]:
        circle["name"] = names.get(circle["slug"], circle["slug"])
    rows = sorted(drawn["regions"], key=lambda r: (-(float(r["value"] or 0)), str(r["name"])))
    for step in drawn["legend"]:
        step["label"] = f"{plain_number(step['low'])}–{plain_number(step['high'])}"
    return {"map": drawn, "map_rows": rows}
