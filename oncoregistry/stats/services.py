"""The statistics refresh: every aggregate computed in the database, written as one snapshot.

``statistics_refresh()`` runs a fixed number of GROUP BY queries (the same number for
ten records or ten thousand), shapes the grouped rows into one JSON payload per key and
replaces every ``StatisticSnapshot`` row in one transaction, so a reader sees either the
previous snapshot or the new one, never a mix.

Conventions shared by the payloads below:

* a *figure* is ``{"value": number, "qualifier": str, "records": int}``: the sum of the
  stated numbers, the qualifier of that sum (``stats.qualifiers.combine_qualifiers``:
  a sum including an "up to" figure is "up_to"; including "over"/"at least" →
  "at_least"; "about" → "about"; upper and lower bounds together → "about"), and how
  many records were added up;
* numbers are JSON numbers (integers when whole); money is never added across currencies;
* regions are keyed by slug; ``"none"`` holds records whose organisation has no region.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import CharField, Count, Exists, Max, OuterRef, Q, Sum, Value
from django.db.models.functions import Concat
from django.utils import timezone

from centers.models import (
    CapacityFigure,
    Designation,
    Equipment,
    EquipmentStatus,
    Metric,
    Organization,
    OrganizationKind,
    Region,
)
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, AgreementParty, Funding
from therapies.models import CancerType, Modality, Stage, Therapy, TherapyOffering

from .models import StatisticSnapshot
from .qualifiers import combine_qualifiers

KEYS = (
    "headline",
    "organizations",
    "equipment",
    "capacity",
    "therapies",
    "agreements",
    "funding",
    "regions",
    "data_quality",
)
NO_REGION = "none"
YEAR_NOT_STATED = "year_not_stated"
#: Organisations counted as "centers" in the headline and on the map.
CENTER_KINDS = (
    OrganizationKind.ONCOLOGY_CENTER,
    OrganizationKind.RESEARCH_CENTER,
    OrganizationKind.RADIOPHARMACEUTICAL_CENTER,
)
GOVERNMENT_KINDS = (OrganizationKind.GOVERNMENT_BODY, OrganizationKind.LOCAL_GOVERNMENT)
#: Records whose citations the data-quality aggregate counts, by label.
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


def number(value):
    """A Decimal/int as a JSON number: an int when whole."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class FigureSum:
    """Adds grouped rows (sum, qualifier, record count) into one figure."""

    def __init__(self):
        self.value, self.qualifiers, self.records = Decimal(0), set(), 0

    def add(self, total, qualifier, records):
        self.value += Decimal(total or 0)
        self.qualifiers.add(qualifier)
        self.records += records

    def as_dict(self):
        return {
            "value": number(self.value),
            "qualifier": combine_qualifiers(self.qualifiers),
            "records": self.records,
        }


def _figures(nested):
    """Turn nested dicts of FigureSum into plain dicts."""
    if isinstance(nested, FigureSum):
        return nested.as_dict()
    return {key: _figures(value) for key, value in nested.items()}


def _tree():
    return defaultdict(_tree)


def _plain(tree):
    if isinstance(tree, defaultdict):
        return {key: _plain(value) for key, value in tree.items()}
    return tree


# --- Aggregates ---------------------------------------------------------------------------


def organizations_statistics():
    """Organisations by kind, status and region (one GROUP BY).

    ``{"total": int, "by_kind": {kind: int}, "by_status": {status: int},
    "by_region": {region_slug | "none": int},
    "by_kind_status": {kind: {status: int}}}``
    """
    rows = Organization.objects.values("kind", "status", "region__slug").annotate(n=Count("id"))
    result = {"total": 0, "by_kind": {}, "by_status": {}, "by_region": {}, "by_kind_status": {}}
    for row in rows:
        n, region = row["n"], row["region__slug"] or NO_REGION
        result["total"] += n
        for name, key in (
            ("by_kind", row["kind"]),
            ("by_status", row["status"]),
            ("by_region", region),
        ):
            result[name][key] = result[name].get(key, 0) + n
        kinds = result["by_kind_status"].setdefault(row["kind"], {})
        kinds[row["status"]] = kinds.get(row["status"], 0) + n
    return result


