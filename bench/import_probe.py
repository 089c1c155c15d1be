"""Times a spreadsheet import of capacity figures at this scale: the preview (dry run) and the
confirmed import of the same file; prints JSON.

Run by bench/run.py as ``python -m bench.import_probe [--rows N]`` with DATABASE_URL set, after
the other measurements of a scale (the confirmed import adds its rows as drafts). The file is
a CSV of N new figures (default 10,000) over the synthetic organisations and metrics, each a
day-precise date the generator never draws (it draws years and months), quoting the synthetic
source: every row is new. Each time covers what the admin's import job does (``oncoregistry.
imports.services``): storing the file, counting its rows, running it through the resource a
chunk at a time with its progress in the cache, and keeping the report; the statements are
counted with a query wrapper.
"""

import argparse
import csv
import datetime
import io
import json
import os
import time

ROWS = 10_000
#: The synthetic records' slugs start so (generate_synthetic).
PREFIX = "syn-"


def figures_file(rows):
    """CSV bytes of ``rows`` new capacity figures (the template's columns)."""
    from centers.models import Metric, Organization
    from centers.resources import CapacityFigureResource
    from oncoregistry.sources.models import Source

    organizations = list(
        Organization.objects.filter(slug__startswith=f"{PREFIX}org-")
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    metrics = list(
        Metric.objects.filter(slug__startswith=f"{PREFIX}metric-")
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    source = Source.objects.get(slug=f"{PREFIX}source")
    # Its sentences, each a passage of its text (what a row quotes).
    quotes = [part.strip() for part in source.text.split(". ") if part.strip()]
    if not organizations or not metrics:
        raise RuntimeError("No synthetic organisations: run generate_synthetic first.")
    columns = CapacityFigureResource.columns()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    first = datetime.date(2018, 1, 1)
    for i in range(rows):
        # (organisation, metric, day) differs for every row: no two rows share a key.
        rest, organization = divmod(i, len(organizations))
        day, metric = divmod(rest, len(metrics))
        date = first + datetime.timedelta(days=day)
        row = {
            "organization": organizations[organization],
            "metric": metrics[metric],
            "value": str(100 + i % 9000),
            "qualifier": "exact",
            "kind": "capacity",
            "period": "per_year",
            "date_year": date.year,
            "date_month": date.month,
            "date_day": date.day,
            "date_precision": "day",
            "source": source.slug,
            "quote": quotes[i % len(quotes)],
        }
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue().encode()


class Counter:
    """Counts the statements sent to the database (``connection.execute_wrapper``)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(data, *, dry_run):
    """The job runner on ``data``: a preview job, or the import job of an unrun preview."""
    from django.core.files.base import ContentFile
    from django.db import connection

    from centers.resources import CapacityFigureResource
    from oncoregistry.imports import services
    from oncoregistry.imports.reports import ImportReport

    counter = Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        upload = ContentFile(data, name="figures.csv")
        job = services.create_preview_job(CapacityFigureResource, upload, user=None)
        if not dry_run:
            job = services.create_import_job(job)
        job = services.run_job(job.pk)
        seconds = time.perf_counter() - started
    services.remove_upload(job)
    report = ImportReport.from_json(job.report) if job.report else None
    if report is None or not report.ok or report.counts["new"] != job.rows_total:
        text = report.as_text()[:2000] if report else job.error
        raise RuntimeError(f"the import did not take every row as new:\n{text}")
    return {
        "seconds": seconds,
        "rows_per_s": job.rows_total / seconds,
        "statements": counter.count,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoregistry.settings")
    os.environ.setdefault("ONCOREGISTRY_ENV", "local")
    import django

    django.setup()
    data = figures_file(args.rows)
    preview = timed(data, dry_run=True)
    confirm = timed(data, dry_run=False)
    print(json.dumps({"rows": args.rows, "preview": preview, "confirm": confirm}))


if __name__ == "__main__":
    main()
