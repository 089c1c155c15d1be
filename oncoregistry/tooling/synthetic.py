"""Synthetic registry data at scale, for the benchmark (``manage.py generate_synthetic``).

Everything is drawn from one ``random.Random(seed)``, in a fixed order, so the same
seed and scale give the same records (slugs, values and links), whichever database
takes them. Every slug starts with ``syn-`` so synthetic data sits beside the seed
fixtures without clashing.

Per organization (N): ~20 % are units of an earlier organization, 3 equipment lines,
10 capacity figures (over 2018-2025), 2 therapy offerings with 1-2 cancer types each,
one citation; per 10 organizations one agreement (2-3 parties, 3 focus areas, one
citation); per 5 organizations one funding line. The vocabulary (metrics, therapies,
cancer types, funding purposes) is shared and small, as in a real registry.

The rows are drawn once, as plain tuples per table (``_draw``), and handed to a writer:

* :class:`CopyWriter` on PostgreSQL streams them with ``COPY … FROM STDIN`` (psycopg 3),
  table by table, without building model instances: ~21 rows per organization, so
  100,000 organizations are ~2.1 million rows;
* :class:`OrmWriter` elsewhere (SQLite in the test suite) builds model instances and
  calls ``bulk_create`` in batches.

Either way the writer fills what a ``bulk_create`` would: ``created_at``/``updated_at``
(one timestamp for the run) and every column the drawing leaves out with its model
default (``name_ru`` "", ``country`` "KZ"…). There is no ``save()``: no history rows (the
synthetic data has no editing history to keep) and no signals (no statistics refresh per
row; the generation runs inside ``statistics_refresh_suspended()``, which queues one
refresh after the commit). The derived partial ``date`` is drawn with its parts, since
``PartialDateModel.save()`` does not run. Rows are streamed table by table: memory holds
arrays of ids, the units and the agreements' parties and focus areas (fractions of N) and
one chunk of rows, not the whole data set. Its times and memory are in
docs/performance.md.
"""

import datetime
import itertools
import random
from bisect import bisect
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from centers.models import CapacityFigure, Equipment, Organization, Region
from oncoregistry.core.choices import DatePrecision, Qualifier
from oncoregistry.sources.models import Citation
from partnerships.models import Agreement, AgreementParty, FocusArea, Funding
from therapies.models import Stage, TherapyOffering

from .synthetic_vocabulary import (
    CANCER_TYPES,
    ORG_KINDS,
    PREFIX,
    PURPOSES,
    SENTENCES,
    WORDS,
    vocabulary,
)
from .synthetic_writers import BATCH, COPY_CHUNK, CopyWriter, OrmWriter, Writer, writer_for

__all__ = ["BATCH", "COPY_CHUNK", "CopyWriter", "OrmWriter", "Writer", "generate", "writer_for"]

EQUIPMENT_PER_ORG = 3
FIGURES_PER_ORG = 10
OFFERINGS_PER_ORG = 2
ORGS_PER_AGREEMENT = 10
ORGS_PER_FUNDING = 5

QUALIFIER_WEIGHTS = [6, 2, 1, 1, 1]
# Plain strings: the COPY rows go to psycopg as they are, not through the model fields.
YEAR = DatePrecision.YEAR.value
MONTH = DatePrecision.MONTH.value
DATE_COLUMNS = ("date_year", "date_month", "date_precision", "date")


def _weighted(rng, population, weights):
    """A function drawing ``rng.choices(population, weights)[0]``, the same draw for draw.

    ``choices`` recomputes the cumulative weights at every call; over millions of rows
    that is most of its cost, so they are computed once here and the rest is
    ``choices``' own arithmetic (one ``rng.random()`` a draw, the same bisection).
    """
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1] + 0.0
    hi = len(population) - 1
    draw = rng.random
    return lambda: population[bisect(cumulative, draw() * total, 0, hi)]


def _date_fields(rng, first=2018, last=2025):
    """(date_year, date_month, date_precision, date): year or month precision, and the
    derived date as ``PartialDateModel._derive_date`` gives it (first day covered)."""
    year = rng.randint(first, last)
    if rng.random() < 0.5:
        return (year, None, YEAR, datetime.date(year, 1, 1))
    month = rng.randint(1, 12)
    return (year, month, MONTH, datetime.date(year, month, 1))


def generate(organizations, seed=1, log=None, writer=None):
    """Create ``organizations`` synthetic organizations and everything around them.

    Returns a dict of row counts per table. Needs the regions (fixtures/01_regions.json).
    ``writer``: ``"copy"``, ``"orm"``, None (COPY on PostgreSQL, the ORM elsewhere) or a
    :class:`Writer`; all give the same records for the same seed.
    """
    from oncoregistry.stats.triggers import statistics_refresh_suspended

    log = log or (lambda message: None)
    regions = list(Region.objects.order_by("slug"))
    if not regions:
        raise RuntimeError("No regions: load fixtures/01_regions.json first (load_registry).")
    if Organization.objects.filter(slug__startswith=f"{PREFIX}org-").exists():
        raise RuntimeError("Synthetic organizations already exist: use a fresh database.")
    out = writer if isinstance(writer, Writer) else writer_for(writer)
    rng = random.Random(seed)
    with statistics_refresh_suspended(), transaction.atomic():
        return _draw(organizations, rng, regions, vocabulary(), out, log)