def equipment_statistics():
    """Equipment by category, status and region (one GROUP BY).

    Counts are summed with their qualifiers carried; a record whose source states no
    number (``count`` empty) is never counted as 1 or 0: it is counted apart in
    ``number_not_stated``.

    ``{"by_category": {category: {"value", "qualifier", "records", "number_not_stated"}},
    "operating_by_category": {category: {...same...}},  # status "operating" only
    "by_region": {region_slug | "none": {category: {...same...}}}}``
    """
    rows = Equipment.objects.values(
        "category", "status", "organization__region__slug", "count_qualifier"
    ).annotate(
        total=Sum("count"),
        stated=Count("id", filter=Q(count__isnull=False)),
        unstated=Count("id", filter=Q(count__isnull=True)),
    )
    by_category, operating, by_region = _tree(), _tree(), _tree()
    unstated = defaultdict(int)
    for row in rows:
        region = row["organization__region__slug"] or NO_REGION
        targets = [(by_category, (row["category"],)), (by_region, (region, row["category"]))]
        if row["status"] == EquipmentStatus.OPERATING:
            targets.append((operating, (row["category"],)))
        for tree, path in targets:
            node = tree
            for part in path[:-1]:
                node = node[part]
            if path[-1] not in node:
                node[path[-1]] = FigureSum()
            if row["stated"]:
                node[path[-1]].add(row["total"], row["count_qualifier"], row["stated"])
            unstated[(id(tree), *path)] += row["unstated"]

    # ``unstated`` is keyed by (tree, category) or (tree, region, category).
    def top(tree):
        out = {}
        for key, value in tree.items():
            if isinstance(value, FigureSum):
                out[key] = {**value.as_dict(), "number_not_stated": unstated[(id(tree), key)]}
            else:
                out[key] = {
                    sub: {**fig.as_dict(), "number_not_stated": unstated[(id(tree), key, sub)]}
                    for sub, fig in value.items()
                }
        return out

    return {
        "by_category": top(by_category),
        "operating_by_category": top(operating),
        "by_region": top(by_region),
    }


#: Organisations listed in ``capacity["by_organization"]`` (the dashboard chart's size).
CAPACITY_ORGANIZATIONS = 50


def capacity_statistics():
    """Capacity figures per metric, kind and period, and per organisation.

    Kinds (``capacity`` it can deliver / ``delivered`` volume / ``target``) and periods
    (per_year / months / cumulative / point_in_time) are never added together.

    ``{"by_metric": {metric_slug: {"name", "unit",
        "kinds": {kind: {period: {"value", "qualifier", "records"}}}}},
    "by_organization": [{"organization": slug, "name", "metric": slug, "metric_name",
        "unit", "kind", "period", "value", "qualifier", "records"}, ...]}``
    (``by_organization`` is ordered by organisation name, then metric, kind and period:
    the dashboard's "capacity by center" chart; it holds the first
    ``CAPACITY_ORGANIZATIONS`` organisations with figures, so the snapshot stays the same
    size whatever the size of the registry — make bench found a 2.6 MB payload at 1,000
    organisations.)
    """
    metrics = {}
    metric_rows = (
        CapacityFigure.objects.values(
            "metric__slug", "metric__name", "metric__unit", "kind", "period", "qualifier"
        )
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by("metric__slug", "kind", "period", "qualifier")
    )
    for row in metric_rows:
        metric = metrics.setdefault(
            row["metric__slug"],
            {"name": row["metric__name"], "unit": row["metric__unit"], "kinds": _tree()},
        )
        period = metric["kinds"][row["kind"]]
        if row["period"] not in period:
            period[row["period"]] = FigureSum()
        period[row["period"]].add(row["total"], row["qualifier"], row["n"])
    # The first organisations by name that have figures, as a subquery of the same query.
    first = (
        Organization.objects.filter(
            Exists(CapacityFigure.objects.filter(organization=OuterRef("pk")))
        )
        .order_by("name", "id")
        .values("id")[:CAPACITY_ORGANIZATIONS]
    )
    rows = (
        CapacityFigure.objects.filter(organization_id__in=first)
        .values(
            "organization__slug",
            "organization__name",
            "metric__slug",
            "metric__name",
            "metric__unit",
            "kind",
            "period",
            "qualifier",
            "organization_id",
        )
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by(
            "organization__name", "organization_id", "metric__slug", "kind", "period", "qualifier"
        )
    )
    per_org, org_order = {}, []
    for row in rows:
        key = (row["organization__slug"], row["metric__slug"], row["kind"], row["period"])
        if key not in per_org:
            org_order.append(key)
            per_org[key] = (row, FigureSum())
        per_org[key][1].add(row["total"], row["qualifier"], row["n"])
    by_metric = {
        slug: {"name": m["name"], "unit": m["unit"], "kinds": _figures(_plain(m["kinds"]))}
        for slug, m in metrics.items()
    }
    by_organization = []
    for key in org_order:
        row, figure = per_org[key]
        by_organization.append(
            {
                "organization": row["organization__slug"],
                "name": row["organization__name"],
                "metric": row["metric__slug"],
                "metric_name": row["metric__name"],
                "unit": row["metric__unit"],
                "kind": row["kind"],
                "period": row["period"],
                **figure.as_dict(),
            }
        )
    return {"by_metric": by_metric, "by_organization": by_organization}


