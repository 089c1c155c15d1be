"""Import jobs: a file read lazily in chunks, previewed and imported chunk by chunk with its
progress in the cache, rolled back whole when a later chunk refuses a row, and run in a thread
of the server's process under the embedded default."""

import io

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from centers.models import CapacityFigure
from centers.resources import CapacityFigureResource
from oncoregistry.imports import services, tasks
from oncoregistry.imports.models import ImportJob
from oncoregistry.imports.reports import run_file
from oncoregistry.imports.selectors import job_progress
from oncoregistry.imports.tables import Table

from .conftest import csv_file, figure, numbered_rows


def preview_job(user, data, name="figures.csv"):
    return services.create_preview_job(
        CapacityFigureResource, ContentFile(data, name=name), user=user, language="en"
    )


def test_a_job_previews_and_imports_a_file_of_several_chunks(seeded, editor):
    before = CapacityFigure.objects.count()
    job = preview_job(editor, csv_file(numbered_rows(7)))
    job = services.run_job(job.pk, chunk_rows=3)
    assert job.state == "done" and job.rows_done == job.rows_total == 7
    assert [row["number"] for row in job.report["rows"]] == list(range(2, 9))
    assert {row["status"] for row in job.report["rows"]} == {"new"}
    assert CapacityFigure.objects.count() == before  # a preview writes nothing
    assert job.upload  # kept for the import

    imported = services.run_job(services.create_import_job(job).pk, chunk_rows=3)
    assert imported.state == "done", imported.error
    assert imported.report["dry_run"] is False and len(imported.report["rows"]) == 7
    added = CapacityFigure.objects.filter(date_year__gte=2000, date_year__lt=2007)
    assert added.count() == 7 == CapacityFigure.objects.count() - before
    assert set(added.values_list("publication_state", flat=True)) == {"draft"}
    assert added.first().history.first().history_change_reason == "Import of figures.csv"
    assert not imported.upload  # the stored file is deleted once imported


def test_progress_is_in_the_cache_after_each_chunk_and_reaches_the_total(
    seeded, editor, monkeypatch
):
    job = preview_job(editor, csv_file(numbered_rows(5)))
    seen = []
    report_progress = services.report_progress

    def spy(job_id, done, total):
        report_progress(job_id, done, total)
        # What another process reads meanwhile: the database says nothing is done yet.
        running = ImportJob.objects.get(pk=job_id)
        assert running.state == "running" and running.rows_done == 0
        seen.append((job_progress(running)["done"], job_progress(running)["total"]))

    monkeypatch.setattr(services, "report_progress", spy)
    job = services.run_job(job.pk, chunk_rows=2)
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert job_progress(job) == {
        "state": "done",
        "finished": True,
        "done": 5,
        "total": 5,
        "text": "5 of 5 rows",
    }
    assert cache.get(f"imports:job:{job.pk}:progress") is None


def test_a_refused_row_in_the_last_chunk_leaves_nothing_written(seeded, editor):
    before = CapacityFigure.objects.count()
    rows = [*numbered_rows(6), figure(organization="nowhere", date_year="2099")]
    table = Table(io.BytesIO(csv_file(rows)), "figures.csv")
    report = run_file(
        CapacityFigureResource,
        table,
        file_name="figures.csv",
        user=editor,
        dry_run=False,
        chunk_rows=3,
    )
    assert report.counts == {"new": 6, "changed": 0, "unchanged": 0, "refused": 1}
    assert report.refused[0].number == 8
    assert CapacityFigure.objects.count() == before  # the first two chunks rolled back too


def test_a_row_repeated_in_a_later_chunk_is_refused(seeded):
    rows = [*numbered_rows(4), figure(date_year="2001", date_precision="year")]
    table = Table(io.BytesIO(csv_file(rows)), "figures.csv")
    report = run_file(CapacityFigureResource, table, file_name="figures.csv", chunk_rows=2)
    assert [row.number for row in report.refused] == [6]
    assert "Row 3 already says this" in report.refused[0].problems[0][1]


class CountingFile(io.BytesIO):
    """A file that counts the bytes read from it."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def read1(self, size=-1):
        data = super().read1(size)
        self.read_bytes += len(data)
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.read_bytes += count
        return count


def test_the_reader_yields_chunks_lazily_without_reading_the_whole_file():
    data = csv_file(numbered_rows(5000))
    file = CountingFile(data)
    table = Table(file, "figures.csv")
    chunks = table.chunks(100)
    before, first = next(chunks)
    assert before == 0 and len(first) == 100
    assert first.headers == CapacityFigureResource.columns()
    assert file.read_bytes < len(data) / 10  # a chunk read, not the file
    before, second = next(chunks)
    year = first.headers.index("date_year")
    assert before == 100 and second[0][year] == "2100"
    assert sum(len(chunk) for _before, chunk in chunks) == 4800
    assert table.count() == 5000


def test_an_xlsx_file_is_read_in_chunks(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["organization", "metric"])
    for n in range(5):
        sheet.append([f"org-{n}", "beds"])
        sheet.append([None, None])  # a blank row: left out
    workbook.save(tmp_path / "f.xlsx")
    with (tmp_path / "f.xlsx").open("rb") as file:
        table = Table(file, "f.xlsx")
        chunks = [(before, list(chunk)) for before, chunk in table.chunks(2)]
    assert [before for before, _rows in chunks] == [0, 2, 4]
    assert chunks[2][1] == [("org-4", "beds")]


@pytest.mark.django_db(transaction=True)
def test_under_the_embedded_default_a_thread_of_the_process_runs_the_job(settings):
    from tests.factories import EditorFactory

    settings.CELERY_TASK_ALWAYS_EAGER = True  # no Redis, no worker
    job = preview_job(EditorFactory(), csv_file([figure(organization="nowhere")]))
    thread = tasks.start_job(job.pk)
    thread.join(timeout=60)
    assert not thread.is_alive() and thread.daemon
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.report["rows"][0]["status"] == "refused"
    assert not job.upload  # nothing to confirm: the file is deleted


def test_a_job_runs_once(seeded, editor):
    job = preview_job(editor, csv_file([figure()]))
    first = services.run_job(job.pk)
    again = services.run_job(job.pk)
    assert first.state == again.state == "done"
    assert again.finished_at == first.finished_at


def test_a_file_unreadable_past_its_first_rows_fails_the_job_in_plain_words(seeded, editor):
    data = csv_file(numbered_rows(3)) + "Алматы,x\n".encode("cp1251")
    job = services.run_job(preview_job(editor, data).pk)
    assert job.state == "failed"
    assert "The file is not UTF-8 text" in job.error
    assert not job.upload


def test_a_job_left_unfinished_by_a_stopped_process_is_given_up(seeded, editor, client):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    job = preview_job(editor, csv_file([figure()]))
    ImportJob.objects.filter(pk=job.pk).update(
        state="running", created_at=timezone.now() - timedelta(hours=3)
    )
    client.force_login(editor)
    url = reverse("admin:centers_capacityfigure_import_job_status", args=[job.pk])
    status = client.get(url).json()
    assert status["state"] == "failed" and status["finished"]
    job.refresh_from_db()
    assert "stopped before it finished" in job.error and not job.upload
