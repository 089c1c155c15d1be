"""The dashboard's charts: one function per chart, each drawn from one statistic's payload.

A function decorated with ``@chart`` takes the snapshot's payloads (``{key: payload}``)
and returns a bar chart with its title; the dashboard draws them in the order they are
defined here. The map, the ``regions`` statistic's chart, is drawn by ``region_map``.
"""

import math

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.derived import currency_name, plain_number
from oncoregistry.core.translation import translated
from oncoregistry.stats.statistics.capacity import CAPACITY_ORGANIZATIONS
from therapies.models import Stage

CHART_WIDTH = 520  # the SVG's user units; it scales to its box
BAR_MAX = 330  # room is left after the longest bar for its value
ROW_HEIGHT = 40
LABEL_CHARS = 70

CHARTS = []


def chart(draw):
    """Add a chart to the dashboard (in the order of definition)."""
    CHARTS.append(draw)
    return draw


def bars(title, rows, label_key, value_key, scale_key=None):
    """Geometry of a horizontal bar chart, computed here so the SVG needs no script.

    ``scale_key`` names a field whose values never share a scale (money in different
    currencies): each bar is then drawn against the largest bar of its own group.
    """
    rows = [r for r in rows if r.get(value_key) is not None]
    tops = {}
    for row in rows:
        group = row.get(scale_key) if scale_key else None
        tops[group] = max(tops.get(group, 0), float(row[value_key]))
    drawn = []
    for index, row in enumerate(rows):
        top = tops[row.get(scale_key) if scale_key else None]
        width = round(BAR_MAX * float(row[value_key]) / top, 1) if top else 0
        label = str(row[label_key])
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        y = index * ROW_HEIGHT
        drawn.append(
            {
                **row,
                "short_label": short,
                "label_y": y + 14,
                "bar_y": y + 20,
                "bar_width": max(width, 2),
                # The same bar as a share of the longest, for the phone layout (HTML bars).
                "bar_percent": max(round(100 * width / BAR_MAX, 1), 0.5),
                "value_x": max(width, 2) + 6,
                "value_y": y + 31,
            }
        )
    return {
        "title": title,
        "rows": drawn,
        "label": label_key,
        "value": value_key,
        "width": CHART_WIDTH,
        "height": len(drawn) * ROW_HEIGHT,
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


@chart
def capacity_by_center(stats):
    rows = [
        labelled(row, translated(row, "name"), " — ", translated(row, "metric_name"))
        for row in stats["capacity"].get("by_organization", [])
        if row.get("period") == "per_year"
    ]
    # The snapshot holds the first CAPACITY_ORGANIZATIONS organisations by name that have
    # figures: when it is full, the chart says it shows a slice, not every center.
    shown = len({row["organization"] for row in stats["capacity"].get("by_organization", [])})
    if shown >= CAPACITY_ORGANIZATIONS:
        title = ngettext(
            "Annual capacity by center: the first %(shown)s center by name",
            "Annual capacity by center: the first %(shown)s centers by name",
            shown,
        ) % {"shown": plain_number(shown)}
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


@chart
def funding_by_purpose(stats):
    rows = [
        labelled(row, translated(row, "purpose"), f" ({currency_name(row['currency'])})")
        for row in stats["funding"].get("by_purpose", [])
    ]
    # The snapshot keeps the purposes with the most records: say so when some are left out.
    total = stats["funding"].get("by_purpose_total") or 0
    if total > len(rows):
        title = gettext("Funding by purpose: the %(shown)s of %(total)s with the most records") % {
            "shown": plain_number(len(rows)),
            "total": plain_number(total),
        }
    else:
        title = gettext("Funding by purpose")
    return bars(title, rows, "label", "value", scale_key="currency")


# --- The map: the regions statistic -----------------------------------------------------

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


def map_legend(top):
    """The value range each shade stands for: shade k holds (k-1)/5·top < value ≤ k/5·top.

    The measures are counts, so a range is shown in whole numbers and shades no whole
    number falls into are left out."""
    legend = [{"shade": 0, "label": "0"}]
    for shade in range(1, SHADES + 1):
        low = math.floor((shade - 1) * top / SHADES) + 1
        high = math.floor(shade * top / SHADES)
        if low > high:
            continue
        span = plain_number(low) if low == high else f"{plain_number(low)}–{plain_number(high)}"
        legend.append({"shade": shade, "label": span})
    return legend


def region_map(stats, regions, measure):
    """The tile map of ``regions`` (in grid order) coloured by one measure."""
    measures = stats.get("regions", {})
    top = max((measures.get(r.slug, {}).get(measure, 0) for r in regions), default=0)
    tiles = []
    for region in regions:
        value = measures.get(region.slug, {}).get(measure, 0)
        shade = math.ceil(SHADES * value / top) if value and top else 0
        tiles.append({"region": region, "value": value, "shade": shade})
    return {
        "tiles": tiles,
        "map_max": top,
        "legend": map_legend(top),
        "grid_rows": range(1 + max((r.grid_row for r in regions), default=0)),
    }