def therapies_statistics(region_slugs):
    """Therapies by modality; offerings by stage; where each therapy is offered.

    A *provider* of a modality in a region is an organisation there with an offering of
    that modality in the role ``provider`` at the stage ``routine_service``.

    ``{"therapies": int, "by_modality": {modality: int},            # therapies
    "offerings_by_stage": {stage: int},                              # offerings
    "by_modality_stage": {modality: {stage: int}},                   # offerings
    "offered_in": {therapy_slug: {region_slug | "none": int}},       # offerings, any role
    "regions_without_provider": {modality: [region_slug, ...]}}``    # every modality listed
    """
    by_modality = dict(
        Therapy.objects.values_list("modality").annotate(n=Count("id")).order_by("modality")
    )
    offerings = TherapyOffering.objects.values("therapy__modality", "stage").annotate(n=Count("id"))
    by_stage, by_modality_stage = defaultdict(int), _tree()
    for row in offerings:
        by_stage[row["stage"]] += row["n"]
        by_modality_stage[row["therapy__modality"]][row["stage"]] = row["n"]
    offered_in = _tree()
    for row in TherapyOffering.objects.values(
        "therapy__slug", "organization__region__slug"
    ).annotate(n=Count("id")):
        offered_in[row["therapy__slug"]][row["organization__region__slug"] or NO_REGION] = row["n"]
    provided = defaultdict(set)
    for modality, region in (
        TherapyOffering.objects.filter(
            role=TherapyOffering.Role.PROVIDER,
            stage=Stage.ROUTINE_SERVICE,
            organization__region__isnull=False,
        )
        .values_list("therapy__modality", "organization__region__slug")
        .distinct()
    ):
        provided[modality].add(region)
    return {
        "therapies": sum(by_modality.values()),
        "by_modality": by_modality,
        "offerings_by_stage": dict(by_stage),
        "by_modality_stage": _plain(by_modality_stage),
        "offered_in": _plain(offered_in),
        "regions_without_provider": {
            modality: [slug for slug in region_slugs if slug not in provided[modality]]
            for modality in Modality.values
        },
    }


#: Partners listed in ``agreements["by_partner"]``.
TOP_PARTNERS = 50