def _draw(organizations, rng, regions, vocabulary, out, log):
    """Draw every table's rows in one fixed order and hand them to ``out``, table by table.

    The draws happen as the writer consumes the rows (generators), so the order of the
    ``rng`` calls is the order of the code below whatever the writer.
    """
    metrics, cancer_types, therapies, source = vocabulary
    choice, randint, uniform = rng.choice, rng.randint, rng.random
    counts = {}

    # Organizations: top-level first, then units (a unit's parent is a top-level one).
    n_units = organizations // 5
    n_top = organizations - n_units
    kind_of = _weighted(rng, [k for k, _ in ORG_KINDS], [w for _, w in ORG_KINDS])
    status_of = _weighted(rng, ["operating", "planned", "under_construction"], [8, 1, 1])
    org_region = []  # per organization; a unit's is its parent's
    org_place = []  # (latitude, longitude) per top-level organization
    manufacturer_indexes = []
    organization_names = [
        "slug", "name", "short_name", "aliases", "kind", "city", "region_id",
        "latitude", "longitude", "status", "description", "parent_id",
    ]  # fmt: skip

    def organization(i, unit):
        region = choice(regions)
        kind = "unit" if unit else kind_of()
        name = f"{choice(WORDS)} {choice(WORDS)} Center No. {i + 1}"
        org_region.append(region)
        if kind == "manufacturer":
            manufacturer_indexes.append(i)
        place = (
            Decimal(region.latitude) + Decimal(randint(-500, 500)) / 1000,
            Decimal(region.longitude) + Decimal(randint(-500, 500)) / 1000,
        )
        if not unit:
            org_place.append(place)
        return (
            f"{PREFIX}org-{i + 1:06d}",
            name,
            f"SYN{i + 1}",
            name.replace("Center", "Centre"),
            kind,
            region.administrative_center,
            region.pk,
            *place,
            status_of(),
            choice(SENTENCES),
            None,
        )

    org_ids = out.write(
        Organization,
        organization_names,
        (organization(i, False) for i in range(n_top)),
        returning_ids=True,
    )
    units = [organization(i, True) for i in range(n_top, organizations)]
    for k, row in enumerate(units):
        parent = rng.randrange(n_top)
        region = org_region[parent]
        org_region[n_top + k] = region
        # A unit stands at its parent's site: region, city, coordinates and parent come
        # from the parent (its own draws above are kept, so later records stay the same).
        units[k] = (
            *row[:5],
            region.administrative_center,
            region.pk,
            *org_place[parent],
            *row[9:11],
            org_ids[parent],
        )
    org_ids.extend(out.write(Organization, organization_names, units, returning_ids=True))
    del units
    counts["organizations"] = len(org_ids)
    log(f"organizations: {len(org_ids)}")
    manufacturer_ids = [org_ids[i] for i in manufacturer_indexes] or [org_ids[0]]

    def org_slug(i):
        return f"{PREFIX}org-{i + 1:06d}"

    categories = list(Equipment.Category.values)
    equipment_statuses = list(Equipment.Status.values)
    qualifier_of = _weighted(rng, list(Qualifier.values), QUALIFIER_WEIGHTS)

    def equipment():
        for i, org_id in enumerate(org_ids):
            slug = org_slug(i)
            for j in range(EQUIPMENT_PER_ORG):
                category = choice(categories)
                yield (
                    f"{slug}-eq-{j + 1}",
                    org_id,
                    category,
                    f"{category.replace('_', ' ')} {j + 1}",
                    choice(manufacturer_ids) if uniform() < 0.7 else None,
                    # The line number keeps an organisation's lines apart (one per
                    # category, maker and model: a database constraint).
                    f"Model {randint(100, 999)}-{j + 1}",
                    randint(1, 4) if uniform() < 0.9 else None,
                    qualifier_of(),
                    choice(equipment_statuses),
                )

    counts["equipment"] = out.write(
        Equipment,
        [
            "slug", "organization_id", "category", "name", "manufacturer_id",
            "model_name", "count", "count_qualifier", "status",
        ],
        equipment(),
    )  # fmt: skip
    log(f"equipment: {counts['equipment']}")

    period_of = _weighted(rng, ["per_year", "months", "cumulative"], [6, 1, 1])
    figure_kinds = ["capacity", "delivered", "target"]
    metric_ids = [metric.pk for metric in metrics]
    months = [6, 9, 18]

    def figures():
        for i, org_id in enumerate(org_ids):
            slug = org_slug(i)
            for j in range(FIGURES_PER_ORG):
                period = period_of()
                yield (
                    f"{slug}-fig-{j + 1:02d}",
                    org_id,
                    metric_ids[j % len(metric_ids)],
                    Decimal(randint(1, 20000)),
                    qualifier_of(),
                    choice(figure_kinds),
                    period,
                    choice(months) if period == "months" else None,
                    *_date_fields(rng),
                )

    counts["capacity_figures"] = out.write(
        CapacityFigure,
        [
            "slug", "organization_id", "metric_id", "value", "qualifier", "kind",
            "period", "period_months", *DATE_COLUMNS,
        ],
        figures(),
    )  # fmt: skip
    log(f"capacity figures: {counts['capacity_figures']}")

    roles = list(TherapyOffering.Role.values)
    stages = list(Stage.values)

    def offerings():
        for i, org_id in enumerate(org_ids):
            slug = org_slug(i)
            for j, therapy in enumerate(rng.sample(therapies, OFFERINGS_PER_ORG)):
                yield (
                    f"{slug}-off-{j + 1}",
                    therapy.pk,
                    org_id,
                    choice(roles),
                    choice(stages),
                    *_date_fields(rng, 2020, 2028),
                )

    offering_ids = out.write(
        TherapyOffering,
        ["slug", "therapy_id", "organization_id", "role", "stage", *DATE_COLUMNS],
        offerings(),
        returning_ids=True,
    )
    cancer_type_ids = [ct.pk for ct in cancer_types]
    counts["offerings"] = len(offering_ids)
    counts["offering_cancer_types"] = out.write(
        TherapyOffering.cancer_types.through,
        ["therapyoffering_id", "cancertype_id"],
        (
            (offering_id, ct)
            for offering_id in offering_ids
            for ct in rng.sample(cancer_type_ids, randint(1, 2))
        ),
    )
    log(f"offerings: {counts['offerings']}")
    del offering_ids

    agreement_kinds = list(Agreement.Kind.values)
    agreement_statuses = list(Agreement.Status.values)
    agreement_ids = out.write(
        Agreement,
        ["slug", "title", "kind", "status", "place", "summary", *DATE_COLUMNS],
        (
            (
                f"{PREFIX}agreement-{i + 1:06d}",
                f"Memorandum of cooperation No. {i + 1}",
                choice(agreement_kinds),
                choice(agreement_statuses),
                choice(regions).administrative_center,
                choice(SENTENCES),
                *_date_fields(rng),
            )
            for i in range(max(1, organizations // ORGS_PER_AGREEMENT))
        ),
        returning_ids=True,
    )
    # Parties and focus areas are drawn agreement by agreement, interleaved: N/10 * ~5.5
    # rows, held until both tables are written.
    parties, areas = [], []
    everyone = range(organizations)
    for agreement_id in agreement_ids:
        for k, i in enumerate(rng.sample(everyone, min(organizations, randint(2, 3)))):
            role = "signatory" if k < 2 else choice(["partner", "beneficiary"])
            parties.append((agreement_id, org_ids[i], role))
        for k in range(3):
            areas.append(
                (agreement_id, k + 1, f"Area {k + 1}: {choice(CANCER_TYPES)}", choice(SENTENCES))
            )
    counts["agreements"] = len(agreement_ids)
    counts["agreement_parties"] = out.write(
        AgreementParty, ["agreement_id", "organization_id", "role"], parties
    )
    counts["focus_areas"] = out.write(
        FocusArea, ["agreement_id", "order", "title", "description"], areas
    )
    del parties, areas
    log(f"agreements: {len(agreement_ids)}")

    currency_of = _weighted(rng, ["KZT", "USD", "EUR"], [6, 3, 1])
    funding_periods = list(Funding.Period.values)

    def funding():
        for i in range(max(1, organizations // ORGS_PER_FUNDING)):
            stated = uniform() < 0.1
            yield (
                f"{PREFIX}funding-{i + 1:06d}",
                choice(org_ids) if uniform() < 0.6 else None,
                "" if uniform() < 0.6 else "the state budget",
                choice(org_ids),
                None if stated else Decimal(randint(1, 5000)) * 1000,
                "" if stated else currency_of(),
                qualifier_of(),
                choice(funding_periods),
                choice(PURPOSES),
                "increased sixfold" if stated else "",
                choice(agreement_ids) if uniform() < 0.3 else None,
                *_date_fields(rng),
            )

    counts["funding"] = out.write(
        Funding,
        [
            "slug", "funder_id", "funder_description", "recipient_id", "amount", "currency",
            "amount_qualifier", "period", "purpose", "statement", "agreement_id", *DATE_COLUMNS,
        ],
        funding(),
    )  # fmt: skip
    log(f"funding: {counts['funding']}")

    org_type = ContentType.objects.get_for_model(Organization).pk
    agreement_type = ContentType.objects.get_for_model(Agreement).pk
    counts["citations"] = out.write(
        Citation,
        ["source_id", "quote", "content_type_id", "object_id"],
        itertools.chain(
            ((source.pk, choice(SENTENCES), org_type, org_id) for org_id in org_ids),
            ((source.pk, choice(SENTENCES), agreement_type, pk) for pk in agreement_ids),
        ),
    )
    log(f"citations: {counts['citations']}")
    return counts
