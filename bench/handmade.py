"""The statistics refresh written by hand (PostgreSQL, psycopg), for the refresh ratio.

The benchmark times ``oncoregistry.stats.services.statistics_refresh()`` against this on
the same database (bench/refresh_probe.py), so this does the same work, written as one
would by hand:

* compute: the statements ``statistics_compute()`` runs, with the same GROUP BYs,
  joins, filters, orders and limits: every model of
  ``data_quality.CITED_MODELS`` in the data-quality UNION ALL (tests/stats check the list
  against it), qualifiers as one count each, the capped lists with their totals (window
  counts); every row fetched whole;
* statuses: the commitments' statuses computed for an earlier day moved to today, the
  one UPDATE the refresh starts with (``commitment_statuses_refresh``);
* store: every statement's rows serialised to JSON (stdlib ``json``), one document per
  snapshot key, written into ``stats_statisticsnapshot`` as the refresh writes it:
  DELETE every row, then one multi-row INSERT, in the same transaction as the reads.

That transaction is rolled back, not committed, so that running the benchmark never
replaces a real snapshot with these raw rows (docs/performance.md: committing instead
is no faster).

It runs on one connection kept across runs, as the refresh keeps Django's, so that
both best times are on a warm server process (a new one first loads its catalog
caches).

What it leaves out is the service's own work: shaping rows into the documented
payloads (figures with combined qualifiers, nested dicts, regions with zeros, the
headline, which has no statement of its own and is an empty document here) and the
ORM's part. That is what the ratio measures.
"""

import contextlib
import datetime
import json
import time
from decimal import Decimal

import psycopg
from django.utils import timezone

from oncoregistry.stats.statistics import (
    agreements,
    capacity,
    data_quality,
    equipment,
    funding,
    keys,
    organizations,
    regions,
    therapies,
)

# (Django app label, model name, table) for every label of data_quality.CITED_MODELS.
CITED = [
    ("centers", "region", "centers_region"),
    ("centers", "organization", "centers_organization"),
    ("centers", "equipment", "centers_equipment"),
    ("centers", "metric", "centers_metric"),
    ("centers", "capacityfigure", "centers_capacityfigure"),
    ("centers", "designation", "centers_designation"),
    ("therapies", "therapy", "therapies_therapy"),
    ("therapies", "cancertype", "therapies_cancertype"),
    ("therapies", "therapyoffering", "therapies_therapyoffering"),
    ("partnerships", "agreement", "partnerships_agreement"),
    ("partnerships", "funding", "partnerships_funding"),
]
LIMIT = 50  # every statistic's cap: TOP_PARTNERS, CAPACITY_ORGANIZATIONS, FUNDING_*, TOP_SOURCES
STATE = """(f.period = 'annual' AND (o.kind IN ('government_body', 'local_government')
            OR (f.funder_id IS NULL AND f.funder_description ILIKE '%state%')))"""
QUALIFIERS = ("exact", "about", "up_to", "over", "at_least")


def per_qualifier(column, counted="*"):
    """One count per qualifier, as statistics.base.per_qualifier."""
    return ", ".join(f"count({counted}) FILTER (WHERE {column} = '{q}')" for q in QUALIFIERS)