def agreements_statistics():
    """Agreements per year, per kind and per partner organisation.

    ``{"total": int, "by_year": {"2024": int, ..., "year_not_stated": int},
    "by_kind": {kind: int}, "by_status": {status: int},
    "by_partner": [{"organization": slug, "name": str, "agreements": int}, ...]}``
    (``by_partner`` counts distinct agreements a party to which the organisation is,
    most first; the first ``TOP_PARTNERS``, so the snapshot does not grow with the
    registry: make bench found 217 KB at 10,000 organisations.)
    """
    rows = Agreement.objects.values("date_year", "kind", "status").annotate(n=Count("id"))
    result = {"total": 0, "by_year": {}, "by_kind": {}, "by_status": {}}
    for row in rows:
        year = str(row["date_year"]) if row["date_year"] else YEAR_NOT_STATED
        result["total"] += row["n"]
        for name, key in (
            ("by_year", year),
            ("by_kind", row["kind"]),
            ("by_status", row["status"]),
        ):
            result[name][key] = result[name].get(key, 0) + row["n"]
    result["by_year"] = dict(sorted(result["by_year"].items()))
    partners = (
        AgreementParty.objects.values("organization__slug", "organization__name")
        .annotate(n=Count("agreement", distinct=True))
        .order_by("-n", "organization__name")[:TOP_PARTNERS]
    )
    result["by_partner"] = [
        {
            "organization": p["organization__slug"],
            "name": p["organization__name"],
            "agreements": p["n"],
        }
        for p in partners
    ]
    return result


def _state_funding_q():
    """Funding paid by the state: a government funder, or none named but described as the state."""
    return Q(funder__kind__in=GOVERNMENT_KINDS) | Q(
        funder__isnull=True, funder_description__icontains="state"
    )


def funding_statistics():
    """Funding per currency, period and purpose; relative statements listed, not summed.

    Amounts are added only within one currency: tenge never meet dollars.

    ``{"by_currency": {currency: {period: {"value", "qualifier", "records"}}},
    "by_purpose": [{"currency", "period", "purpose", "value", "qualifier", "records"}, ...],
    "state_annual": {currency: {"value", "qualifier", "records"}},  # annual, paid by the state
    "statements": [{"slug", "purpose", "statement", "period", "year"}, ...]}``
    """
    rows = (
        Funding.objects.filter(amount__isnull=False)
        .values("currency", "period", "purpose", "amount_qualifier")
        .annotate(
            total=Sum("amount"),
            n=Count("id"),
            state=Count("id", filter=_state_funding_q() & Q(period=Funding.Period.ANNUAL)),
            state_total=Sum("amount", filter=_state_funding_q() & Q(period=Funding.Period.ANNUAL)),
        )
        .order_by("currency", "period", "purpose")
    )
    by_currency, by_purpose, state = _tree(), {}, {}
    for row in rows:
        cur, period, purpose = row["currency"], row["period"], row["purpose"]
        if period not in by_currency[cur]:
            by_currency[cur][period] = FigureSum()
        by_currency[cur][period].add(row["total"], row["amount_qualifier"], row["n"])
        by_purpose.setdefault((cur, period, purpose), FigureSum()).add(
            row["total"], row["amount_qualifier"], row["n"]
        )
        if row["state"]:
            state.setdefault(cur, FigureSum()).add(
                row["state_total"], row["amount_qualifier"], row["state"]
            )
    statements = Funding.objects.filter(amount__isnull=True).order_by("date", "slug")
    return {
        "by_currency": _figures(_plain(by_currency)),
        "by_purpose": [
            {"currency": cur, "period": period, "purpose": purpose, **figure.as_dict()}
            for (cur, period, purpose), figure in by_purpose.items()
        ],
        "state_annual": _figures(state),
        "statements": [
            {
                "slug": s["slug"],
                "purpose": s["purpose"],
                "statement": s["statement"],
                "period": s["period"],
                "year": s["date_year"],
            }
            for s in statements.values("slug", "purpose", "statement", "period", "date_year")
        ],
    }


