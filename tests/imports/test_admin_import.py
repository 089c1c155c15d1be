"""The admin's import screens for an editor: the preview, the confirm step, the rights, and a
preview whose queries do not grow row by row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers.models import CapacityFigure
from tests.factories import UserFactory

from .conftest import csv_file, figure

IMPORT = reverse("admin:centers_capacityfigure_import")
CONFIRM = reverse("admin:centers_capacityfigure_process_import")


def upload(data, name="figures.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_list_offers_import_and_the_template(seeded, editor_client):
    page = editor_client.get(reverse("admin:centers_capacityfigure_changelist"))
    assert IMPORT in page.content.decode()
    form = editor_client.get(IMPORT)
    assert form.status_code == 200
    assert reverse("admin:centers_capacityfigure_import_template") in form.content.decode()


def test_preview_then_confirm(seeded, editor_client):
    before = CapacityFigure.objects.count()
    data = csv_file([figure(), figure(organization="no-such-center")])
    preview = editor_client.post(IMPORT, {"import_file": upload(data)})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "1 new, 0 changed, 0 unchanged, 1 refused" in html
    assert "No organization has the slug “no-such-center” in the registry." in html
    assert 'name="confirm"' not in html  # a refused row: nothing to confirm
    assert CapacityFigure.objects.count() == before

    good = editor_client.post(IMPORT, {"import_file": upload(csv_file([figure()]))})
    assert 'name="confirm"' in good.content.decode()
    assert CapacityFigure.objects.count() == before  # the preview wrote nothing
    confirm = good.context["confirm_form"]
    done = editor_client.post(
        CONFIRM,
        {
            "import_file_name": confirm.initial["import_file_name"],
            "original_file_name": confirm.initial["original_file_name"],
        },
    )
    assert done.status_code == 302
    assert CapacityFigure.objects.count() == before + 1
    new = CapacityFigure.objects.get(kind="capacity", metric__slug="diagnostic-surgical-procedures")
    assert new.publication_state == "draft"
    assert new.history.first().history_change_reason == "Import of figures.csv"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "figures.pdf", "is not a CSV or XLSX file"),
        ("organization\nцентр\n".encode("cp1251"), "f.csv", "is not UTF-8"),
        (b"organization,metric\n", "f.csv", "no rows of data"),
        (b"organization,metric\nx,y\n", "f.csv", "Columns missing from the header row"),
    ],
)
def test_bad_files_get_plain_words_not_a_500(seeded, editor_client, data, name, message):
    response = editor_client.post(IMPORT, {"import_file": upload(data, name)})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_forged_stored_name_is_refused(seeded, editor_client):
    response = editor_client.post(
        CONFIRM, {"import_file_name": "../../etc/passwd", "original_file_name": "x.csv"}
    )
    assert response.status_code == 302  # back to the import page, nothing read or written


def test_only_editors_import(seeded, client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"import_file": upload(csv_file([figure()]))}).status_code == 403


def rows(count):
    return [figure(date_year=str(2000 + n), date_precision="year") for n in range(count)]


def preview_queries(client, count):
    data = csv_file(rows(count))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(IMPORT, {"import_file": upload(data)})
    assert f"{count} new, 0 changed, 0 unchanged, 0 refused" in response.content.decode()
    return len(queries)


#: The preview writes nothing and asks nothing per row: each row is checked against the model's
#: rules (record_check: full_clean's steps) with what the file's lookups read at once, one query
#: per table for the whole file. It used to write each row and roll back: 54 queries a new row.
PER_NEW_ROW = 0
#: The admin's session and user; the file's organisations, metrics and sources; the figures its
#: rows may match (none: their citations need no query); the transaction and its savepoints.
FIXED = 17


def test_preview_of_twenty_rows_costs_a_fixed_number_of_queries_per_row(
    seeded, editor_client, django_assert_num_queries
):
    preview_queries(editor_client, 1)  # a warm process: the content types are cached
    twenty = preview_queries(editor_client, 20)
    forty = preview_queries(editor_client, 40)
    assert (forty - twenty) / 20 == PER_NEW_ROW
    fixed = twenty - 20 * PER_NEW_ROW
    assert fixed == FIXED
    data = csv_file(rows(20))
    with django_assert_num_queries(20 * PER_NEW_ROW + FIXED):
        editor_client.post(IMPORT, {"import_file": upload(data)})


#: A confirmed import writes each new row through record_write, checked by record_check with what
#: the file's lookups read: the new slug, the figure's insert and history row, its citation's
#: insert and history row, and the savepoints of record_write and record_save (5 pairs). It was
#: 54 and more a row when each write's full_clean asked the database.
PER_CONFIRMED_ROW = 15


def test_confirmed_import_costs_a_fixed_number_of_queries_per_row(seeded, editor):
    from centers.resources import CapacityFigureResource
    from oncoregistry.imports.reports import read_table, run_import

    def confirm(first_year, count):
        years = range(first_year, first_year + count)
        data = csv_file([figure(date_year=str(y), date_precision="year") for y in years])
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
