"""XLSX on every list: openpyxl reads back the same rows as the CSV, numbers as numbers,
formula-like text neutralised."""

import csv
import io

import openpyxl
import pytest

from .resources import ROUTES

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(anon, route):
    response = anon.get(f"/api/v1/{route}/", {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(anon, route, **params):
    response = anon.get(f"/api/v1/{route}/", {"format": "xlsx", **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def same_cell(csv_cell, xlsx_cell):
    if xlsx_cell is None:
        return csv_cell == ""
    if isinstance(xlsx_cell, int | float) and not isinstance(xlsx_cell, bool):
        return float(csv_cell) == float(xlsx_cell)
    return str(xlsx_cell) == csv_cell


@pytest.mark.parametrize("route", ROUTES)
def test_every_list_answers_xlsx_with_the_rows_of_its_csv(anon, registry, route):
    from_csv = csv_rows(anon, route)
    from_xlsx = xlsx_rows(anon, route)
    assert len(from_xlsx) == len(from_csv) > 1
    assert from_xlsx[0] == from_csv[0]
    for csv_row, xlsx_row in zip(from_csv[1:], from_xlsx[1:], strict=True):
        xlsx_row = xlsx_row + [None] * (len(csv_row) - len(xlsx_row))
        assert all(same_cell(c, x) for c, x in zip(csv_row, xlsx_row, strict=True)), (
            csv_row,
            xlsx_row,
        )


def test_numbers_are_numbers_and_filters_apply(anon, registry):
    rows = xlsx_rows(anon, "funding", currency="KZT")
    header, *records = rows
    assert len(records) == 1
    amount = records[0][header.index("amount")]
    assert isinstance(amount, int | float) and amount == 170_000_000_000


def test_formula_like_text_is_neutralised(anon, registry):
    registry["nsoc"].description = '=HYPERLINK("http://evil.example")'
    registry["nsoc"].save()
    rows = xlsx_rows(anon, "organizations")
    header, *records = rows
    if "description" in header:
        cells = [r[header.index("description")] for r in records]
        assert '\'=HYPERLINK("http://evil.example")' in cells
    # the name column, which every organisation row has, is text
    assert all(isinstance(r[header.index("name")], str) for r in records)


def test_an_unknown_parameter_is_still_a_400_in_json(anon, registry):
    response = anon.get("/api/v1/organizations/", {"format": "xlsx", "regoin": "x"})
    assert response.status_code == 400
    assert "regoin" in response.json()