def data_quality_statistics():
    """Records without any citation, per model, and the facts each source backs.

    Also returns the newest ``updated_at`` of everything read (for ``data_updated_at``).

    ``{"records": {model: int}, "uncited": {model: int},
    "by_source": [{"source": slug, "title", "citations": int, "records": int}, ...]}``
    (``records`` in ``by_source`` counts distinct records the source backs.)
    """
    records, uncited, newest = {}, {}, []
    for label, model in CITED_MODELS.items():
        cited = Citation.objects.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id=OuterRef("pk"),
        )
        rows = (
            model.objects.annotate(cited=Exists(cited))
            .values("cited")
            .annotate(n=Count("id"), newest=Max("updated_at"))
            .order_by()
        )
        records[label], uncited[label] = 0, 0
        for row in rows:
            records[label] += row["n"]
            if not row["cited"]:
                uncited[label] += row["n"]
            newest.append(row["newest"])
    sources = (
        Source.objects.annotate(
            n_citations=Count("citations"),
            n_records=Count(
                Concat(
                    "citations__content_type_id",
                    Value(":"),
                    "citations__object_id",
                    output_field=CharField(),
                ),
                distinct=True,
            ),
            newest_citation=Max("citations__updated_at"),
        )
        .values("slug", "title", "n_citations", "n_records", "updated_at", "newest_citation")
        .order_by("-n_citations", "slug")
    )
    by_source = []
    for s in sources:
        newest += [s["updated_at"], s["newest_citation"]]
        by_source.append(
            {
                "source": s["slug"],
                "title": s["title"],
                "citations": s["n_citations"],
                "records": s["n_records"],
            }
        )
    stamps = [stamp for stamp in newest if stamp is not None]
    payload = {"records": records, "uncited": uncited, "by_source": by_source}
    return payload, max(stamps) if stamps else None


def regions_statistics(region_slugs):
    """Per-region measures for the dashboard map: every region, zeros included.

    ``{region_slug: {"organizations": int, "centers": int, "equipment": number,
    "equipment_records": int, "linear_accelerators": number, "proton_systems": number,
    "offerings": int, "routine_offerings": int, "capacity_figures": int}}``
    (equipment numbers sum the stated counts of operating equipment; see the
    ``equipment`` key for qualifiers.)
    """
    measures = (
        "organizations",
        "centers",
        "equipment",
        "equipment_records",
        "linear_accelerators",
        "proton_systems",
        "offerings",
        "routine_offerings",
        "capacity_figures",
    )
    result = {slug: dict.fromkeys(measures, 0) for slug in region_slugs}
    orgs = (
        Organization.objects.filter(region__isnull=False)
        .values("region__slug")
        .annotate(
            organizations=Count("id"),
            centers=Count("id", filter=Q(kind__in=CENTER_KINDS)),
        )
    )
    operating = Q(status=EquipmentStatus.OPERATING)
    equipment = (
        Equipment.objects.filter(organization__region__isnull=False)
        .values("organization__region__slug")
        .annotate(
            equipment=Sum("count", filter=operating),
            equipment_records=Count("id"),
            linear_accelerators=Sum(
                "count", filter=operating & Q(category=Equipment.Category.LINEAR_ACCELERATOR)
            ),
            proton_systems=Sum(
                "count", filter=operating & Q(category=Equipment.Category.PROTON_THERAPY_SYSTEM)
            ),
        )
    )
    offerings = (
        TherapyOffering.objects.filter(organization__region__isnull=False)
        .values("organization__region__slug")
        .annotate(
            offerings=Count("id"),
            routine_offerings=Count("id", filter=Q(stage=Stage.ROUTINE_SERVICE)),
        )
    )
    figures = (
        CapacityFigure.objects.filter(organization__region__isnull=False)
        .values("organization__region__slug")
        .annotate(capacity_figures=Count("id"))
    )
    for queryset, key in (
        (orgs, "region__slug"),
        (equipment, "organization__region__slug"),
        (offerings, "organization__region__slug"),
        (figures, "organization__region__slug"),
    ):
        for row in queryset.order_by():
            slug = row.pop(key)
            if slug in result:
                result[slug].update({k: number(v or 0) for k, v in row.items()})
    return result


