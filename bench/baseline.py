"""The baseline: the organization list and detail with no Django and no DRF.

A bare WSGI app that runs the same SQL as ``/api/v1/organizations/`` answers anonymously (a
first page of the same columns, joined to the region and the parent, with its count as a
subquery column in the same statement; a later page after its count; published records only,
same filters written the same way, same ordering)
through psycopg and writes JSON with orjson. Served by gunicorn beside the real app, so the ratio
API / baseline is the cost of the framework on the same database and machine.

    gunicorn bench.baseline:app   (DATABASE_URL in the environment)
"""

import os
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

import orjson
import psycopg

# Timestamps are written in the site's zone, as the API writes them (settings.TIME_ZONE,
# whose default this repeats; the benchmark compares the two answers on every request).
ZONE = ZoneInfo(os.environ.get("TIME_ZONE") or "Asia/Almaty")
API_PATH = "/api/v1/organizations/"

_connection = None

COLUMNS = """
    o.id, o.slug, o.name, o.short_name, o.aliases, o.kind, o.status, o.country, o.city,
    o.latitude::text, o.longitude::text, o.website, o.updated_at,
    r.slug, r.name, r.name_ru, r.name_kk, p.slug, p.name, p.name_ru, p.name_kk
"""
#: The anonymous API reads published records only.
PUBLISHED = "o.publication_state = 'published'"
# As Django writes the list's statements: a slug filter compares the foreign key with the id
# of the record that has the slug (a scalar subquery), the region is joined INNER when a
# region filter is present, the count is COUNT(*).
PARENT = "LEFT JOIN centers_organization p ON p.id = o.parent_id"
REGION_ID = "o.region_id = (SELECT id FROM centers_region WHERE slug = %s LIMIT 1)"


def from_clause(region_filtered):
    join = "INNER" if region_filtered else "LEFT"
    return (
        f"FROM centers_organization o {join} JOIN centers_region r ON r.id = o.region_id {PARENT}"
    )


def connection():
    global _connection
    if _connection is None or _connection.closed:
        # Client-side binding, as Django's PostgreSQL backend sends its statements: values
        # in the SQL, so each statement is planned for its values (psycopg's default binds on
        # the server and, once a statement ran five times, prepares it with a generic plan:
        # at 100,000 organisations a plan that did not know the region sorted every match).
        _connection = psycopg.connect(
            os.environ["DATABASE_URL"], autocommit=True, cursor_factory=psycopg.ClientCursor
        )
    return _connection


def _ref(base, kind, slug, name):
    if slug is None:
        return None
    return {"slug": slug, "url": f"{base}/api/v1/{kind}/{slug}/", "name": name}


def _record(base, row):
    (_id, slug, name, short, aliases, kind, status, country, city, lat, lon, website, updated,
     region_slug, region_name, _region_ru, _region_kk,
     parent_slug, parent_name, _parent_ru, _parent_kk) = row  # fmt: skip
    return {
        "url": f"{base}/api/v1/organizations/{slug}/",
        "slug": slug,
        "name": name,
        "short_name": short,
        "aliases": [line.strip() for line in aliases.splitlines() if line.strip()],
        "kind": kind,
        "status": status,
        "parent": _ref(base, "organizations", parent_slug, parent_name),
        "country": country,
        "region": _ref(base, "regions", region_slug, region_name),
        "city": city,
        # Decimals are JSON numbers with their stored digits, as the API writes them.
        "latitude": None if lat is None else orjson.Fragment(lat),
        "longitude": None if lon is None else orjson.Fragment(lon),
        "website": website,
        "updated_at": updated.astimezone(ZONE),
    }


def _page_link(base, query, page):
    """The next or previous page as DRF links it: the query's parameters sorted, ``page``
    replaced (and dropped for the first page)."""
    if page is None:
        return None
    params = {key: values for key, values in query.items() if key != "page"}
    if page > 1:
        params["page"] = [str(page)]
    return f"{base}{API_PATH}?{urlencode(sorted(params.items()), doseq=True)}"


def organization_list(base, query):
    where, params = [PUBLISHED], []
    regions = query.get("region", [])
    if regions:
        where.append("(" + " OR ".join([REGION_ID] * len(regions)) + ")")
        params.extend(regions)
    kinds = query.get("kind", [])
    if kinds:
        # As django-filter writes a multiple choice: one comparison per value, ORed (with
        # one value "kind = %s", which an index ordered by (region, kind, name) serves in
        # name order; "kind = ANY(%s)" does not tell the planner there is one kind).
        where.append("(" + " OR ".join(["o.kind = %s"] * len(kinds)) + ")")
        params.extend(kinds)
    clause = "WHERE " + " AND ".join(where)
    descending = query.get("ordering", ["name"])[0].startswith("-")
    order = "o.name DESC" if descending else "o.name"
    page = int(query.get("page", ["1"])[0])
    size = min(int(query.get("page_size", ["50"])[0]), 500)
    count_sql = f"SELECT count(*) FROM centers_organization o {clause}"
    page_sql = f"{from_clause(bool(regions))} {clause} ORDER BY {order} LIMIT %s OFFSET %s"
    rows = []
    with connection().cursor() as cursor:
        if page == 1:
            # As the API reads a first page: its count in the same statement (a subquery).
            counted = f"(SELECT count(*) FROM (SELECT o.id FROM centers_organization o {clause}) c)"
            cursor.execute(f"SELECT {COLUMNS}, {counted} {page_sql}", [*params, *params, size, 0])
            rows = cursor.fetchall()
        if rows:
            count = rows[0][-1]
            rows = [row[:-1] for row in rows]
        else:  # an empty first page, or a later one: the count, then the page
            cursor.execute(count_sql, params)
            count = cursor.fetchone()[0]
            if page > 1:
                cursor.execute(f"SELECT {COLUMNS} {page_sql}", [*params, size, (page - 1) * size])
                rows = cursor.fetchall()
    pages = max(1, -(-count // size))
    return {
        "count": count,
        "next": _page_link(base, query, page + 1 if page < pages else None),
        "previous": _page_link(base, query, page - 1 if page > 1 else None),
        "results": [_record(base, row) for row in rows],
    }


def organization_detail(base, slug):
    with connection().cursor() as cursor:
        cursor.execute(
            f"SELECT {COLUMNS} {from_clause(False)} WHERE o.slug = %s AND {PUBLISHED}", [slug]
        )
        row = cursor.fetchone()
    return None if row is None else _record(base, row)


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    base = f"http://{environ.get('HTTP_HOST', 'localhost')}"
    query = parse_qs(environ.get("QUERY_STRING", ""))
    prefix = "/organizations/"
    body = None
    if path == prefix:
        body = organization_list(base, query)
    elif path.startswith(prefix) and path.endswith("/"):
        body = organization_detail(base, path[len(prefix) : -1])
    if body is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail": "Not found."}']
    data = orjson.dumps(body)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]
