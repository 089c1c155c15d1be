"""The statistics refresh: every aggregate computed in the database, written as one snapshot.

``statistics_refresh()`` runs a fixed number of GROUP BY queries (the same number for
ten records or ten thousand), shapes the grouped rows into one JSON payload per key and
replaces every ``StatisticSnapshot`` row in one transaction, so a reader sees either the
previous snapshot or the new one, never a mix.

Several payloads are shaped from the same grouped rows rather than each querying again:
the map's per-region measures come from the organisations, equipment and offerings
GROUP BYs, and the headline's therapy counts from the offerings one. The querysets do
not change from one refresh to the next, so each is built once per process
(``_Compiled``).

Conventions shared by the payloads below:

* a *figure* is ``{"value": number, "qualifier": str, "records": int}``: the sum of the
  stated numbers, the qualifier of that sum (``stats.qualifiers.combine_qualifiers``:
  a sum including an "up to" figure is "up_to"; including "over"/"at least" →
  "at_least"; "about" → "about"; upper and lower bounds together → "about"), and how
  many records were added up;
* numbers are JSON numbers (integers when whole); money is never added across currencies;
* regions are keyed by slug; ``"none"`` holds records whose organisation has no region;
* a list that would grow with the registry holds a fixed number of entries, with the
  number it would hold beside it as ``<list>_total`` (``by_purpose`` and
  ``by_purpose_total``), so the snapshot stays the same size whatever the registry's.
"""

import datetime
import functools
import operator
from collections import defaultdict
from decimal import Decimal

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
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
from oncoregistry.core.choices import Qualifier
from oncoregistry.core.models import PublicationState
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
#: Organisations listed in ``capacity["by_organization"]`` (the dashboard chart's size).
CAPACITY_ORGANIZATIONS = 50
#: Partners listed in ``agreements["by_partner"]``.
TOP_PARTNERS = 50
#: Figures listed in ``funding["by_purpose"]``, statements in ``funding["statements"]``.
FUNDING_PURPOSES = 50
FUNDING_STATEMENTS = 50
#: Sources listed in ``data_quality["by_source"]``.
TOP_SOURCES = 50
# Read once: ``Qualifier.values`` walks the enum at each access, and is needed per row.
QUALIFIERS = tuple(Qualifier.values)


