"""The statistics aggregates written by hand as SQL (PostgreSQL), for the refresh ratio.

The same GROUP BYs as ``oncoregistry.stats.services.statistics_compute()`` reads, one
statement per aggregate, fetched whole (as the service does); nothing is written. The
benchmark times these against ``statistics_refresh()`` on the same database.
"""

import time

import psycopg

CITED = [
    ("centers", "organization", "centers_organization"),
    ("centers", "equipment", "centers_equipment"),
    ("centers", "capacityfigure", "centers_capacityfigure"),
    ("therapies", "therapyoffering", "therapies_therapyoffering"),
    ("partnerships", "agreement", "partnerships_agreement"),
    ("partnerships", "funding", "partnerships_funding"),
]

STATEMENTS = [
    "SELECT slug FROM centers_region ORDER BY slug",
    # organizations
    """SELECT o.kind, o.status, r.slug, count(*) FROM centers_organization o
       LEFT JOIN centers_region r ON r.id = o.region_id GROUP BY 1, 2, 3""",
    # equipment
    """SELECT e.category, e.status, r.slug, e.count_qualifier, sum(e.count),
              count(*) FILTER (WHERE e.count IS NOT NULL), count(*) FILTER (WHERE e.count IS NULL)
       FROM centers_equipment e JOIN centers_organization o ON o.id = e.organization_id
       LEFT JOIN centers_region r ON r.id = o.region_id GROUP BY 1, 2, 3, 4""",
    # capacity: per metric, then the first 50 organisations (by name) that have figures
    """SELECT m.slug, m.name, m.unit, f.kind, f.period, f.qualifier, sum(f.value), count(*)
       FROM centers_capacityfigure f JOIN centers_metric m ON m.id = f.metric_id
       GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 4, 5, 6""",
    """SELECT o.slug, o.name, m.slug, m.name, m.unit, f.kind, f.period, f.qualifier, o.id,
              sum(f.value), count(*)
       FROM centers_capacityfigure f JOIN centers_organization o ON o.id = f.organization_id
       JOIN centers_metric m ON m.id = f.metric_id
       WHERE f.organization_id IN (
           SELECT x.id FROM centers_organization x WHERE EXISTS (
               SELECT 1 FROM centers_capacityfigure y WHERE y.organization_id = x.id)
           ORDER BY x.name, x.id LIMIT 50)
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 2, 9, 3, 6, 7, 8""",
    # therapies
    "SELECT modality, count(*) FROM therapies_therapy GROUP BY 1 ORDER BY 1",
    """SELECT t.modality, x.stage, count(*) FROM therapies_therapyoffering x
       JOIN therapies_therapy t ON t.id = x.therapy_id GROUP BY 1, 2""",
    """SELECT t.slug, r.slug, count(*) FROM therapies_therapyoffering x
       JOIN therapies_therapy t ON t.id = x.therapy_id
       JOIN centers_organization o ON o.id = x.organization_id
       LEFT JOIN centers_region r ON r.id = o.region_id GROUP BY 1, 2""",
    """SELECT DISTINCT t.modality, r.slug FROM therapies_therapyoffering x
       JOIN therapies_therapy t ON t.id = x.therapy_id
       JOIN centers_organization o ON o.id = x.organization_id
       JOIN centers_region r ON r.id = o.region_id
       WHERE x.role = 'provider' AND x.stage = 'routine_service'""",
    # agreements
    """SELECT date_year, kind, status, count(*) FROM partnerships_agreement GROUP BY 1, 2, 3""",
    """SELECT o.slug, o.name, count(DISTINCT p.agreement_id) FROM partnerships_agreementparty p
       JOIN centers_organization o ON o.id = p.organization_id
       GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT 50""",
    # funding
    """SELECT currency, period, purpose, amount_qualifier, sum(amount), count(*)
       FROM partnerships_funding WHERE amount IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3""",
    """SELECT slug, purpose, statement, period, date_year FROM partnerships_funding
       WHERE amount IS NULL ORDER BY date, slug""",
    # data quality: cited or not, per model
    *[
        f"""SELECT EXISTS(SELECT 1 FROM sources_citation c JOIN django_content_type ct
                   ON ct.id = c.content_type_id
                   WHERE ct.app_label = '{app}' AND ct.model = '{model}' AND c.object_id = t.id)
                   AS cited, count(*), max(t.updated_at) FROM {table} t GROUP BY 1"""
        for app, model, table in CITED
    ],
    """SELECT s.slug, s.title, count(c.id),
              count(DISTINCT c.content_type_id::text || ':' || c.object_id::text),
              s.updated_at, max(c.updated_at)
       FROM sources_source s LEFT JOIN sources_citation c ON c.source_id = s.id
       GROUP BY s.id ORDER BY 3 DESC, 1""",
    # regions
    """SELECT r.slug, count(*), count(*) FILTER (WHERE o.kind IN
              ('oncology_center', 'research_center', 'radiopharmaceutical_center'))
       FROM centers_organization o JOIN centers_region r ON r.id = o.region_id GROUP BY 1""",
    """SELECT r.slug, sum(e.count) FILTER (WHERE e.status = 'operating'), count(*),
              sum(e.count) FILTER (WHERE e.status = 'operating'
                                   AND e.category = 'linear_accelerator'),
              sum(e.count) FILTER (WHERE e.status = 'operating'
                                   AND e.category = 'proton_therapy_system')
       FROM centers_equipment e JOIN centers_organization o ON o.id = e.organization_id
       JOIN centers_region r ON r.id = o.region_id GROUP BY 1""",
    """SELECT r.slug, count(*), count(*) FILTER (WHERE x.stage = 'routine_service')
       FROM therapies_therapyoffering x JOIN centers_organization o ON o.id = x.organization_id
       JOIN centers_region r ON r.id = o.region_id GROUP BY 1""",
    """SELECT r.slug, count(*) FROM centers_capacityfigure f
       JOIN centers_organization o ON o.id = f.organization_id
       JOIN centers_region r ON r.id = o.region_id GROUP BY 1""",
    # headline
    """SELECT count(DISTINCT therapy_id) FILTER (WHERE stage = 'routine_service'),
              count(DISTINCT therapy_id) FILTER (WHERE stage IN
                  ('research', 'preclinical', 'clinical_trial_planned', 'trial_phase_1',
                   'trial_phase_2', 'trial_phase_3'))
       FROM therapies_therapyoffering""",
]


def run(database_url):
    """Run every statement once, fetching all rows; return (seconds, rows fetched)."""
    rows = 0
    with psycopg.connect(database_url) as connection, connection.cursor() as cursor:
        started = time.perf_counter()
        for statement in STATEMENTS:
            cursor.execute(statement)
            rows += len(cursor.fetchall())
        elapsed = time.perf_counter() - started
    return elapsed, rows
