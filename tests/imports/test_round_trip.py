"""Export → edit one cell → import changes exactly that cell; every list's export imports back
unchanged; each list's XLSX template carries a data dictionary in three languages and one
example row from the fixtures."""

import csv
import io

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from openpyxl import load_workbook

from centers.models import CapacityFigure
from oncoregistry.core.meta import options
from oncoregistry.imports.reports import read_table, run_import
from oncoregistry.imports.workbooks import fixture_records, template_workbook
from oncoregistry.review.models import ChangeRequest
from oncoregistry.review.services import approve
from oncoregistry.tooling.spreadsheets import RESOURCES
from tests import factories

EXPORT = reverse("admin:centers_capacityfigure_export")


def admin_export(client, resource, file_format):
    """The list exported from the admin, as an editor downloads it (0: CSV, 1: XLSX)."""
    name = resource.__name__.lower()
    data = {"resource": "0", "format": str(file_format)}
    data.update({f"{name}_{field}": "on" for field in resource().get_export_order()})
    response = client.post(EXPORT, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def figures():
    return {
        f.slug: {k: v for k, v in model_to_dict(f).items() if k not in ("updated_at",)}
        for f in CapacityFigure.objects.all()
    }


@pytest.mark.parametrize("file_format", [0, 1], ids=["csv", "xlsx"])
def test_export_edit_one_cell_import_changes_exactly_that_cell(
    seeded_once, client, editor, file_format
):
    from centers.resources import CapacityFigureResource

    client.force_login(editor)
    exported = admin_export(client, CapacityFigureResource, file_format)
    name = "figures.xlsx" if file_format else "figures.csv"
    table = read_table(exported, name)
    assert table.headers == CapacityFigureResource.columns()
    position = table["slug"].index("nsoc-high-tech-surgeries-per-year")
    row = list(table[position])
    row[table.headers.index("notes")] = "Edited in the spreadsheet."
    table[position] = row

    before = figures()
    report = run_import(CapacityFigureResource, table, file_name=name, user=editor, dry_run=False)
    assert report.ok, report.as_text()
    assert report.counts == {"new": 0, "changed": 1, "unchanged": len(table) - 1, "refused": 0}
    [changed] = [r for r in report.rows if r.status == "changed"]
    assert changed.changes == [("notes", "", "Edited in the spreadsheet.")]
    # A published figure: the import proposes the one edited cell; approved, it is the only
    # change in the registry.
    assert figures() == before
    [proposal] = ChangeRequest.objects.pending()
    assert proposal.changes == {"notes": "Edited in the spreadsheet."}
    approve(proposal, reviewer=factories.ReviewerFactory())
    before["nsoc-high-tech-surgeries-per-year"]["notes"] = "Edited in the spreadsheet."
    assert figures() == before


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_list_exported_imports_back_unchanged(seeded_once, name):
    resource = RESOURCES[name]
    exported = resource().export().export("csv").encode()
    report = run_import(resource, read_table(exported, f"{name}.csv"), file_name=f"{name}.csv")
    assert report.ok, report.as_text()
    assert report.counts["unchanged"] == len(report.rows) > 0


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_template_has_the_columns_a_dictionary_in_three_languages_and_a_real_example(
    seeded_once, name
):
    resource = RESOURCES[name]
    workbook = load_workbook(io.BytesIO(template_workbook(resource)))
    records, dictionary = workbook.worksheets
    header, example = list(records.values_only if False else records.iter_rows(values_only=True))
    assert list(header) == resource.columns()

    # The example is the first record of this list in the fixtures, cell for cell.
    label = options(resource.get_model()).label_lower
    record = next(r for r in fixture_records() if r["model"] == label)
    cells = dict(zip(header, example, strict=True))
    assert cells["slug"] == record["slug"]
    for column, value in record["fields"].items():
        if column in cells and not isinstance(value, list):
            assert (cells[column] or None) == (value if value != "" else None) or str(
                cells[column]
            ) == str(value), column
    # ...and it is the registry's own record: imported into the seed registry it changes nothing.
    report = run_import(
        resource, read_table(template_workbook(resource), "template.xlsx"), file_name="t.xlsx"
    )
    assert report.counts == {"new": 0, "changed": 0, "unchanged": 1, "refused": 0}, report.as_text()

    rows = list(dictionary.iter_rows(values_only=True))
    assert rows[0][0] == "column"
    assert [r[0] for r in rows[1:]] == resource.columns()
    assert rows[0][1:] == (
        "meaning (en)",
        "allowed values (en)",
        "required (en)",
        "значение (ru)",
        "допустимые значения (ru)",
        "обязательно (ru)",
        "мағынасы (kk)",
        "рұқсат етілген мәндер (kk)",
        "міндетті (kk)",
    )
    for row in rows[1:]:
        english, russian, kazakh = row[1], row[4], row[7]
        assert english and russian and kazakh
        assert russian != english and kazakh != english, row


def test_the_template_downloads_from_the_admin(seeded_once, client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:centers_capacityfigure_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "capacity-figures-template.xlsx" in response["Content-Disposition"]


def test_csv_export_is_what_an_editor_opens(seeded_once, client, editor):
    from centers.resources import CapacityFigureResource

    client.force_login(editor)
    text = admin_export(client, CapacityFigureResource, 0).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == CapacityFigure.objects.count()
    first = next(r for r in rows if r["slug"] == "nsoc-diagnostic-surgical-procedures-per-year")
    assert (first["organization"], first["metric"], first["value"]) == (
        "national-research-oncology-center",
        "diagnostic-surgical-procedures",
        "12000",
    )