def number(value):
    """A Decimal/int as a JSON number: an int when whole."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class FigureSum:
    """Adds grouped rows (sum, qualifier, record count) into one figure."""

    __slots__ = ("value", "qualifiers", "records")

    def __init__(self):
        # An int until a Decimal is added: sums of counts never pay for Decimal arithmetic.
        self.value, self.qualifiers, self.records = 0, set(), 0

    def add(self, total, qualifier, records):
        self.value += total or 0
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


def _per_qualifier(qualifier_field, counted="id"):
    """One COUNT per qualifier (``n_exact``, ``n_about``…, in ``QUALIFIERS`` order).

    A group then carries its qualifiers in one row, instead of one row per qualifier:
    fewer rows to shape, and a LIMIT caps whole groups."""
    return {
        f"n_{qualifier}": Count(counted, filter=Q(**{qualifier_field: qualifier}))
        for qualifier in QUALIFIERS
    }


@functools.cache
def _combined(present):
    """``combine_qualifiers`` of the qualifiers flagged in ``present`` (in QUALIFIERS order),
    kept: 32 combinations at most, against one per row."""
    return combine_qualifiers(q for q, flag in zip(QUALIFIERS, present, strict=True) if flag)


def _figure(total, records, counts):
    """The figure of one row that carries its qualifiers as ``_per_qualifier`` counts."""
    return {
        "value": number(total or 0),
        "qualifier": _combined(tuple(map(bool, counts))),
        "records": records,
    }


class _Compiled:
    """A queryset built and compiled once per process; each call runs it for fresh rows.

    Decorates a function that builds a ``values_list`` queryset. The refresh's querysets
    depend on nothing that changes between refreshes, yet building and compiling them
    (resolving fields, joins and expressions; the data-quality UNION alone has eleven
    parts) cost the ORM ~20 ms of every refresh, a quarter of it at 1,000 organisations.
    So the SQL is compiled once per database alias (it depends on the backend, not on
    the thread's connection), and each call executes it on the current connection and
    passes the rows through the compiler's converters, as iterating the queryset does.
    Rows are never kept between calls.
    """

    def __init__(self, build):
        functools.update_wrapper(self, build)
        self.build = build
        self.built = None
        self.compiled = {}  # database alias -> (compiler, sql, params)

    @property
    def queryset(self):
        if self.built is None:
            queryset = self.build()
            query = queryset.query
            # Rows come back in the SELECT's order: a values_list naming its columns in
            # any other order would need the reordering its iterable does.
            named = [*queryset._fields]
            named += [name for name in query.annotation_select if name not in named]
            if named != [*query.extra_select, *query.values_select, *query.annotation_select]:
                raise ValueError(f"{self.__name__}: list the columns in the SELECT's order")
            self.built = queryset
        return self.built

    def __call__(self):
        """The rows, as a list of tuples."""
        queryset = self.queryset
        connection = connections[queryset.db]
        entry = self.compiled.get(connection.alias)
        if entry is None:
            compiler = queryset.query.get_compiler(connection=connection)
            entry = self.compiled[connection.alias] = (compiler, *compiler.as_sql())
        compiler, sql, params = entry
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:  # ordering columns the SELECT had to add
            rows = [row[: compiler.col_count] for row in rows]
        return list(compiler.results_iter(results=[rows], tuple_expected=True))


# --- Statements ----------------------------------------------------------------------------


@_Compiled
def region_slugs_rows():
    return Region.objects.published().order_by("slug").values_list("slug")


@_Compiled
def organizations_rows():
    """``(kind, status, region_slug | None, n)``: organisations by kind, status and region."""
    return (
        Organization.objects.published().values_list("kind", "status", "region__slug")
        .annotate(n=Count("id"))
        .order_by()
    )


@_Compiled
def equipment_rows():
    """``(category, region_slug | None, operating, total, records, *stated per qualifier)``.

    Grouped by whether the equipment is operating, not by status: no payload tells the
    other statuses apart. ``total`` sums the stated counts; ``records`` counts every
    record; the per-qualifier counts count the records that state a number
    (``COUNT(count)`` skips NULLs), so their sum is those records.
    """
    operating = Q(status=EquipmentStatus.OPERATING)
    return (
        Equipment.objects.published().annotate(
            operating=ExpressionWrapper(operating, output_field=BooleanField())
        )
        .values_list("category", "organization__region__slug", "operating")
        .annotate(
            total=Sum("count"),
            records=Count("id"),
            **_per_qualifier("count_qualifier", counted="count"),
        )
        .order_by()
    )


@_Compiled
def offerings_rows():
    """``(therapy_slug, modality, stage, region_slug | None, offerings, providers)``.

    One GROUP BY from which every offering figure is drawn: by stage and modality, where
    each therapy is offered, the providers per region, the map's counts and the
    headline's distinct therapies. ``providers`` counts the offerings in the role
    ``provider``.
    """
    return (
        TherapyOffering.objects.published().values_list(
            "therapy__slug", "therapy__modality", "stage", "organization__region__slug"
        )
        .annotate(
            n=Count("id"), providers=Count("id", filter=Q(role=TherapyOffering.Role.PROVIDER))
        )
        .order_by()
    )


@_Compiled
def capacity_by_metric_rows():
    return (
        CapacityFigure.objects.published().values_list(
            "metric__slug", "metric__name", "metric__unit", "kind", "period"
        )
        .annotate(total=Sum("value"), n=Count("id"), **_per_qualifier("qualifier"))
        .order_by("metric__slug", "kind", "period")
    )


@_Compiled
def capacity_by_organization_rows():
    # The first organisations by name that have figures, as a subquery of the same query.
    first = (
        Organization.objects.published().filter(
            Exists(CapacityFigure.objects.published().filter(organization=OuterRef("pk")))
        )
        .order_by("name", "id")
        .values("id")[:CAPACITY_ORGANIZATIONS]
    )
    return (
        CapacityFigure.objects.published().filter(organization_id__in=first)
        .values_list(
            "organization__slug",
            "organization__name",
            "metric__slug",
            "metric__name",
            "metric__unit",
            "kind",
            "period",
            "organization_id",
        )
        .annotate(total=Sum("value"), n=Count("id"), **_per_qualifier("qualifier"))
        .order_by("organization__name", "organization_id", "metric__slug", "kind", "period")
    )


@_Compiled
def therapies_by_modality_rows():
    return (
        Therapy.objects.published().values_list("modality").annotate(n=Count("id")).order_by("modality")
    )


@_Compiled
def agreements_rows():
    return (
        Agreement.objects.published().values_list("date_year", "kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


@_Compiled
def partners_rows():
    """The first ``TOP_PARTNERS`` partners, each row with the number of all of them."""
    return (
        AgreementParty.objects.published()
        .values_list("organization__slug", "organization__name")
        .annotate(n=Count("agreement", distinct=True), partners=Window(Count("*")))
        .order_by("-n", "organization__name")[:TOP_PARTNERS]
    )


def _state_funding_q():
    """Funding paid by the state: a government funder, or none named but described as the state."""
    return Q(funder__kind__in=GOVERNMENT_KINDS) | Q(
        funder__isnull=True, funder_description__icontains="state"
    )


@_Compiled
def funding_by_currency_rows():
    state = _state_funding_q() & Q(period=Funding.Period.ANNUAL)
    return (
        Funding.objects.published().filter(amount__isnull=False)
        .values_list("currency", "period", "amount_qualifier")
        .annotate(
            total=Sum("amount"),
            n=Count("id"),
            state=Count("id", filter=state),
            state_total=Sum("amount", filter=state),
        )
        .order_by("currency", "period")
    )


@_Compiled
def funding_by_purpose_rows():
    """The ``FUNDING_PURPOSES`` figures with the most records, with the number of all."""
    return (
        Funding.objects.published().filter(amount__isnull=False)
        .values_list("currency", "period", "purpose")
        .annotate(
            total=Sum("amount"),
            n=Count("id"),
            figures=Window(Count("*")),
            **_per_qualifier("amount_qualifier"),
        )
        .order_by("-n", "currency", "period", "purpose")[:FUNDING_PURPOSES]
    )


@_Compiled
def funding_statements_rows():
    """The ``FUNDING_STATEMENTS`` newest statements, with the number of all."""
    return (
        Funding.objects.published().filter(amount__isnull=True)
        .annotate(statements=Window(Count("*")))
        .order_by(F("date").desc(nulls_last=True), "slug")
        .values_list("slug", "purpose", "statement", "period", "date_year", "statements")[
            :FUNDING_STATEMENTS
        ]
    )


@_Compiled
def cited_rows():
    """``(label, cited, n, newest updated_at)`` for every model of ``CITED_MODELS``.

    Every model's GROUP BY in one statement (UNION ALL): one round trip, not eleven.
    """
    branches = []
    for label, model in CITED_MODELS.items():
        # An IN over the model's cited ids, which PostgreSQL hashes once, rather than a
        # correlated EXISTS probed per record (125 ms against 20 ms for 100,000 capacity
        # figures at 10,000 organisations).
        cited_ids = Citation.objects.published().filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        ).values("object_id")
        branches.append(
            model.objects.published().annotate(
                label=Value(label),
                cited=ExpressionWrapper(Q(pk__in=cited_ids), output_field=BooleanField()),
            )
            .values_list("label", "cited")
            .annotate(n=Count("id"), newest=Max("updated_at"))
            .order_by()
        )
    return branches[0].union(*branches[1:], all=True)


@_Compiled
def sources_rows():
    """The first ``TOP_SOURCES`` sources by citations, each row with the number of all
    sources and the newest ``updated_at`` of every source and every citation."""
    published_citations = Q(citations__publication_state=PublicationState.PUBLISHED)
    return (
        Source.objects.published().annotate(
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


@_Compiled
def capacity_figures_by_region_rows():
    return (
        CapacityFigure.objects.published().filter(organization__region__isnull=False)
        .values_list("organization__region__slug")
        .annotate(n=Count("id"))
        .order_by()
    )


# --- Aggregates ---------------------------------------------------------------------------


def organizations_statistics(rows=None):
    """Organisations by kind, status and region (``organizations_rows``).

    ``{"total": int, "by_kind": {kind: int}, "by_status": {status: int},
    "by_region": {region_slug | "none": int},
    "by_kind_status": {kind: {status: int}}}``
    """
    rows = organizations_rows() if rows is None else rows
    total = 0
    by_kind, by_status, by_region = defaultdict(int), defaultdict(int), defaultdict(int)
    by_kind_status = defaultdict(lambda: defaultdict(int))
    for kind, status, region, n in rows:
        total += n
        by_kind[kind] += n
        by_status[status] += n
        by_region[region or NO_REGION] += n
        by_kind_status[kind][status] += n
    return {
        "total": total,
        "by_kind": dict(by_kind),
        "by_status": dict(by_status),
        "by_region": dict(by_region),
        "by_kind_status": {kind: dict(statuses) for kind, statuses in by_kind_status.items()},
    }


def equipment_statistics(rows=None):
    """Equipment by category, status and region (``equipment_rows``).

    Counts are summed with their qualifiers carried; a record whose source states no
    number (``count`` empty) is never counted as 1 or 0: it is counted apart in
    ``number_not_stated``.

    ``{"by_category": {category: {"value", "qualifier", "records", "number_not_stated"}},
    "operating_by_category": {category: {...same...}},  # status "operating" only
    "by_region": {region_slug | "none": {category: {...same...}}}}``
    """
    rows = equipment_rows() if rows is None else rows
    # (payload name, *path) -> the column sums of its rows: (total, records, *per qualifier)
    cells = {}
    for category, region, operating, total, records, *counts in rows:
        row = (total or 0, records, *counts)
        keys = [("by_category", category), ("by_region", region or NO_REGION, category)]
        if operating:
            keys.append(("operating_by_category", category))
        for key in keys:
            cell = cells.get(key)
            cells[key] = row if cell is None else tuple(map(operator.add, cell, row))
    result = {"by_category": {}, "operating_by_category": {}, "by_region": {}}
    for (name, *path), (total, records, *counts) in cells.items():
        node = result[name]
        for part in path[:-1]:
            node = node.setdefault(part, {})
        stated = sum(counts)  # the per-qualifier counts count the records stating a number
        node[path[-1]] = {**_figure(total, stated, counts), "number_not_stated": records - stated}
    return result


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
    by_metric = {}
    for slug, name, unit, kind, period, total, n, *counts in capacity_by_metric_rows():
        metric = by_metric.setdefault(slug, {"name": name, "unit": unit, "kinds": {}})
        metric["kinds"].setdefault(kind, {})[period] = _figure(total, n, counts)
    by_organization = []
    for row in capacity_by_organization_rows():
        org_slug, org_name, slug, name, unit, kind, period, _id, total, n, *counts = row
        by_organization.append(
            {
                "organization": org_slug,
                "name": org_name,
                "metric": slug,
                "metric_name": name,
                "unit": unit,
                "kind": kind,
                "period": period,
                **_figure(total, n, counts),
            }
        )
    return {"by_metric": by_metric, "by_organization": by_organization}


def therapies_statistics(region_slugs, rows=None):
    """Therapies by modality; offerings by stage; where each therapy is offered.

    A *provider* of a modality in a region is an organisation there with an offering of
    that modality in the role ``provider`` at the stage ``routine_service``.

    ``{"therapies": int, "by_modality": {modality: int},            # therapies
    "offerings_by_stage": {stage: int},                              # offerings
    "by_modality_stage": {modality: {stage: int}},                   # offerings
    "offered_in": {therapy_slug: {region_slug | "none": int}},       # offerings, any role
    "regions_without_provider": {modality: [region_slug, ...]}}``    # every modality listed
    """
    rows = offerings_rows() if rows is None else rows
    by_modality = dict(therapies_by_modality_rows())
    by_stage = defaultdict(int)
    by_modality_stage = defaultdict(lambda: defaultdict(int))
    offered_in = defaultdict(lambda: defaultdict(int))
    provided = defaultdict(set)
    for therapy, modality, stage, region, n, providers in rows:
        by_stage[stage] += n
        by_modality_stage[modality][stage] += n
        offered_in[therapy][region or NO_REGION] += n
        if providers and stage == Stage.ROUTINE_SERVICE and region:
            provided[modality].add(region)
    return {
        "therapies": sum(by_modality.values()),
        "by_modality": by_modality,
        "offerings_by_stage": dict(by_stage),
        "by_modality_stage": {m: dict(stages) for m, stages in by_modality_stage.items()},
        "offered_in": {t: dict(regions) for t, regions in offered_in.items()},
        "regions_without_provider": {
            modality: [slug for slug in region_slugs if slug not in provided[modality]]
            for modality in Modality.values
        },
    }


def agreements_statistics():
    """Agreements per year, per kind and per partner organisation.

    ``{"total": int, "by_year": {"2024": int, ..., "year_not_stated": int},
    "by_kind": {kind: int}, "by_status": {status: int},
    "by_partner": [{"organization": slug, "name": str, "agreements": int}, ...],
    "by_partner_total": int}``
    (``by_partner`` counts distinct agreements a party to which the organisation is,
    most first; the first ``TOP_PARTNERS``, so the snapshot does not grow with the
    registry: make bench found 217 KB at 10,000 organisations. ``by_partner_total`` is
    the number of organisations party to any agreement.)
    """
    total = 0
    by_year, by_kind, by_status = defaultdict(int), defaultdict(int), defaultdict(int)
    for year, kind, status, n in agreements_rows():
        total += n
        by_year[str(year) if year else YEAR_NOT_STATED] += n
        by_kind[kind] += n
        by_status[status] += n
    partners = partners_rows()
    return {
        "total": total,
        "by_year": dict(sorted(by_year.items())),
        "by_kind": dict(by_kind),
        "by_status": dict(by_status),
        "by_partner": [
            {"organization": slug, "name": name, "agreements": n} for slug, name, n, _ in partners
        ],
        "by_partner_total": partners[0][3] if partners else 0,
    }


def funding_statistics():
    """Funding per currency, period and purpose; relative statements listed, not summed.

    Amounts are added only within one currency: tenge never meet dollars.

    ``{"by_currency": {currency: {period: {"value", "qualifier", "records"}}},
    "by_purpose": [{"currency", "period", "purpose", "value", "qualifier", "records"}, ...],
    "by_purpose_total": int,
    "state_annual": {currency: {"value", "qualifier", "records"}},  # annual, paid by the state
    "statements": [{"slug", "purpose", "statement", "period", "year"}, ...],
    "statements_total": int}``

    Purposes are free text and statements are records, so both lists grow with the
    registry (make bench found a 2.7 MB ``by_purpose`` at 100,000 organisations with
    20,000 purposes): ``by_purpose`` holds the ``FUNDING_PURPOSES`` (currency, period,
    purpose) figures with the most records, listed by currency, period and purpose, and
    ``by_purpose_total`` counts them all; ``statements`` holds the ``FUNDING_STATEMENTS``
    newest, newest first, and ``statements_total`` counts them all. ``by_currency`` and
    ``state_annual`` add up every amount.
    """
    by_currency, state_annual = defaultdict(dict), {}
    for currency, period, qualifier, total, n, state, state_total in funding_by_currency_rows():
        by_currency[currency].setdefault(period, FigureSum()).add(total, qualifier, n)
        if state:
            state_annual.setdefault(currency, FigureSum()).add(state_total, qualifier, state)
    purposes = sorted(funding_by_purpose_rows(), key=lambda row: row[:3])
    by_purpose = []
    for currency, period, purpose, total, n, _figures_total, *counts in purposes:
        by_purpose.append(
            {
                "currency": currency,
                "period": period,
                "purpose": purpose,
                **_figure(total, n, counts),
            }
        )
    statements = funding_statements_rows()
    return {
        "by_currency": {currency: _figures(periods) for currency, periods in by_currency.items()},
        "by_purpose": by_purpose,
        "by_purpose_total": purposes[0][5] if purposes else 0,
        "state_annual": _figures(state_annual),
        "statements": [
            {
                "slug": slug,
                "purpose": purpose,
                "statement": statement,
                "period": period,
                "year": year,
            }
            for slug, purpose, statement, period, year, _ in statements
        ],  # fmt: skip
        "statements_total": statements[0][5] if statements else 0,
    }


def data_quality_statistics():
    """Records without any citation, per model, and the facts each source backs.

    Also returns the newest ``updated_at`` of everything read (for ``data_updated_at``).

    ``{"records": {model: int}, "uncited": {model: int},
    "by_source": [{"source": slug, "title", "citations": int, "records": int}, ...],
    "by_source_total": int}``
    (``records`` in ``by_source`` counts distinct records the source backs; sources are
    listed most citations first, the first ``TOP_SOURCES``, since sources grow with the
    registry; ``by_source_total`` counts every source.)
    """
    records, uncited = dict.fromkeys(CITED_MODELS, 0), dict.fromkeys(CITED_MODELS, 0)
    newest = []
    for label, cited, n, stamp in cited_rows():
        records[label] += n
        if not cited:
            uncited[label] += n
        newest.append(stamp)
    sources = sources_rows()
    if sources:
        newest += sources[0][5:7]
    stamps = [stamp for stamp in newest if stamp is not None]
    payload = {
        "records": records,
        "uncited": uncited,
        "by_source": [
            {"source": slug, "title": title, "citations": citations, "records": backed}
            for slug, title, citations, backed, *_ in sources
        ],
        "by_source_total": sources[0][4] if sources else 0,
    }
    return payload, max(stamps) if stamps else None


def regions_statistics(region_slugs, *, organizations=None, equipment=None, offerings=None):
    """Per-region measures for the dashboard map: every region, zeros included.

    ``{region_slug: {"organizations": int, "centers": int, "equipment": number,
    "equipment_records": int, "linear_accelerators": number, "proton_systems": number,
    "offerings": int, "routine_offerings": int, "capacity_figures": int}}``
    (equipment numbers sum the stated counts of operating equipment; see the
    ``equipment`` key for qualifiers.)

    Drawn from the rows of ``organizations_rows``, ``equipment_rows`` and
    ``offerings_rows`` (read here when not given); only the capacity figures per region
    are counted by a query of their own.
    """
    organizations = organizations_rows() if organizations is None else organizations
    equipment = equipment_rows() if equipment is None else equipment
    offerings = offerings_rows() if offerings is None else offerings
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
    for kind, _status, region, n in organizations:
        if region in result:
            result[region]["organizations"] += n
            if kind in CENTER_KINDS:
                result[region]["centers"] += n
    for category, region, operating, total, records, *_ in equipment:
        if region in result:
            result[region]["equipment_records"] += records
            if operating and total:
                result[region]["equipment"] += total
                if category == Equipment.Category.LINEAR_ACCELERATOR:
                    result[region]["linear_accelerators"] += total
                elif category == Equipment.Category.PROTON_THERAPY_SYSTEM:
                    result[region]["proton_systems"] += total
    for _therapy, _modality, stage, region, n, _providers in offerings:
        if region in result:
            result[region]["offerings"] += n
            if stage == Stage.ROUTINE_SERVICE:
                result[region]["routine_offerings"] += n
    for region, n in capacity_figures_by_region_rows():
        if region in result:
            result[region]["capacity_figures"] = n
    return result


def headline_statistics(
    *, organizations_by_kind_status, equipment, capacity, agreements, funding, offerings=None
):
    """The dashboard's headline numbers, drawn from the other aggregates.

    ``{"centers": {"total", "operating", "planned"},       # kinds in CENTER_KINDS
    "linear_accelerators": {"value", "qualifier", "records", "number_not_stated"},
    "proton_systems": {...same...},                          # operating equipment
    "annual_capacity": {metric_slug: {"name", "unit", "value", "qualifier", "records"}},
    "therapies_in_routine_use": int, "therapies_in_development": int,  # distinct therapies
    "partnerships": int,                                     # agreements
    "state_oncology_funding": {currency: {"value", "qualifier", "records"}}}``  # annual

    The therapies are counted from the rows of ``offerings_rows`` (read here when not
    given).
    """
    offerings = offerings_rows() if offerings is None else offerings
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
    in_development = set(Stage.in_development())
    routine, development = set(), set()
    for therapy, _modality, stage, *_ in offerings:
        if stage == Stage.ROUTINE_SERVICE:
            routine.add(therapy)
        elif stage in in_development:
            development.add(therapy)
    return {
        "centers": centers,
        "linear_accelerators": operating.get(Equipment.Category.LINEAR_ACCELERATOR, empty),
        "proton_systems": operating.get(Equipment.Category.PROTON_THERAPY_SYSTEM, empty),
        "annual_capacity": annual,
        "therapies_in_routine_use": len(routine),
        "therapies_in_development": len(development),
        "partnerships": agreements["total"],
        "state_oncology_funding": funding["state_annual"],
    }


# --- The refresh ------------------------------------------------------------------------


def statistics_compute():
    """Every aggregate, as ``({key: payload}, data_updated_at)``; writes nothing."""
    region_slugs = [slug for (slug,) in region_slugs_rows()]
    data_quality, data_updated_at = data_quality_statistics()
    rows = {
        "organizations": organizations_rows(),
        "equipment": equipment_rows(),
        "offerings": offerings_rows(),
    }
    organizations = organizations_statistics(rows["organizations"])
    equipment = equipment_statistics(rows["equipment"])
    capacity = capacity_statistics()
    agreements = agreements_statistics()
    funding = funding_statistics()
    payloads = {
        "organizations": organizations,
        "equipment": equipment,
        "capacity": capacity,
        "therapies": therapies_statistics(region_slugs, rows["offerings"]),
        "agreements": agreements,
        "funding": funding,
        "regions": regions_statistics(region_slugs, **rows),
        "data_quality": data_quality,
    }
    payloads["headline"] = headline_statistics(
        organizations_by_kind_status=organizations["by_kind_status"],
        equipment=equipment,
        capacity=capacity,
        agreements=agreements,
        funding=funding,
        offerings=rows["offerings"],
    )
    return payloads, data_updated_at


def statistics_refresh():
    """Compute every aggregate and replace the whole snapshot in one transaction.

    Idempotent: the same data gives the same payloads. A failure while computing or
    writing leaves the previous snapshot as it was. Returns
    ``{"computed_at": datetime, "data_updated_at": datetime | None, "payloads": {...}}``.
    """
    payload_field = StatisticSnapshot._meta.get_field("payload")
    with transaction.atomic():
        # One transaction for the reads too: on PostgreSQL each statement still sees
        # its own snapshot (READ COMMITTED), but nothing is written until all are done.
        payloads, data_updated_at = statistics_compute()
        computed_at = timezone.now()
        StatisticSnapshot.objects.all().delete()
        # Each payload as an expression (a Value), so that Django inserts the rows as
        # VALUES: with plain values it sends them on PostgreSQL as UNNEST over a jsonb[]
        # array, whose literal psycopg escapes in Python character by character — 45 ms
        # of a 190 ms refresh at 1,000 organisations, for ~200 KB of payloads.
        StatisticSnapshot.objects.bulk_create(
            StatisticSnapshot(
                key=key,
                payload=Value(payloads[key], output_field=payload_field),
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
