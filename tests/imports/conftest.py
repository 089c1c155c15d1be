import csv
import io

import pytest

from centers.resources import CapacityFigureResource

QUOTE = "The center performs about 12,000 diagnostic and surgical procedures annually"
SOURCE = "primeminister-kz-bektenov-nsoc-nu-visit"
NSOC = "national-research-oncology-center"


def csv_file(rows, columns=None):
    """CSV bytes of ``rows`` (dicts) with the capacity-figure columns as the header."""
    columns = columns or CapacityFigureResource.columns()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue().encode()


def figure(**cells):
    """A capacity-figure row: NSOC's procedures as a capacity, quoted from its article."""
    row = {
        "organization": NSOC,
        "metric": "diagnostic-surgical-procedures",
        "value": "12000",
        "qualifier": "about",
        "kind": "capacity",
        "period": "per_year",
        "source": SOURCE,
        "quote": QUOTE,
    }
    row.update(cells)
    return row


@pytest.fixture
def editor(db):
    from tests.factories import EditorFactory

    return EditorFactory()


@pytest.fixture
def jobs_here(monkeypatch, django_capture_on_commit_callbacks):
    """Import jobs started by a request run in the test's thread as the request's transaction
    commits: the test's own transaction holds the database, which a thread could not read.
    ``jobs_here(client.post, …)`` makes the request and runs the jobs it started; with
    ``follow=True`` it then opens the page the request redirected to."""
    from oncoregistry.imports import tasks

    monkeypatch.setattr(tasks, "start_job", tasks.run_import_job)

    def run(call, *args, follow=False, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = call(*args, **kwargs)
        if follow and response.status_code == 302:
            return call.__self__.get(response["Location"])
        return response

    return run


def numbered_rows(count, first_year=2000):
    """``count`` new capacity figures, each of another year (no two share a natural key)."""
    return [figure(date_year=str(first_year + n), date_precision="year") for n in range(count)]
