"""The ``indicators`` statistic shaped for a page: one region's, or the country's.

Rates carry the qualifier of the count they come from ("at least 7" accelerators give
"at least" so many per million); a place where the registry holds no record of a kind of
machine shows that, never a rate of zero.
"""

import datetime

from django.utils.translation import get_language

from commitments.models import CommitmentKind, CommitmentStatus
from oncoregistry.core.derived import localized_name
from oncoregistry.core.models import partial_date_display

REPORTED = {"radiotherapy": "linear_accelerators", "pet_ct": "pet_ct_scanners"}


def _machines(entry, benchmark, reported):
    machines = entry["machines"]
    rate = entry["per_million"]
    return {
        "machines": machines,
        "recorded": machines["records"] > 0,
        "rate": {"value": rate, "qualifier": machines["qualifier"]} if rate is not None else None,
        "population": entry["population"],
        "needed": entry["needed"],
        "gap": entry["gap"],
        "benchmark": benchmark,
        "reported": reported,
    }


def indicators_for(stats, slug=None):
    """Template-ready indicators of region ``slug``, or of the country when it is None;
    None when the snapshot has no indicators yet."""
    payload = stats.get("indicators")
    if not payload:
        return None
    reported = {
        benchmark["indicator"]: benchmark
        for benchmark in payload["benchmarks"]
        if benchmark["kind"] == "reported_total"
    }
    machines = {}
    for name in ("radiotherapy", "pet_ct"):
        block = payload[name]
        entry = block["country"] if slug is None else block["regions"].get(slug)
        if entry is None:
            return None
        machines[name] = _machines(entry, block["benchmark"], reported.get(REPORTED[name]))
    language = get_language()
    annual = []
    for indicator in payload["annual"]:
        figure = indicator["country"] if slug is None else indicator["regions"].get(slug)
        if figure is None:
            continue
        annual.append(
            {
                "name": localized_name(
                    indicator["name"], indicator["name_ru"], indicator["name_kk"], language
                ),
                "unit": indicator["unit"],
                "kind": indicator["kind"],
                "figure": figure,
                "rate": (
                    {"value": figure["per_100k"], "qualifier": figure["qualifier"]}
                    if figure["per_100k"] is not None
                    else None
                ),
            }
        )
    population = payload["population"]
    people = population["total"] if slug is None else population["by_region"].get(slug)
    return {
        "population": people,
        "as_of": datetime.date.fromisoformat(population["as_of"]) if population["as_of"] else None,
        "population_sources": population["sources"],
        "radiotherapy": machines["radiotherapy"],
        "pet_ct": machines["pet_ct"],
        "annual": annual,
    }


def commitments_panel(stats):
    """The dashboard's commitments panel: counts by status and the next deadlines, in the
    reader's language."""
    payload = stats.get("commitments")
    if not payload:
        return {}
    labels = dict(CommitmentStatus.choices)
    kinds = dict(CommitmentKind.choices)
    language = get_language()
    return {
        "commitment_statuses": [
            {"status": status, "label": labels[status], "count": payload["by_status"][status]}
            for status in CommitmentStatus.values
            if payload["by_status"].get(status)
        ],
        "commitments_status_on": (
            datetime.date.fromisoformat(payload["status_on"]) if payload["status_on"] else None
        ),
        "commitments_next": [
            {
                "name": localized_name(due["name"], due["name_ru"], due["name_kk"], language),
                "kind": kinds.get(due["kind"], due["kind"]),
                "due": partial_date_display(*due["due"]),
                "status": due["status"],
                "status_label": labels.get(due["status"], due["status"]),
                "organization": due["organization"],
                "page_url": due["page_url"],
            }
            for due in payload["next_due"]
        ],
    }