# (snapshot key, statement name, SQL), in the order statistics_compute() runs them.
STATEMENTS = [
    (regions.KEY, "regions", "SELECT slug FROM centers_region ORDER BY slug"),
    (
        data_quality.KEY,
        "cited",
        " UNION ALL ".join(
            f"""(SELECT '{model}', t.id IN (
                    SELECT c.object_id FROM sources_citation c
                    JOIN django_content_type ct ON ct.id = c.content_type_id
                    WHERE ct.app_label = '{app}' AND ct.model = '{model}'),
                 count(*), max(t.updated_at) FROM {table} t GROUP BY 2)"""
            for app, model, table in CITED
        ),
    ),
    (
        data_quality.KEY,
        "by_source",
        f"""SELECT s.slug, s.title, count(c.id),
                   count(DISTINCT c.content_type_id::text || ':' || c.object_id::text),
                   count(*) OVER (), max(s.updated_at) OVER (),
                   (SELECT max(updated_at) FROM sources_citation)
            FROM sources_source s LEFT JOIN sources_citation c ON c.source_id = s.id
            GROUP BY s.id ORDER BY 3 DESC, 1 LIMIT {LIMIT}""",
    ),
    (
        organizations.KEY,
        "organizations",
        """SELECT o.kind, o.status, r.slug, count(*) FROM centers_organization o
           LEFT JOIN centers_region r ON r.id = o.region_id GROUP BY 1, 2, 3""",
    ),
    (
        equipment.KEY,
        "equipment",
        f"""SELECT e.category, r.slug, e.status = 'operating', sum(e.count), count(*),
                   {per_qualifier("e.count_qualifier", "e.count")}
            FROM centers_equipment e JOIN centers_organization o ON o.id = e.organization_id
            LEFT JOIN centers_region r ON r.id = o.region_id GROUP BY 1, 2, 3""",
    ),
    (
        therapies.KEY,
        "offerings",
        """SELECT t.slug, t.modality, x.stage, r.slug, count(*),
                  count(*) FILTER (WHERE x.role = 'provider')
           FROM therapies_therapyoffering x JOIN therapies_therapy t ON t.id = x.therapy_id
           JOIN centers_organization o ON o.id = x.organization_id
           LEFT JOIN centers_region r ON r.id = o.region_id GROUP BY 1, 2, 3, 4""",
    ),
    (
        capacity.KEY,
        "by_metric",
        f"""SELECT m.slug, m.name, m.unit, f.kind, f.period, sum(f.value), count(*),
                   {per_qualifier("f.qualifier")}
            FROM centers_capacityfigure f JOIN centers_metric m ON m.id = f.metric_id
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 4, 5""",
    ),
    (
        capacity.KEY,
        "by_organization",
        f"""SELECT o.slug, o.name, m.slug, m.name, m.unit, f.kind, f.period, o.id,
                   sum(f.value), count(*), {per_qualifier("f.qualifier")}
            FROM centers_capacityfigure f JOIN centers_organization o ON o.id = f.organization_id
            JOIN centers_metric m ON m.id = f.metric_id
            WHERE f.organization_id IN (
                SELECT x.id FROM centers_organization x WHERE EXISTS (
                    SELECT 1 FROM centers_capacityfigure y WHERE y.organization_id = x.id)
                ORDER BY x.name, x.id LIMIT {LIMIT})
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 2, 8, 3, 6, 7""",
    ),
    (
        agreements.KEY,
        "agreements",
        "SELECT date_year, kind, status, count(*) FROM partnerships_agreement GROUP BY 1, 2, 3",
    ),
    (
        agreements.KEY,
        "by_partner",
        f"""SELECT o.slug, o.name, count(DISTINCT p.agreement_id), count(*) OVER ()
            FROM partnerships_agreementparty p
            JOIN centers_organization o ON o.id = p.organization_id
            GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT {LIMIT}""",
    ),
    (
        funding.KEY,
        "by_currency",
        f"""SELECT f.currency, f.period, f.amount_qualifier, sum(f.amount), count(*),
                   count(*) FILTER (WHERE {STATE}), sum(f.amount) FILTER (WHERE {STATE})
            FROM partnerships_funding f LEFT JOIN centers_organization o ON o.id = f.funder_id
            WHERE f.amount IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2""",
    ),
    (
        funding.KEY,
        "by_purpose",
        f"""SELECT currency, period, purpose, sum(amount), count(*), count(*) OVER (),
                   {per_qualifier("amount_qualifier")}
            FROM partnerships_funding WHERE amount IS NOT NULL
            GROUP BY 1, 2, 3 ORDER BY 5 DESC, 1, 2, 3 LIMIT {LIMIT}""",
    ),
    (
        funding.KEY,
        "statements",
        f"""SELECT slug, purpose, statement, period, date_year, count(*) OVER ()
            FROM partnerships_funding WHERE amount IS NULL
            ORDER BY date DESC NULLS LAST, slug LIMIT {LIMIT}""",
    ),
    (
        therapies.KEY,
        "by_modality",
        "SELECT modality, count(*) FROM therapies_therapy GROUP BY 1 ORDER BY 1",
    ),
    (
        regions.KEY,
        "capacity_figures",
        """SELECT r.slug, count(*) FROM centers_capacityfigure f
           JOIN centers_organization o ON o.id = f.organization_id
           JOIN centers_region r ON r.id = o.region_id GROUP BY 1""",
    ),
]
# The commitments' status for today (models.commitment_status), where computed for an
# earlier day; ``updated_at`` moves only where the status does.
NEW_STATUS = """CASE WHEN delivered_on IS NOT NULL THEN 'delivered'
    WHEN due_by IS NULL THEN 'no_date' WHEN due_by < %(today)s THEN 'overdue'
    WHEN due_by <= %(year_end)s THEN 'due_this_year' ELSE 'on_track' END"""
STATUSES = f"""UPDATE commitments_commitment SET status = {NEW_STATUS}, status_on = %(today)s,
    updated_at = CASE WHEN status = {NEW_STATUS} THEN updated_at ELSE %(now)s END
    WHERE status_on < %(today)s"""
KEYS = keys()
INSERT = (
    "INSERT INTO stats_statisticsnapshot (key, payload, computed_at, data_updated_at) VALUES "
    + ", ".join(["(%s, %s::jsonb, %s, %s)"] * len(KEYS))
)


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


@contextlib.contextmanager
def connected(database_url):
    """Yields ``run_once()``: compute and store once, rolled back, on one kept connection.

    One connection, as the refresh keeps Django's: the first run pays for a new server
    process's empty catalog caches, the next ones do not, as the refresh's second run
    does not. ``run_once()`` returns
    ``(seconds, rows fetched)``.
    """
    with psycopg.connect(database_url) as connection, connection.cursor() as cursor:

        def run_once():
            started = time.perf_counter()
            fetched = _compute_and_store(connection, cursor)
            return time.perf_counter() - started, fetched

        yield run_once


def run(database_url, times=1):
    """``[(seconds, rows fetched)]`` of ``times`` runs on one connection."""
    with connected(database_url) as run_once:
        return [run_once() for _ in range(times)]


def _compute_and_store(connection, cursor):
    fetched = 0
    now = datetime.datetime.now(datetime.UTC)
    today = timezone.localdate(now)
    year_end = datetime.date(today.year, 12, 31)
    cursor.execute(STATUSES, {"today": today, "year_end": year_end, "now": now})
    documents = {key: {} for key in KEYS}
    for key, name, statement in STATEMENTS:
        cursor.execute(statement)
        documents[key][name] = rows = cursor.fetchall()
        fetched += len(rows)
    stamps = [row[3] for row in documents[data_quality.KEY]["cited"]]
    stamps += [stamp for row in documents[data_quality.KEY]["by_source"][:1] for stamp in row[5:]]
    data_updated_at = max((s for s in stamps if s is not None), default=None)
    computed_at = datetime.datetime.now(datetime.UTC)
    params = []
    for key in KEYS:
        payload = json.dumps(documents[key], default=_json_default)
        params += [key, payload, computed_at, data_updated_at]
    cursor.execute("DELETE FROM stats_statisticsnapshot")
    cursor.execute(INSERT, params)
    connection.rollback()
    return fetched
