"""The admin's import screens for an editor: the upload, the preview job's page (progress,
then the report), the confirm step and its import job, the rights, and a preview whose
queries do not grow row by row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers.models import CapacityFigure
from oncoregistry.imports.models import ImportJob
from tests.factories import EditorFactory, UserFactory

from .conftest import csv_file, figure, numbered_rows

IMPORT = reverse("admin:centers_capacityfigure_import")
CONFIRM = reverse("admin:centers_capacityfigure_process_import")


def job_url(job, status=False):
    name = "import_job_status" if status else "import_job"
    return reverse(f"admin:centers_capacityfigure_{name}", args=[job.pk])


def upload(data, name="figures.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_list_offers_import_and_the_template(seeded_once, editor_client):
    page = editor_client.get(reverse("admin:centers_capacityfigure_changelist"))
    assert IMPORT in page.content.decode()
    form = editor_client.get(IMPORT)
    assert form.status_code == 200
    assert reverse("admin:centers_capacityfigure_import_template") in form.content.decode()


def test_preview_then_confirm(seeded_once, editor_client, jobs_here):
    before = CapacityFigure.objects.count()
    data = csv_file([figure(), figure(organization="no-such-center")])
    preview = jobs_here(editor_client.post, IMPORT, {"import_file": upload(data)}, follow=True)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "1 new, 0 changed, 0 unchanged, 1 refused" in html
    assert "No organization has the slug “no-such-center” in the registry." in html
    assert 'name="confirm"' not in html  # a refused row: nothing to confirm
    assert CapacityFigure.objects.count() == before
    assert not ImportJob.objects.get().upload  # a preview that cannot be confirmed: file gone

    good = jobs_here(
        editor_client.post, IMPORT, {"import_file": upload(csv_file([figure()]))}, follow=True
    )
    assert 'name="confirm"' in good.content.decode()
    assert CapacityFigure.objects.count() == before  # the preview wrote nothing
    job = good.context["job"]
    done = jobs_here(editor_client.post, CONFIRM, {"job": job.pk}, follow=True)
    html = done.content.decode()
    assert "Imported figures.csv: 1 new, 0 changed, 0 unchanged." in html
    assert reverse("admin:centers_capacityfigure_changelist") in html
    assert CapacityFigure.objects.count() == before + 1
    new = CapacityFigure.objects.get(kind="capacity", metric__slug="diagnostic-surgical-procedures")
    assert new.publication_state == "draft"
    assert new.history.first().history_change_reason == "Import of figures.csv"
    imported = ImportJob.objects.get(kind="import")
    assert imported.preview == job and not imported.upload  # the stored file is deleted


def test_the_job_page_shows_progress_until_the_job_is_done(
    seeded_once, editor_client, jobs_here, monkeypatch
):
    from oncoregistry.imports import tasks

    data = csv_file(numbered_rows(3))
    started = []
    # The job is left queued: the page shows its progress bar and refreshes.
    monkeypatch.setattr(tasks, "start_job", started.append)
    response = jobs_here(editor_client.post, IMPORT, {"import_file": upload(data)})
    job = ImportJob.objects.get()
    assert started == [job.pk]
    assert response.status_code == 302 and response["Location"] == job_url(job)
    page = editor_client.get(job_url(job)).content.decode()
    assert "<progress" in page and "js/import_progress.js" in page
    assert '<noscript><meta http-equiv="refresh"' in page
    status = editor_client.get(job_url(job, status=True)).json()
    assert status == {
        "state": "queued",
        "finished": False,
        "done": 0,
        "total": None,
        "text": "Waiting to start…",
    }
    refused = editor_client.post(CONFIRM, {"job": job.pk})  # not previewed yet
    assert refused["Location"] == IMPORT and ImportJob.objects.count() == 1
    tasks.run_import_job(job.pk)
    status = editor_client.get(job_url(job, status=True)).json()
    assert status["finished"] and status["done"] == status["total"] == 3
    assert status["text"] == "3 of 3 rows"
    page = editor_client.get(job_url(job)).content.decode()
    assert "<progress" not in page and "3 new, 0 changed, 0 unchanged, 0 refused" in page


def test_another_user_cannot_see_the_job(seeded_once, editor_client, jobs_here):
    jobs_here(editor_client.post, IMPORT, {"import_file": upload(csv_file([figure()]))})
    job = ImportJob.objects.get()
    other = EditorFactory()
    editor_client.force_login(other)
    assert editor_client.get(job_url(job)).status_code == 404
    assert editor_client.get(job_url(job, status=True)).status_code == 404
    confirm = editor_client.post(CONFIRM, {"job": job.pk})
    assert confirm.status_code == 302 and confirm["Location"] == IMPORT
    assert not ImportJob.objects.filter(kind="import").exists()
    editor_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert editor_client.get(job_url(job)).status_code == 200


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "figures.pdf", "is not a CSV or XLSX file"),
        ("organization\nцентр\n".encode("cp1251"), "f.csv", "is not UTF-8"),
        (b"organization,metric\n", "f.csv", "no rows of data"),
        (b"organization,metric\nx,y\n", "f.csv", "Columns missing from the header row"),
    ],
)
def test_bad_files_get_plain_words_not_a_500(seeded_once, editor_client, data, name, message):
    response = editor_client.post(IMPORT, {"import_file": upload(data, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()  # refused on its header: no job


def test_an_unknown_job_is_refused(seeded_once, editor_client):
    response = editor_client.post(CONFIRM, {"job": "999999"})
    assert response.status_code == 302  # back to the import page, nothing read or written
    assert editor_client.post(CONFIRM, {"job": "../../etc/passwd"}).status_code == 302


def test_only_editors_import(seeded_once, client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"import_file": upload(csv_file([figure()]))}).status_code == 403


def preview_queries(client, jobs_here, count):
    data = csv_file(numbered_rows(count))
    with CaptureQueriesContext(connection) as queries:
        response = jobs_here(client.post, IMPORT, {"import_file": upload(data)}, follow=True)
    assert f"{count} new, 0 changed, 0 unchanged, 0 refused" in response.content.decode()
    return len(queries)


#: The preview writes nothing and asks nothing per row: each row is checked against the model's
#: rules (record_check: full_clean's steps) with what the file's lookups read at once, one query
#: per table for each chunk of the file. It used to write each row and roll back: 54 a new row.
PER_NEW_ROW = 0
#: The upload (the admin's session, user and permissions, stale files, the job's insert); the
#: job (claimed, read, its row count, its end); the file's organisations, metrics and sources,
#: the figures its rows may match (none: their citations need no query), the savepoints; then
#: the job's page (session, user, permissions, the job).
FIXED = 28


def test_preview_of_twenty_rows_costs_a_fixed_number_of_queries_per_row(
    seeded_once, editor_client, jobs_here
):
    preview_queries(editor_client, jobs_here, 1)  # a warm process: the content types are cached
    twenty = preview_queries(editor_client, jobs_here, 20)
    forty = preview_queries(editor_client, jobs_here, 40)
    assert (forty - twenty) / 20 == PER_NEW_ROW
    assert twenty - 20 * PER_NEW_ROW == FIXED


#: A confirmed import writes each new row through record_write, checked by record_check with what
#: the file's lookups read: the new slug, the figure's insert and history row, its citation's
#: insert and history row, and the savepoints of record_write and record_save (5 pairs). It was
#: 54 and more a row when each write's full_clean asked the database.
PER_CONFIRMED_ROW = 15


def test_confirmed_import_costs_a_fixed_number_of_queries_per_row(seeded_once, editor):
    from centers.resources import CapacityFigureResource
    from oncoregistry.imports.reports import read_table, run_import

    def confirm(first_year, count):
        data = csv_file(numbered_rows(count, first_year))
        with CaptureQueriesContext(connection) as queries:
            report = run_import(
                CapacityFigureResource,
                read_table(data, "figures.csv"),
                file_name="figures.csv",
                user=editor,
                dry_run=False,
            )
        assert report.counts["new"] == count, report.as_text()
        return len(queries)

    confirm(1900, 1)  # a warm process
    twenty = confirm(1910, 20)
    forty = confirm(1930, 40)
    assert (forty - twenty) / 20 == PER_CONFIRMED_ROW
    assert (
        CapacityFigure.objects.filter(date_year__lt=2000, publication_state="draft").count() == 61
    )


def test_a_long_report_lists_the_refused_rows_first_and_counts_the_rest(seeded_once, editor):
    """A 1,200-row file: the page lists 500 rows, every refused one among them, and says
    how many it does not list; the summary counts them all."""
    from oncoregistry.imports.reports import LISTED_ROWS, ImportReport, RowReport

    rows = [RowReport(number=n, status="unchanged") for n in range(2, 402)]
    rows += [RowReport(number=n, status="new", record=f"new {n}") for n in range(402, 1197)]
    rows += [
        RowReport(number=n, status="refused", problems=[("metric", f"reason {n}")])
        for n in range(1197, 1202)
    ]
    report = ImportReport("figures", "figures.csv", dry_run=True, rows=rows)
    listed = report.listed_rows()
    assert len(listed) == LISTED_ROWS == 500
    assert [row.number for row in listed] == sorted(row.number for row in listed)
    assert [row.number for row in listed if row.status == "refused"] == list(range(1197, 1202))
    assert all(row.status != "unchanged" for row in listed)

    job = ImportJob.objects.create(
        resource="centers.resources.CapacityFigureResource",
        file_name="figures.csv",
        user=editor,
        kind="preview",
        state="done",
        rows_done=1200,
        rows_total=1200,
        report=report.as_json(),
    )
    client = Client()
    client.force_login(editor)
    page = client.get(job_url(job)).content.decode()
    assert "795 new, 0 changed, 400 unchanged, 5 refused" in page
    assert "700 rows are not listed below" in page
    assert page.count('<tr class="new">') + page.count('<tr class="refused">') == 500
    assert "reason 1201" in page and "new 896" in page and "new 897" not in page