def headline_statistics(*, organizations_by_kind_status, equipment, capacity, agreements, funding):
    """The dashboard's headline numbers, drawn from the other aggregates plus one query.

    ``{"centers": {"total", "operating", "planned"},       # kinds in CENTER_KINDS
    "linear_accelerators": {"value", "qualifier", "records", "number_not_stated"},
    "proton_systems": {...same...},                          # operating equipment
    "annual_capacity": {metric_slug: {"name", "unit", "value", "qualifier", "records"}},
    "therapies_in_routine_use": int, "therapies_in_development": int,  # distinct therapies
    "partnerships": int,                                     # agreements
    "state_oncology_funding": {currency: {"value", "qualifier", "records"}}}``  # annual
    """
    centers = {"total": 0, "operating": 0, "planned": 0}
    for kind in CENTER_KINDS:
        for status, n in organizations_by_kind_status.get(kind, {}).items():
            centers["total"] += n
            if status == Organization.Status.OPERATING:
                centers["operating"] += n
            elif status in (Organization.Status.PLANNED, Organization.Status.UNDER_CONSTRUCTION):
                centers["planned"] += n
    empty = {"value": 0, "qualifier": "exact", "records": 0, "number_not_stated": 0}
    operating = equipment["operating_by_category"]
    annual = {}
    for slug, metric in capacity["by_metric"].items():
        figure = (
            metric["kinds"]
            .get(CapacityFigure.Kind.CAPACITY, {})
            .get(CapacityFigure.Period.PER_YEAR)
        )
        if figure:
            annual[slug] = {"name": metric["name"], "unit": metric["unit"], **figure}
    therapies = TherapyOffering.objects.aggregate(
        routine=Count("therapy", distinct=True, filter=Q(stage=Stage.ROUTINE_SERVICE)),
        development=Count("therapy", distinct=True, filter=Q(stage__in=Stage.in_development())),
    )
    return {
        "centers": centers,
        "linear_accelerators": operating.get(Equipment.Category.LINEAR_ACCELERATOR, empty),
        "proton_systems": operating.get(Equipment.Category.PROTON_THERAPY_SYSTEM, empty),
        "annual_capacity": annual,
        "therapies_in_routine_use": therapies["routine"],
        "therapies_in_development": therapies["development"],
        "partnerships": agreements["total"],
        "state_oncology_funding": funding["state_annual"],
    }


# --- The refresh ------------------------------------------------------------------------


def statistics_compute():
    """Every aggregate, as ``({key: payload}, data_updated_at)``; writes nothing."""
    region_slugs = list(Region.objects.order_by("slug").values_list("slug", flat=True))
    data_quality, data_updated_at = data_quality_statistics()
    organizations = organizations_statistics()
    equipment = equipment_statistics()
    capacity = capacity_statistics()
    agreements = agreements_statistics()
    funding = funding_statistics()
    payloads = {
        "organizations": organizations,
        "equipment": equipment,
        "capacity": capacity,
        "therapies": therapies_statistics(region_slugs),
        "agreements": agreements,
        "funding": funding,
        "regions": regions_statistics(region_slugs),
        "data_quality": data_quality,
    }
    payloads["headline"] = headline_statistics(
        organizations_by_kind_status=organizations["by_kind_status"],
        equipment=equipment,
        capacity=capacity,
        agreements=agreements,
        funding=funding,
    )
    return payloads, data_updated_at


def statistics_refresh():
    """Compute every aggregate and replace the whole snapshot in one transaction.

    Idempotent: the same data gives the same payloads. A failure while computing or
    writing leaves the previous snapshot as it was. Returns
    ``{"computed_at": datetime, "data_updated_at": datetime | None, "payloads": {...}}``.
    """
    with transaction.atomic():
        # One transaction for the reads too: on PostgreSQL each statement still sees
        # its own snapshot (READ COMMITTED), but nothing is written until all are done.
        payloads, data_updated_at = statistics_compute()
        computed_at = timezone.now()
        StatisticSnapshot.objects.all().delete()
        StatisticSnapshot.objects.bulk_create(
            StatisticSnapshot(
                key=key,
                payload=payloads[key],
                computed_at=computed_at,
                data_updated_at=data_updated_at,
            )
            for key in KEYS
        )
    return {"computed_at": computed_at, "data_updated_at": data_updated_at, "payloads": payloads}


def statistic_freshness(snapshot_computed_at, *, now=None, stale_after=None):
    """``{"age_seconds": int, "stale": bool}`` for a snapshot computed at that time.

    Stale when older than twice the beat interval (a missed scheduled refresh).
    """
    from django.conf import settings

    now = now or timezone.now()
    stale_after = stale_after or datetime.timedelta(minutes=2 * settings.STATS_REFRESH_MINUTES)
    age = max(now - snapshot_computed_at, datetime.timedelta(0))
    return {"age_seconds": int(age.total_seconds()), "stale": age > stale_after}
