"""What the benchmark asks of a running app besides wrk's timings: sampled paths, Datasette's
copy, the editor and reviewer of the differential check, a timed export."""

import sqlite3
import subprocess

import httpx
import psycopg

from .databases import manage
from .servers import PeakRss


def sample(url, requests):
    with psycopg.connect(url) as connection:
        regions = list(connection.execute("SELECT id, slug FROM centers_region ORDER BY slug"))
        slugs = [
            s
            for (s,) in connection.execute(
                "SELECT slug FROM centers_organization WHERE slug LIKE 'syn-org-%%' "
                "AND publication_state = 'published' ORDER BY md5(slug) LIMIT %s",
                [requests],
            )
        ]
    return regions, slugs


def list_query(region, kind):
    return f"region={region}&kind={kind}&ordering=name&page_size=50"


def datasette_copy(url, path):
    """The organisations and regions in SQLite, with the index the list uses in PostgreSQL."""
    path.unlink(missing_ok=True)
    target = sqlite3.connect(path)
    with psycopg.connect(url) as source:
        for table in ("centers_region", "centers_organization"):
            cursor = source.execute(f"SELECT * FROM {table}")
            names = [column.name for column in cursor.description]
            columns = ", ".join(
                f'"{n}"' + (" INTEGER PRIMARY KEY" if n == "id" else "") for n in names
            )
            target.execute(f"CREATE TABLE {table} ({columns})")
            marks = ", ".join("?" * len(names))
            while rows := cursor.fetchmany(5000):
                target.executemany(
                    f"INSERT INTO {table} VALUES ({marks})",
                    [[v if v is None or isinstance(v, (int, float, str)) else str(v) for v in row]
                     for row in rows],
                )  # fmt: skip
    target.execute(
        "CREATE INDEX organization_region_kind_name ON centers_organization (region_id, kind, name)"
    )
    target.commit()
    target.close()


def editor_token(url, workdir):
    script = (
        "from django.contrib.auth.models import Group, User; "
        "from rest_framework.authtoken.models import Token; "
        "u, _ = User.objects.get_or_create(username='bench-editor'); "
        "u.groups.add(Group.objects.get(name='Editors')); "
        "print(Token.objects.get_or_create(user=u)[0].key)"
    )
    return manage(url, workdir, "shell", "-c", script, capture=True).stdout.strip().splitlines()[-1]


REVIEWER_PASSWORD = "bench reviewer's password, local only"


def reviewer_account(url, workdir):
    """A reviewer (another person than the editor) who approves the editor's changes."""
    script = (
        "from django.contrib.auth.models import Group, User; "
        "u, _ = User.objects.get_or_create(username='bench-reviewer', is_staff=True); "
        f"u.set_password({REVIEWER_PASSWORD!r}); u.save(); "
        "u.groups.add(*Group.objects.filter(name__in=['Editors', 'Reviewers']))"
    )
    manage(url, workdir, "shell", "-c", script)


def reviewer_session(api):
    """The reviewer signed in to the admin, as a browser would be (session and CSRF cookies)."""
    client = httpx.Client(timeout=60, base_url=api.base)
    client.get("/admin/login/")
    answer = client.post(
        "/admin/login/",
        data={
            "username": "bench-reviewer",
            "password": REVIEWER_PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
            "next": "/admin/",
        },
    )
    if answer.status_code != 302:
        raise RuntimeError(f"the reviewer could not sign in: {answer.status_code}")
    return client


def differential(api, token, slugs, pairs):
    """Edits through the API, each approved by a reviewer and read back anonymously at once:
    the number of stale answers. A published record's change is a proposal (202) until a
    reviewer approves it; the approval is the write the public must see at once."""
    stale = 0
    editor = httpx.Client(timeout=60, headers={"Authorization": f"Token {token}"})
    reviewer = reviewer_session(api)
    anonymous = httpx.Client(timeout=60)
    for i in range(pairs):
        slug = slugs[i % len(slugs)]
        detail = f"{api.base}/api/v1/organizations/{slug}/"
        listing = f"{api.base}/api/v1/organizations/?q={slug}"
        anonymous.get(detail), anonymous.get(listing)  # cached before the edit
        name = f"Bench edit {i} of {slug}"
        response = editor.patch(detail, json={"name": name, "reason": "benchmark edit"})
        if response.status_code != 202:
            raise RuntimeError(f"PATCH {detail} answered {response.status_code}: {response.text}")
        approved = reviewer.post(
            f"/admin/review/changerequest/{response.json()['id']}/change/",
            data={"_approve": "1", "csrfmiddlewaretoken": reviewer.cookies["csrftoken"]},
        )
        if approved.status_code != 302:
            raise RuntimeError(f"approval answered {approved.status_code}")
        read = anonymous.get(detail).json()
        found = [r["name"] for r in anonymous.get(listing).json()["results"] if r["slug"] == slug]
        stale += (read["name"] != name) + (found != [name])
    return stale


def csv_export(api, query, fmt="csv"):
    """One uncached export timed by curl: rows (CSV only: an XLSX has the CSV's), seconds
    and the workers' peak RSS."""
    monitor = PeakRss(api.workers())
    out = subprocess.run(
        ["curl", "-sS", "-o", "-", "-w", "\n%{http_code} %{time_total}",
         f"{api.base}/api/v1/capacity-figures/?{query}&format={fmt}"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    peak = monitor.stop()
    body, _, trailer = out.rpartition(b"\n")
    status, seconds = trailer.decode().split()
    if status != "200":
        raise RuntimeError(f"the {fmt.upper()} export answered {status}")
    rows = body.count(b"\n") - 1 if fmt == "csv" else None
    return {"rows": rows, "seconds": float(seconds), "peak_rss_mb": peak}
